import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');

describe('npm start', () => {
  it('starts DynamoDB Local and the server on 127.0.0.1, serves API and chat page, and Ctrl-C stops everything', async () => {
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
        .poll(() => output, { timeout: 30_000, interval: 200 })
        .toMatch(/Chat page:\s+http:\/\/127\.0\.0\.1:\d+\//);
      const url = /Chat page:\s+(http:\/\/127\.0\.0\.1:\d+)\//.exec(output)![1]!;
      const dynamo = /DynamoDB:\s+(http:\/\/127\.0\.0\.1:\d+)/.exec(output)![1]!;

      const created = await fetch(`${url}/conversations`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ flow: 'cse-screening', locale: 'es', subjectRef: 'CASE-START' }),
      });
      expect(created.status).toBe(201);
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
