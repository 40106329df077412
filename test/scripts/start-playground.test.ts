import { spawn } from 'node:child_process';
import { connect } from 'node:net';
import { networkInterfaces } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PLAYGROUND_BOT_NAME } from '../../scripts/teams-playground.ts';
import { launchChromium } from '../support/browser.ts';

const root = join(import.meta.dirname, '..', '..');

/** Whether something accepts TCP connections at host:port. */
function accepts(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port, timeout: 2000 });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
  });
}

describe('npm start -- --teams-playground', () => {
  // A ceiling for a stuck start (the widget and tablet builds, Java, the Playground), on a shared machine.
  it('starts Microsoft 365 Agents Playground on loopback as the demo supervisor, answers it, and Ctrl-C stops it too', {
    timeout: 180_000,
  }, async () => {
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        'scripts/start.ts',
        '--port',
        '0',
        '--teams-playground',
        '--teams-playground-user',
        'demo-supervisor',
      ],
      { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const browser = await launchChromium();
    try {
      await expect
        .poll(() => output, { timeout: 120_000, interval: 250 })
        .toMatch(/Playground:\s+http:\/\/127\.0\.0\.1:\d+\//);
      const url = /Playground:\s+(http:\/\/127\.0\.0\.1:(\d+)\/)/.exec(output)!;
      const playgroundPort = Number(url[2]);
      expect(output).toMatch(/Playground:.*demo-supervisor, Sam Supervisor/);
      expect(output).toMatch(
        new RegExp(
          `Teams bot:.*unsigned Teams traffic from http://127\\.0\\.0\\.1:${playgroundPort}/_connector`,
        ),
      );
      const config = await (await fetch(`${url[1]}_internal/v1/config`)).json();
      expect(config.config.currentUser).toMatchObject({ id: '29:demo-supervisor', name: 'Sam Supervisor' });
      // Loopback only: not on the machine's other addresses (the Playground alone would listen on all).
      const external = Object.values(networkInterfaces())
        .flat()
        .find((address) => address && !address.internal && address.family === 'IPv4');
      if (external) expect(await accepts(external.address, playgroundPort)).toBe(false);

      // The supervisor's own command, through the Playground's page.
      const page = await browser.newPage();
      await page.goto(url[1]!, { waitUntil: 'domcontentloaded' });
      const compose = page.locator('[data-lexical-editor="true"][role="textbox"]').last();
      await compose.waitFor({ timeout: 60_000 });
      await compose.click();
      await page.keyboard.type('board');
      await page.keyboard.press('Enter');
      await page
        .locator('[aria-label="Message author"]', { hasText: PLAYGROUND_BOT_NAME })
        .first()
        .waitFor({ timeout: 60_000 });
      await page.locator('.ac-adaptiveCard').first().waitFor({ timeout: 60_000 });

      child.kill('SIGINT');
      expect(await exited).toBe(0);
      expect(await accepts('127.0.0.1', playgroundPort)).toBe(false);
      expect(output).not.toMatch(/Agents Playground stopped/);
    } finally {
      await browser.close();
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });
});
