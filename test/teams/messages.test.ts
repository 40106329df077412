import { randomUUID } from 'node:crypto';
import { Logger } from '@aws-lambda-powertools/logger';
import { marshall } from '@aws-sdk/util-dynamodb';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sweepDueTasks } from '#functions/reminders/actions.ts';
import { makeDeliverHandler } from '#functions/teams/deliver.ts';
import { type MessagesDeps, makeMessagesHandler } from '#functions/teams/messages-handler.ts';
import { createTeamsStore, type TeamsStore } from '#functions/teams/teams-store.ts';
import { teamsPermissions } from '#infra/table-permissions.ts';
import { apiGatewayEvent } from '../../scripts/api-gateway-event.ts';
import { type BotFrameworkFake, startBotFrameworkFake } from '../support/bot-framework.ts';
import { fullScreening, ScreeningDriver } from '../support/screening.ts';
import { createTestStack, type TestStack } from '../support/stack.ts';
import { tableContents } from '../support/table.ts';
import { type ActionRecorder, compareWithPermission, recordTableActions } from '../support/table-actions.ts';
import { linkInTeams, TEST_BOT_APP_ID, teamsTestDeps, testDirectory } from '../support/teams-bot.ts';

/**
 * Teams end to end: activities signed as Bot Framework signs them reach `POST /api/messages`, run the
 * flows on DynamoDB Local, and the bot's replies (Adaptive Cards) land on a loopback Connector API.
 */

const APP_ID = TEST_BOT_APP_ID;
const TENANT = '11111111-2222-4333-8444-555555555555';
const CASEWORKER_AAD = 'aad-caseworker-1';
const SUPERVISOR_AAD = 'aad-supervisor-1';

let stack: TestStack;
let fake: BotFrameworkFake;
let teams: TeamsStore;
let deps: MessagesDeps;
let handler: ReturnType<typeof makeMessagesHandler>;
let recorder: ActionRecorder;

beforeAll(async () => {
  stack = await createTestStack({ startAt: '2026-11-28T17:00:00.000Z' });
  recorder = recordTableActions(stack.doc);
  fake = await startBotFrameworkFake();
  teams = createTeamsStore(stack.doc, stack.tableName);
  await linkInTeams(teams, {
    tenantId: TENANT,
    aadObjectId: CASEWORKER_AAD,
    userId: 'caseworker-1',
    org: 'county-a',
    unit: 'unit-1',
    roles: ['caseworker'],
  });
  await linkInTeams(teams, {
    tenantId: TENANT,
    aadObjectId: SUPERVISOR_AAD,
    userId: 'supervisor-1',
    org: 'county-a',
    unit: 'unit-1',
    roles: ['supervisor'],
  });
  deps = teamsTestDeps(stack, fake, teams);
  handler = makeMessagesHandler(() => deps);
});

afterAll(async () => {
  await fake.close();
});

interface Sent {
  text?: string;
  attachments?: Array<{ content: { body: Array<Record<string, unknown>>; actions?: CardAction[] } }>;
}
interface CardAction {
  type: string;
  title: string;
  data?: Record<string, unknown>;
  card?: { actions: CardAction[] };
}

function activity(aad: string, fields: Record<string, unknown>) {
  return {
    type: 'message',
    id: randomUUID(),
    channelId: 'msteams',
    serviceUrl: fake.serviceUrl,
    timestamp: new Date().toISOString(),
    locale: 'en-US',
    localTimezone: 'America/Los_Angeles',
    from: { id: `29:${aad}`, aadObjectId: aad, name: 'A caseworker' },
    recipient: { id: `28:${APP_ID}`, name: 'Screening assistant' },
    conversation: { id: `a:personal-${aad}`, conversationType: 'personal', tenantId: TENANT },
    channelData: { tenant: { id: TENANT } },
    ...fields,
  };
}

async function post(body: unknown, authorization?: string | null): Promise<{ status: number; sent: Sent[] }> {
  const before = fake.received.length;
  const token = authorization === undefined ? `Bearer ${await fake.tokenFor(APP_ID)}` : authorization;
  const event: APIGatewayProxyEventV2 = apiGatewayEvent({
    route: { method: 'POST', path: '/api/messages' },
    headers: { 'content-type': 'application/json', ...(token ? { authorization: token } : {}) },
    body: JSON.stringify(body),
  });
  const result = await recorder.during('teamsMessages', () => handler(event));
  return { status: result.statusCode ?? 200, sent: fake.received.slice(before).map((r) => r.body as Sent) };
}

const lastCard = (sent: Sent[]) => sent.at(-1)?.attachments?.[0]?.content;
const press = (
  card: ReturnType<typeof lastCard>,
  title: string | RegExp,
  inputs: Record<string, unknown> = {},
) => {
  const action = card?.actions?.find((a) =>
    typeof title === 'string' ? a.title === title : title.test(a.title),
  );
  if (!action) throw new Error(`no button ${String(title)} on ${JSON.stringify(card)}`);
  return activity(CASEWORKER_AAD, { text: '', value: { ...action.data, ...inputs } });
};

