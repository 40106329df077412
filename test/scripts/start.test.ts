import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { signInWithCode } from '../../scripts/dev-identity-client.ts';

const root = join(import.meta.dirname, '..', '..');

describe('npm start', () => {
  // A ceiling for a stuck start, no more: it builds the widget and the tablet app and starts Java, on two
  // cores shared with the other test files.
  it('starts DynamoDB Local and the server on 127.0.0.1, serves API and chat page, and Ctrl-C stops everything', {
    timeout: 150_000,
  }, async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/start.ts', '--port', '0'], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      await expect
        .poll(() => output, { timeout: 75_000, interval: 200 })
        .toMatch(/Chat page:\s+http:\/\/127\.0\.0\.1:\d+\//);
      const url = /Chat page:\s+(http:\/\/127\.0\.0\.1:\d+)\//.exec(output)![1]!;
      const dynamo = /DynamoDB:\s+(http:\/\/127\.0\.0\.1:\d+)/.exec(output)![1]!;
      const issuer = /Sign-in:\s+(http:\/\/127\.0\.0\.1:\d+)/.exec(output)![1]!;

      const start = (authorization?: string) =>
        fetch(`${url}/conversations`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
          body: JSON.stringify({ flow: 'cse-screening', locale: 'es', subjectRef: 'CASE-START' }),
        });
      expect((await start()).status).toBe(401);
      // Sign in as the demo caseworker the way the page does: authorization code + PKCE at the provider.
      const config = await (await fetch(`${url}/auth/config`)).json();
      expect(config).toMatchObject({ issuer, clientId: 'screening-local' });
      const { idToken } = await signInWithCode({
        issuer,
        clientId: config.clientId,
        user: 'demo-caseworker',
        redirectUri: `${url}/`,
      });
      const created = await start(`Bearer ${idToken}`);
      expect(created.status).toBe(201);
      // The demo organisations are seeded (R-ROUTE-1, R-TRAIN-1): the county asks its screeners for training,
      // and routes the placement worker's tasks to the demo placement worker.
      expect((await created.json()).warnings.map((warning: { code: string }) => warning.code)).toContain(
        'training_missing',
      );
      const organisation = await fetch(`${url}/organisation`, {
        headers: { authorization: `Bearer ${idToken}` },
      });
      expect((await organisation.json()).profile.routes.placement_worker).toEqual({
        to: 'user',
        userId: 'demo-placement',
        unit: 'placement',
      });
      expect((await fetch(`${url}/`)).status).toBe(200);

      child.kill('SIGINT');
      expect(await exited).toBe(0);
      await expect(fetch(dynamo, { signal: AbortSignal.timeout(2000) })).rejects.toThrow();
      await expect(fetch(`${url}/healthz`, { signal: AbortSignal.timeout(2000) })).rejects.toThrow();
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });
});
