import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STORE_WRITES } from '#functions/storage/store.ts';
import { makeMessagesHandler } from '#functions/teams/messages-handler.ts';
import { createTeamsStore } from '#functions/teams/teams-store.ts';
import { apiGatewayEvent } from '../../scripts/api-gateway-event.ts';
import { type BotFrameworkFake, startBotFrameworkFake } from '../support/bot-framework.ts';
import { createTestStack, type TestStack } from '../support/stack.ts';
import { tableContents } from '../support/table.ts';
import { linkInTeams, TEST_BOT_APP_ID, teamsTestDeps } from '../support/teams-bot.ts';

/**
 * Hostile traffic at the bot endpoint: generated activities (near-valid and random), with tokens that are
 * valid, forged or absent. Never a 5xx; a refused activity reaches neither the store nor the connector.
 */

const APP_ID = TEST_BOT_APP_ID;
const TENANT = '11111111-2222-4333-8444-555555555555';
let stack: TestStack;
let fake: BotFrameworkFake;
let handler: ReturnType<typeof makeMessagesHandler>;
let writes = 0;
let goodToken: string;

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
  const store = stack.deps.services.store;
  const spied = { ...store };
  for (const name of STORE_WRITES) {
    const write = store[name] as (...args: unknown[]) => Promise<void>;
    (spied as unknown as Record<string, unknown>)[name] = (...args: unknown[]) => {
      writes += 1;
      return write(...args);
    };
  }
  const services = { ...stack.deps.services, store: spied };
  handler = makeMessagesHandler(() =>
    teamsTestDeps(stack, fake, teams, { services, botToken: 'bot-token', rateLimit: 1_000_000 }),
  );
  goodToken = `Bearer ${await fake.tokenFor(APP_ID)}`;
});

afterAll(async () => {
  await fake.close();
});

const text = fc.oneof(
  fc.string({ maxLength: 50 }),
  fc.constantFrom('screen CASE-1', 'my tasks', 'help', 'resume', 'custodia'),
);
const value = fc.oneof(
  fc.constant(undefined),
  fc.anything({ maxDepth: 2 }),
  fc.record({
    kind: fc.constantFrom('turn', 'completeTask', 'other'),
    conversationId: fc.oneof(fc.uuid(), fc.string()),
    expectedVersion: fc.oneof(fc.integer(), fc.string()),
    event: fc.constantFrom('answer', 'unknown', 'skip', 'back', 'pause', 'resume', 'x'),
    promptId: fc.string({ maxLength: 70 }),
    value: fc.string({ maxLength: 3000 }),
    date: fc.string(),
    time: fc.string(),
  }),
);
const activity = fc.record(
  {
    type: fc.oneof(fc.constantFrom('message', 'conversationUpdate', 'invoke', 'typing'), fc.string()),
    id: fc.oneof(fc.uuid(), fc.string({ maxLength: 300 })),
    channelId: fc.oneof(fc.constant('msteams'), fc.string()),
    serviceUrl: fc.oneof(fc.constant('SERVICE_URL'), fc.webUrl(), fc.string()),
    text,
    value,
    locale: fc.oneof(fc.constantFrom('en-US', 'es-US'), fc.string()),
    localTimezone: fc.oneof(fc.constantFrom('America/Los_Angeles', 'Mars/Olympus'), fc.string()),
    from: fc.oneof(
      fc.record({ id: fc.string(), aadObjectId: fc.constantFrom('aad-1', 'aad-2') }),
      fc.anything(),
    ),
    recipient: fc.oneof(fc.record({ id: fc.string() }), fc.anything()),
    conversation: fc.oneof(
      fc.record({ id: fc.string(), tenantId: fc.constantFrom(TENANT, 'other') }),
      fc.anything(),
    ),
  },
  { requiredKeys: [] },
);
const body = fc.oneof(
  { weight: 5, arbitrary: activity.map((a) => JSON.stringify(a)) },
  { weight: 1, arbitrary: fc.string({ maxLength: 200 }) },
  { weight: 1, arbitrary: fc.constant('{"type":"message"') },
);
const authorization = fc.oneof(
  fc.constant('GOOD'),
  fc.constant(undefined),
  fc.string(),
  fc.constant('Bearer eyJhbGciOiJub25lIn0.e30.'),
);

describe('POST /api/messages under generated traffic', () => {
  it('never answers 5xx; a refused activity writes nothing and sends nothing', async () => {
    const before = await tableContents(stack);
    let runs = 0;
    await fc.assert(
      fc.asyncProperty(body, authorization, async (raw, auth) => {
        runs += 1;
        const writesBefore = writes;
        const sentBefore = fake.received.length;
        const result = await handler(
          apiGatewayEvent({
            route: { method: 'POST', path: '/api/messages' },
            headers: {
              'content-type': 'application/json',
              ...(auth === undefined ? {} : { authorization: auth === 'GOOD' ? goodToken : auth }),
            },
            body: raw.replaceAll('SERVICE_URL', fake.serviceUrl),
          }),
        );
        const status = result.statusCode ?? 200;
        expect(status, raw.slice(0, 300)).toBeLessThan(500);
        if (status >= 400) {
          expect(writes).toBe(writesBefore);
          expect(fake.received.length).toBe(sentBefore);
        }
      }),
      { numRuns: 3000 },
    );
    expect(runs).toBeGreaterThanOrEqual(3000);
    // Whatever was accepted wrote only Teams bookkeeping or conversations of the linked user.
    const after = await tableContents(stack);
    const added = after.filter((item) => !before.includes(item));
    for (const item of added) expect(item).toMatch(/TEAMS|CONV#|READS#|county-a/);
  });
});