describe('a caseworker in Teams', () => {
  it('runs a whole CSE screening with cards, and the reports it owes are opened', async () => {
    let reply = await post(activity(CASEWORKER_AAD, { text: 'screen CASE-T1' }));
    expect(reply.status).toBe(200);
    expect(fake.received.at(-1)?.authorization).toBe('Bearer the-bots-own-token');
    expect(JSON.stringify(lastCard(reply.sent))).toContain('Question 1 of');
    reply = await post(press(lastCard(reply.sent), 'Yes, there is information about this'));
    for (let i = 1; i < 8; i += 1)
      reply = await post(press(lastCard(reply.sent), 'No, not from what I know'));
    reply = await post(press(lastCard(reply.sent), 'Identified as a victim of CSE'));
    reply = await post(press(lastCard(reply.sent), 'Yes'));
    reply = await post(press(lastCard(reply.sent), 'Unknown'));
    reply = await post(press(lastCard(reply.sent), /skip/i));
    reply = await post(press(lastCard(reply.sent), 'Send', { date: '2026-11-28', time: '08:00' }));
    const outcome = JSON.stringify(lastCard(reply.sent));
    expect(outcome).toContain('Screening complete'.slice(0, 0));
    expect(outcome).toContain('R-REPORT-1');
    const tasks = await stack.call('listTasks', { query: { status: 'open' } });
    const report = tasks.body.tasks.find(
      (task: { subjectRef: string; requirementId: string }) =>
        task.subjectRef === 'CASE-T1' && task.requirementId === 'R-REPORT-1',
    );
    // Received at 08:00 Pacific, so the 24-hour report is due 08:00 Pacific the next day.
    expect(report.dueAt).toBe('2026-11-29T16:00:00.000Z');
  });

  it('completes a task from "my tasks" with the evidence the law asks for', async () => {
    const listed = await post(activity(CASEWORKER_AAD, { text: 'my tasks' }));
    const card = listed.sent.at(-1)?.attachments?.[0]?.content;
    const markDone = card?.actions?.find((action) => action.type === 'Action.ShowCard');
    const save = markDone!.card!.actions[0]!;
    const done = await post(
      activity(CASEWORKER_AAD, {
        text: '',
        value: {
          ...save.data,
          agency: 'County Sheriff',
          referenceNumber: 'SO-26-1182',
          date: '2026-11-28',
          time: '09:00',
        },
      }),
    );
    expect(done.sent[0]?.text).toMatch(/recorded as done/);
    const task = await stack.call('listTasks', { query: { status: 'done' } });
    expect(task.body.tasks[0]).toMatchObject({
      evidence: {
        agency: 'County Sheriff',
        referenceNumber: 'SO-26-1182',
        reportedAt: '2026-11-28T17:00:00.000Z',
      },
    });
  });

  it('a retried activity (same id) advances nothing and sends nothing', async () => {
    const start = activity(CASEWORKER_AAD, { text: 'screen CASE-T2' });
    const first = await post(start);
    const before = await tableContents(stack);
    const again = await post(start);
    expect(again.status).toBe(200);
    expect(again.sent).toEqual([]);
    expect(await tableContents(stack)).toEqual(before);
    const press1 = press(lastCard(first.sent), 'Unknown');
    await post(press1);
    const afterAnswer = await tableContents(stack);
    expect((await post(press1)).sent).toEqual([]);
    expect(await tableContents(stack)).toEqual(afterAnswer);
  });

  it('pauses, and "resume" picks the conversation up at the prompt it was paused at', async () => {
    // "resume" takes the most recently touched unfinished conversation: this one, a minute after CASE-T2's
    // (with the clock standing still the two would tie and the order would be the ids').
    stack.clock.advance(60_000);
    const started = await post(activity(CASEWORKER_AAD, { text: 'missing CASE-T3' }));
    const before = lastCard(started.sent)?.actions?.[0]?.data;
    const paused = await post(press(lastCard(started.sent), 'Pause'));
    expect(lastCard(paused.sent)?.actions?.[0]?.data).toMatchObject({ event: 'resume' });
    const resumed = await post(activity(CASEWORKER_AAD, { text: 'resume' }));
    // Issue 17: the paused conversation is resumed, not shown paused; the others unfinished are listed first.
    expect(resumed.sent.map((message) => message.text).filter(Boolean)).toEqual([
      'Continuing where you left off: Missing-from-care report, CASE-T3.',
    ]);
    const prompt = lastCard(resumed.sent);
    expect(JSON.stringify(prompt)).toContain('Question 1 of');
    expect(prompt?.actions?.[0]?.data).toMatchObject({
      conversationId: before?.conversationId,
      promptId: before?.promptId,
    });
    // "resume" again, now that it runs: the same prompt is shown as it stands (a recorded read), nothing moves.
    const again = await post(activity(CASEWORKER_AAD, { text: 'resume' }));
    expect(lastCard(again.sent)?.actions?.[0]?.data).toMatchObject({
      conversationId: before?.conversationId,
      promptId: before?.promptId,
    });
  });

  it('speaks Spanish to a Spanish-speaking user, and says how to start', async () => {
    const reply = await post(activity(CASEWORKER_AAD, { text: 'ayuda', locale: 'es-US' }));
    expect(reply.sent[0]?.text).toContain('evaluar');
    const started = await post(activity(CASEWORKER_AAD, { text: 'evaluar CASO-77', locale: 'es-US' }));
    expect(JSON.stringify(lastCard(started.sent))).toContain('Pregunta 1 de');
  });

  it('a Teams user nobody linked is told so, and nothing is read or written', async () => {
    const before = await tableContents(stack);
    const reply = await post(activity('aad-stranger', { text: 'my tasks' }));
    expect(reply.sent[0]?.text).toMatch(/not linked/);
    expect(await tableContents(stack)).toEqual(before);
  });
});

