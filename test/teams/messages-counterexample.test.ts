import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeMessagesHandler } from '#functions/teams/messages-handler.ts';
import { createTeamsStore } from '#functions/teams/teams-store.ts';
import { apiGatewayEvent } from '../../scripts/api-gateway-event.ts';
import { type BotFrameworkFake, startBotFrameworkFake } from '../support/bot-framework.ts';
import { createTestStack, type TestStack } from '../support/stack.ts';
import { tableContents } from '../support/table.ts';
import { linkInTeams, TEST_BOT_APP_ID, teamsTestDeps } from '../support/teams-bot.ts';

/**
 * Issue 18: `npm test` once failed on a clean clone: the property test of POST /api/messages found a 500 for
 * a signed message with `conversation.id: "&"`, `from.id: " "`, `locale: ""` (fast-check seed -712804260).
 * Kept as fixed cases, with their neighbours: ids and locales Teams never sends but a signed caller can.
 */

const TENANT = '11111111-2222-4333-8444-555555555555';
let stack: TestStack;
let fake: BotFrameworkFake;
let handler: ReturnType<typeof makeMessagesHandler>;
let token: string;

beforeAll(async () => {
  stack = await createTestStack();
  fake = await startBotFrameworkFake();
  const teams = createTeamsStore(stack.doc, stack.tableName);
  await linkInTeams(teams, {
    tenantId: TENANT,
    aadObjectId: 'aad-1',
    userId: 'caseworker-1',
    org: 'county-a',
    unit: 'unit-1',
    roles: ['caseworker'],
  });
  handler = makeMessagesHandler(() =>
    teamsTestDeps(stack, fake, teams, { botToken: 'bot-token', rateLimit: 1_000_000 }),
  );
  token = `Bearer ${await fake.tokenFor(TEST_BOT_APP_ID)}`;
});

afterAll(async () => {
  await fake.close();
});

async function post(activity: Record<string, unknown>) {
  const result = await handler(
    apiGatewayEvent({
      route: { method: 'POST', path: '/api/messages' },
      headers: { 'content-type': 'application/json', authorization: token },
      body: JSON.stringify({
        type: 'message',
        id: 'activity-1',
        channelId: 'msteams',
        serviceUrl: fake.serviceUrl,
        recipient: { id: 'bot' },
        ...activity,
      }),
    }),
  );
  return result.statusCode ?? 200;
}

describe('issue 18: the counterexample the property test found', () => {
  const odd = ['&', ' ', '', '%', '#', '/', '..', '\u0000', 'a'.repeat(2000)];
  for (const conversationId of odd) {
    for (const text of ['help', 'screen CASE-1', 'my tasks', 'resume', '']) {
      it(`conversation.id ${JSON.stringify(conversationId.slice(0, 8))}, from.id " ", locale "", text ${JSON.stringify(text)}: a 4xx or 2xx, never 5xx`, async () => {
        const before = await tableContents(stack);
        const status = await post({
          text,
          locale: '',
          from: { id: ' ', aadObjectId: 'aad-1' },
          conversation: { id: conversationId, tenantId: TENANT },
        });
        expect(status).toBeLessThan(500);
        if (status >= 400) expect(await tableContents(stack)).toEqual(before);
      });
    }
  }
});
