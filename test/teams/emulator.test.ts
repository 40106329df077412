import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningDevServer, startDevServer } from '../../scripts/dev-server.ts';
import { LOCAL_BOT_APP_ID, localTeamsBot } from '../../scripts/local-teams-bot.ts';
import { type BotFrameworkFake, startBotFrameworkFake } from '../support/bot-framework.ts';
import { createTestStack, type TestStack } from '../support/stack.ts';

/** `npm start` serves the bot at /api/messages; only the explicit Emulator flag lets unsigned traffic in. */

let stack: TestStack;
let emulatorSide: BotFrameworkFake;
const servers: RunningDevServer[] = [];

beforeAll(async () => {
  stack = await createTestStack();
  emulatorSide = await startBotFrameworkFake();
});

afterAll(async () => {
  for (const server of servers) await server.close();
  await emulatorSide.close();
});

async function serve(emulator: boolean) {
  const teamsMessages = await localTeamsBot({
    deps: stack.deps,
    doc: stack.doc,
    tableName: stack.tableName,
    emulator,
    emulatorServiceUrl: emulatorSide.url,
  });
  const server = await startDevServer({ deps: stack.deps, port: 0, teamsMessages });
  servers.push(server);
  return server;
}

const emulatorActivity = (text: string) => ({
  type: 'message',
  id: `emu-${Math.random().toString(36).slice(2)}`,
  channelId: 'emulator',
  serviceUrl: emulatorSide.serviceUrl,
  locale: 'en-US',
  text,
  from: { id: 'emulator-user-id', name: 'User' },
  recipient: { id: LOCAL_BOT_APP_ID, name: 'Bot' },
  conversation: { id: 'emulator-conversation' },
});

const post = (server: RunningDevServer, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${server.url}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });

describe('the bot on the local dev server', () => {
  it('by default refuses unsigned traffic, the Emulator’s included', async () => {
    const server = await serve(false);
    const before = emulatorSide.received.length;
    expect((await post(server, emulatorActivity('help'))).status).toBe(401);
    expect(emulatorSide.received.length).toBe(before);
  });

  it('with --teams-emulator it answers the Emulator, as the demo caseworker, and only the Emulator channel', async () => {
    const server = await serve(true);
    const started = await post(server, emulatorActivity('screen CASE-EMU'));
    expect(started.status).toBe(200);
    const reply = emulatorSide.received.at(-1)!;
    expect(JSON.stringify(reply.body)).toContain('Question 1 of');
    const card = (
      reply.body.attachments as Array<{ content: { actions: Array<{ data: { conversationId: string } }> } }>
    )[0]!;
    const conversationId = card.content.actions[0]!.data.conversationId;
    const owned = await stack.call('getConversation', {
      id: conversationId,
      user: { sub: 'demo-caseworker', org: 'demo-county', unit: 'unit-1', roles: ['caseworker'] },
    });
    expect(owned.body.conversation.subjectRef).toBe('CASE-EMU');
    // An unsigned activity claiming to be Teams is still refused.
    const teams = { ...emulatorActivity('help'), channelId: 'msteams' };
    expect((await post(server, teams)).status).toBe(401);
  });
});