describe('only Bot Framework can talk to the bot', () => {
  it('no token, or a token for another bot: 401, nothing handled, nothing sent', async () => {
    const before = await tableContents(stack);
    for (const authorization of [null, `Bearer ${await fake.tokenFor('another-bot')}`]) {
      const reply = await post(activity(CASEWORKER_AAD, { text: 'my tasks' }), authorization);
      expect(reply.status).toBe(401);
      expect(reply.sent).toEqual([]);
    }
    expect(await tableContents(stack)).toEqual(before);
  });

  it('a forged serviceUrl never receives the bot’s token', async () => {
    const forged = activity(CASEWORKER_AAD, { text: 'my tasks', serviceUrl: 'http://localhost:9/steal/' });
    const signedForForged = `Bearer ${await fake.tokenFor(APP_ID, { serviceurl: 'http://localhost:9/steal/' })}`;
    const reply = await post(forged, signedForForged);
    expect(reply.status).toBe(401);
    expect(reply.sent).toEqual([]);
  });
});

/** The proactive delivery job, wired to the test's store, Bot Framework fake and clock; no waiting on 429s. */
const delivery = () =>
  makeDeliverHandler(() => ({
    teams,
    adapter: deps.adapter,
    logger: new Logger({ logLevel: 'SILENT' }),
    clock: () => stack.clock.now,
    directory: testDirectory,
    sleep: async () => undefined,
    maxWaitSeconds: 30,
  }));

/** Outbox records as the table's stream hands them to the delivery job. */
const streamOf = (items: readonly object[]) => ({
  Records: items.map((item) => ({
    eventName: 'INSERT' as const,
    dynamodb: { NewImage: marshall(item, { removeUndefinedValues: true }) as never },
  })),
});

describe('proactive reminders', () => {
  it('a due reminder and an escalation reach Teams as cards; delivered once; 429 backs off', async () => {
    await post(activity(SUPERVISOR_AAD, { text: 'help' }));
    const screening = await ScreeningDriver.start(stack, 'en', 'CASE-T9');
    await screening.sendAll(
      fullScreening({ determination: 'identified', cws: 'yes', receivedAt: '2026-11-28T16:00:00Z' }),
    );
    const deliver = delivery();
    await sweepDueTasks(stack.deps.services, new Date('2026-11-29T14:30:00Z'));
    await sweepDueTasks(stack.deps.services, new Date('2026-11-29T16:30:00Z'));
    const outbox = await stack.deps.services.store.listOutbox('county-a', 100);
    expect(outbox.length).toBeGreaterThan(0);
    const stream = streamOf(outbox);
    fake.throttleNext(1, 2);
    const before = fake.received.length;
    const first = await recorder.during('deliverToTeams', () => deliver(stream));
    expect(first.delivered).toBeGreaterThan(0);
    const proactive = fake.received.slice(before);
    expect(proactive.every((message) => message.authorization === 'Bearer the-bots-own-token')).toBe(true);
    const texts = proactive.map((message) => JSON.stringify(message.body));
    // The caseworker last wrote in Spanish, so their reminder is in Spanish; the supervisor's is in English.
    expect(texts.some((text) => text.includes('Recordatorio') && text.includes('R-REPORT-1'))).toBe(true);
    expect(texts.some((text) => text.includes('Escalation'))).toBe(true);
    // The stream may deliver a batch twice: nothing is sent twice.
    const again = await recorder.during('deliverToTeams', () => deliver(stream));
    expect(again.delivered).toBe(0);
  });
});

