import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');

/**
 * Issue 19: `npm start` on a busy port says in one line which port is busy and which option picks another,
 * and exits non-zero; before, it printed a stack trace. The ports are checked before anything starts.
 */

let holder: Server;
let busy: number;

beforeAll(async () => {
  // Held on every interface, as another dev server would: 127.0.0.1 is busy too.
  holder = createServer();
  await new Promise<void>((resolve) => holder.listen(0, resolve));
  busy = (holder.address() as { port: number }).port;
});

afterAll(async () => {
  await new Promise((resolve) => holder.close(resolve));
});

function start(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/start.ts', ...args], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  return new Promise((resolve) => child.once('close', (code) => resolve({ code, stdout, stderr })));
}

describe('npm start on a busy port', () => {
  // Ceilings for a shared machine: each run only loads the script (tsx) and probes the ports.
  it.each([
    { option: '--port', args: () => ['--port', String(busy)], role: 'the API and chat page' },
    {
      option: '--idp-port',
      args: () => ['--port', '0', '--idp-port', String(busy)],
      role: 'the sign-in provider',
    },
    {
      option: '--teams-playground-port',
      args: () => ['--port', '0', '--teams-playground', '--teams-playground-port', String(busy)],
      role: 'the Agents Playground',
    },
  ])(
    '$option: one line naming the port and the option, a non-zero exit, nothing started',
    {
      timeout: 120_000,
    },
    async ({ option, args, role }) => {
      const { code, stdout, stderr } = await start(args());
      expect(code).not.toBe(0);
      expect(stdout).toBe('');
      expect(stderr.trim().split('\n')).toEqual([
        `Port ${busy} (${role}) is busy: stop what holds it, or pick another with ${option} PORT.`,
      ]);
    },
  );
});
