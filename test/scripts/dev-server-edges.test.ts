import { Agent, request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningDevServer, startDevServer } from '../../scripts/dev-server.ts';
import { LOCAL_BOT_APP_ID, localTeamsBot } from '../../scripts/local-teams-bot.ts';
import { type BotFrameworkFake, startBotFrameworkFake } from '../support/bot-framework.ts';
import { createTestStack, type TestStack } from '../support/stack.ts';
import { tableContents } from '../support/table.ts';

/**
 * Issue 18, the development server's edges: a broken percent-encoding was a 500; a 413 reset a connection it
 * said it kept alive; with --teams-emulator a `text/plain` POST from any web page was accepted as the demo
 * caseworker, and replies could go to any port on loopback.
 */

let stack: TestStack;
let server: RunningDevServer;
let emulatorSide: BotFrameworkFake;
let elsewhere: BotFrameworkFake;

beforeAll(async () => {
  stack = await createTestStack();
  emulatorSide = await startBotFrameworkFake();
  elsewhere = await startBotFrameworkFake();
  const teamsMessages = await localTeamsBot({
    deps: stack.deps,
    doc: stack.doc,
    tableName: stack.tableName,
    emulator: true,
    emulatorServiceUrl: emulatorSide.url,
  });
  server = await startDevServer({ deps: stack.deps, port: 0, teamsMessages });
});

afterAll(async () => {
  await server.close();
  await emulatorSide.close();
  await elsewhere.close();
});

const activity = (serviceUrl: string) => ({
  type: 'message',
  id: `emu-${Math.random().toString(36).slice(2)}`,
  channelId: 'emulator',
  serviceUrl,
  locale: 'en-US',
  text: 'help',
  from: { id: 'emulator-user-id', name: 'User' },
  recipient: { id: LOCAL_BOT_APP_ID, name: 'Bot' },
  conversation: { id: 'emulator-conversation' },
});

/** One request on a keep-alive agent: its status, body, and whether it went over a reused socket. */
function call(
  agent: Agent,
  method: string,
  path: string,
  body?: Buffer,
  headers: Record<string, string> = {},
) {
  return new Promise<{ status: number; body: string; reused: boolean }>((resolve, reject) => {
    const req = httpRequest(`${server.url}${path}`, { method, agent, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          body: Buffer.concat(chunks).toString('utf8'),
          reused: req.reusedSocket,
        }),
      );
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('issue 18: the development server at its edges', () => {
  it('a broken percent-encoding in a path is a 400 with a stable code, not a 500', async () => {
    for (const path of ['/conversations/%ZZ', '/tasks/%E0%A4%A/complete', '/conversations/%']) {
      const method = path.endsWith('complete') ? 'POST' : 'GET';
      const reply = await fetch(`${server.url}${path}`, { method });
      expect(reply.status, path).toBe(400);
      expect((await reply.json()).error.code).toBe('invalid_request');
    }
  });

  it('after a 413 the same keep-alive connection serves the next request', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const first = await call(agent, 'GET', '/healthz');
      expect(first.status).toBe(200);
      const big = Buffer.alloc(2 * 1024 * 1024, 0x20);
      const refused = await call(agent, 'POST', '/conversations', big, {
        'content-type': 'application/json',
      });
      expect(refused.status).toBe(413);
      expect(JSON.parse(refused.body).error.code).toBe('payload_too_large');
      const next = await call(agent, 'GET', '/healthz');
      expect([next.status, next.reused]).toEqual([200, true]);
    } finally {
      agent.destroy();
    }
  });

  it('the bot takes JSON only: a text/plain or form post (a web page’s simple request) is 415 and does nothing', async () => {
    const before = await tableContents(stack);
    const sent = emulatorSide.received.length;
    for (const type of [
      'text/plain',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
    ]) {
      const reply = await fetch(`${server.url}/api/messages`, {
        method: 'POST',
        headers: { 'content-type': type },
        body: JSON.stringify(activity(emulatorSide.serviceUrl)),
      });
      expect(reply.status, type).toBe(415);
    }
    expect(emulatorSide.received.length).toBe(sent);
    expect(await tableContents(stack)).toEqual(before);
  });

  it('replies go only to the Emulator’s own service URL, not to another port on loopback', async () => {
    const post = (serviceUrl: string) =>
      fetch(`${server.url}/api/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(activity(serviceUrl)),
      });
    const sent = elsewhere.received.length;
    expect((await post(elsewhere.serviceUrl)).status).toBe(401);
    expect(elsewhere.received.length).toBe(sent);
    const own = await post(emulatorSide.serviceUrl);
    expect(own.status).toBe(200);
    expect(emulatorSide.received.length).toBeGreaterThan(0);
  });

  it('the Emulator flag without the Emulator’s URL refuses to start', async () => {
    await expect(
      localTeamsBot({ deps: stack.deps, doc: stack.doc, tableName: stack.tableName, emulator: true }),
    ).rejects.toThrow(/--teams-emulator-url/);
  });
});