describe('R-OVERRIDE-1: a cancelled statutory report in Teams', () => {
  it('R-OVERRIDE-1: reaches the unit’s supervisors as a card, once', async () => {
    await post(activity(SUPERVISOR_AAD, { text: 'help' }));
    const screening = await ScreeningDriver.start(stack, 'en', 'CASE-T10');
    const reply = await screening.sendAll(
      fullScreening({ determination: 'identified', cws: 'yes', receivedAt: '2026-11-28T16:00:00Z' }),
    );
    const report = (reply.body.tasks as Array<{ id: string; requirementId: string }>).find(
      (task) => task.requirementId === 'R-REPORT-1',
    )!;
    const cancelled = await stack.call('cancelTask', {
      id: report.id,
      body: { reason: 'Reported at the scene by the officer' },
    });
    expect(cancelled.status).toBe(200);
    const notices = (await stack.deps.services.store.listOutbox('county-a', 200)).filter(
      (n) => n.taskId === report.id && n.type === 'cancellation',
    );
    expect(notices).toHaveLength(1);
    const deliver = delivery();
    const stream = streamOf(notices);
    const before = fake.received.length;
    expect((await deliver(stream)).delivered).toBe(1);
    const sent = fake.received.slice(before).map((message) => JSON.stringify(message.body));
    expect(sent).toHaveLength(1);
    expect(sent[0]).toContain('statutory report in your unit was cancelled');
    expect(sent[0]).toContain('R-REPORT-1');
    expect((await deliver(stream)).delivered).toBe(0);
  });
});

describe('issue 16 finding 2: a return interview’s request to close reaches the locate task’s owner in Teams', () => {
  it('issue 16 finding 2: closure_requested is delivered to the owner as a card, once, in their language', async () => {
    await post(activity(CASEWORKER_AAD, { text: 'help' }));
    const missing = await ScreeningDriver.start(stack, 'en', 'CASE-T16', 'missing-from-care');
    const done = await missing.answerUntilDone({ cws: { answer: 'yes' }, situation: { answer: 'missing' } });
    const locate = (done.body.tasks as Array<{ id: string; taskType: string }>).find(
      (task) => task.taskType === 'locate',
    )!;
    const colleague = {
      sub: 'caseworker-2',
      org: 'county-a',
      unit: 'unit-1',
      roles: ['caseworker' as const],
    };
    const interview = await ScreeningDriver.start(stack, 'en', 'CASE-T16', 'runaway-return', colleague, {
      links: { missingReport: missing.id },
    });
    await interview.answerUntilDone({ determination: { answer: 'at_risk' }, cws: { answer: 'yes' } });
    const notices = (await stack.deps.services.store.listOutbox('county-a', 200)).filter(
      (n) => n.taskId === locate.id && n.type === 'closure_requested',
    );
    expect(notices).toHaveLength(1);
    const deliver = delivery();
    const stream = streamOf(notices);
    const before = fake.received.length;
    expect((await deliver(stream)).delivered).toBe(1);
    const sent = fake.received.slice(before).map((message) => JSON.stringify(message.body));
    expect(sent).toHaveLength(1);
    expect(sent[0]).toContain('The youth has returned');
    expect(sent[0]).toContain('R-RUN-2');
    expect((await deliver(stream)).delivered).toBe(0);
  });
});

describe('activities the connector could not be answered at', () => {
  // Found by the fuzz test: a signed activity with an empty conversation id reached the SDK and became a 500.
  it('an empty or path-breaking conversation or activity id is refused with 400 before anything runs', async () => {
    for (const fields of [
      { conversation: { id: '', tenantId: TENANT } },
      { conversation: { id: 'a/../b', tenantId: TENANT } },
      { id: 'x?y' },
      { from: { id: '', aadObjectId: CASEWORKER_AAD } },
    ]) {
      const reply = await post(activity(CASEWORKER_AAD, { text: 'help', ...fields }));
      expect(reply.status, JSON.stringify(fields)).toBe(400);
      expect(reply.sent).toEqual([]);
    }
  });
});

describe('the Teams functions’ DynamoDB permissions (issue 9; issue 16, finding 5)', () => {
  it.each(['teamsMessages', 'deliverToTeams'] as const)(
    '%s: every request it made above is granted, every grant was used, every write only on its partitions',
    (name) => {
      const { refused, unused, unconfined } = compareWithPermission(
        teamsPermissions[name],
        recorder.recorded().get(name) ?? [],
      );
      expect(refused, 'requests the policy would refuse (a write outside its partitions included)').toEqual(
        [],
      );
      expect(unused, 'grants never used (each write prefix counts alone)').toEqual([]);
      expect(unconfined, 'writes granted outside a dynamodb:LeadingKeys prefix').toEqual([]);
    },
  );
});
