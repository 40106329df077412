import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoUsers } from '../../scripts/dev-identity.ts';
import { type RunningDevServer, startDevServer } from '../../scripts/dev-server.ts';
import { LOCAL_BOT_APP_ID, localTeamsBot } from '../../scripts/local-teams-bot.ts';
import { playgroundConfig, playgroundIdentityOf } from '../../scripts/teams-playground.ts';
import { type BotFrameworkFake, startBotFrameworkFake } from '../support/bot-framework.ts';
import { createTestStack, type TestStack } from '../support/stack.ts';

/**
 * Issue 19: `npm start -- --teams-playground` accepts the Agents Playground's unsigned Teams traffic, and
 * only that: the `msteams` channel, the Playground's own service URL exactly, its made-up tenant. Its users
 * are the demo users, with their own organisation, unit and roles. (The Playground itself, in a browser, is
 * test/teams/playground.test.ts; here its side is the loopback Connector API that records replies.)
 */

let stack: TestStack;
let playgroundSide: BotFrameworkFake;
let elsewhere: BotFrameworkFake;
const servers: RunningDevServer[] = [];

beforeAll(async () => {
  stack = await createTestStack();
  playgroundSide = await startBotFrameworkFake();
  elsewhere = await startBotFrameworkFake();
});

afterAll(async () => {
  for (const server of servers) await server.close();
  await playgroundSide.close();
  await elsewhere.close();
});

async function serve(playground: boolean) {
  const teamsMessages = await localTeamsBot({
    deps: stack.deps,
    doc: stack.doc,
    tableName: stack.tableName,
    emulator: false,
    ...(playground ? { playgroundServiceUrl: playgroundSide.serviceUrl } : {}),
  });
  const server = await startDevServer({ deps: stack.deps, port: 0, teamsMessages });
  servers.push(server);
  return server;
}

const user = (id: string) => playgroundIdentityOf(demoUsers.find((candidate) => candidate.id === id)!);

/** An activity as the Playground sends it (example-activities.json of the research), unsigned. */
function playgroundActivity(
  text: string,
  as = user('demo-caseworker'),
  fields: Record<string, unknown> = {},
) {
  return {
    type: 'message',
    id: randomUUID(),
    channelId: 'msteams',
    serviceUrl: playgroundSide.serviceUrl,
    text,
    locale: 'en-US',
    localTimezone: 'America/Los_Angeles',
    textFormat: 'plain',
    from: { id: as.teamsId, name: as.user.name, aadObjectId: as.aadObjectId },
    recipient: { id: LOCAL_BOT_APP_ID, name: 'CSE screening assistant' },
    conversation: {
      conversationType: 'personal',
      tenantId: as.tenantId,
      id: `a:playground-personal-${as.user.id}`,
    },
    channelData: { tenant: { id: as.tenantId } },
    ...fields,
  };
}

const post = (server: RunningDevServer, body: unknown) =>
  fetch(`${server.url}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-ms-agents-playground': 'true' },
    body: JSON.stringify(body),
  });

describe('issue 19: the Agents Playground as the local Teams client', () => {
  it('its configuration presents a demo user with Teams identities, five others, a personal chat and a team channel', () => {
    const caseworker = demoUsers.find((candidate) => candidate.id === 'demo-caseworker')!;
    const config = playgroundConfig(caseworker, { botId: LOCAL_BOT_APP_ID }) as {
      tenantId: string;
      currentUser: { id: string; aadObjectId: string; name: string };
      users: Array<{ aadObjectId: string }>;
      team: { channels: Array<{ name: string }> };
    };
    expect(config.currentUser).toMatchObject({
      id: '29:demo-caseworker',
      name: caseworker.name,
      aadObjectId: user('demo-caseworker').aadObjectId,
    });
    expect(config.tenantId).toBe(user('demo-caseworker').tenantId);
    // The Playground takes exactly five other users; every identity is distinct and stable.
    expect(config.users).toHaveLength(5);
    const ids = demoUsers.map((demo) => user(demo.id).aadObjectId);
    expect(new Set(ids).size).toBe(demoUsers.length);
    expect(user('demo-caseworker').aadObjectId).toBe(playgroundIdentityOf(caseworker).aadObjectId);
    expect(config.team.channels.map((channel) => channel.name)).toEqual(['unit-1']);
  });

  it('without --teams-playground its traffic is refused like any unsigned activity', async () => {
    const server = await serve(false);
    const before = playgroundSide.received.length;
    expect((await post(server, playgroundActivity('help'))).status).toBe(401);
    expect(playgroundSide.received.length).toBe(before);
  });

  it('with it, the demo caseworker runs a screening; replies go to the Playground’s service URL', async () => {
    const server = await serve(true);
    expect((await post(server, playgroundActivity('screen CASE-PGM'))).status).toBe(200);
    const reply = playgroundSide.received.at(-1)!;
    expect(reply.path).toMatch(
      /^\/teams\/v3\/conversations\/a:playground-personal-demo-caseworker\/activities\//,
    );
    const card = (
      reply.body.attachments as Array<{ content: { actions: Array<{ data: { conversationId: string } }> } }>
    )[0]!;
    const owned = await stack.call('getConversation', {
      id: card.content.actions[0]!.data.conversationId,
      user: { sub: 'demo-caseworker', org: 'demo-county', unit: 'unit-1', roles: ['caseworker'] },
    });
    expect(owned.body.conversation.subjectRef).toBe('CASE-PGM');
  });

  it('every demo user is mapped to their own account: the supervisor gets the board, the caseworker does not', async () => {
    const server = await serve(true);
    await post(server, playgroundActivity('board', user('demo-supervisor')));
    expect(JSON.stringify(playgroundSide.received.at(-1)!.body)).toContain('AdaptiveCard');
    await post(server, playgroundActivity('board', user('demo-caseworker')));
    expect(playgroundSide.received.at(-1)!.body.text).toMatch(/supervisors/);
  });

  it('only the Playground: another service URL, a real tenant or another channel is refused, nothing sent', async () => {
    const server = await serve(true);
    const before = { playground: playgroundSide.received.length, elsewhere: elsewhere.received.length };
    const realTenant = '72f988bf-86f1-41af-91ab-2d7cd011db47';
    const refused = [
      // The same loopback host, another port (whatever else listens there).
      playgroundActivity('help', undefined, { serviceUrl: elsewhere.serviceUrl }),
      // The Playground's port, another path.
      playgroundActivity('help', undefined, {
        serviceUrl: playgroundSide.serviceUrl.replace('/teams/', '/other/'),
      }),
      // A real tenant's user, unsigned.
      playgroundActivity('help', undefined, {
        conversation: { conversationType: 'personal', tenantId: realTenant, id: 'a:x' },
        channelData: { tenant: { id: realTenant } },
      }),
      // The Emulator's channel (its flag is off).
      playgroundActivity('help', undefined, { channelId: 'emulator' }),
    ];
    for (const activity of refused) expect((await post(server, activity)).status).toBe(401);
    expect(playgroundSide.received.length).toBe(before.playground);
    expect(elsewhere.received.length).toBe(before.elsewhere);
  });
});
