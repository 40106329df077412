import { randomUUID } from 'node:crypto';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { supervisorBoard } from '#functions/domain/supervision.ts';
import { type MessagesDeps, makeMessagesHandler } from '#functions/teams/messages-handler.ts';
import { createTeamsStore, type TeamsStore } from '#functions/teams/teams-store.ts';
import { teamsPermissions } from '#infra/table-permissions.ts';
import { apiGatewayEvent } from '../../scripts/api-gateway-event.ts';
import { type BotFrameworkFake, startBotFrameworkFake } from '../support/bot-framework.ts';
import { fullScreening, ScreeningDriver } from '../support/screening.ts';
import { createTestStack, demoUser, type TestStack, type TestUser } from '../support/stack.ts';
import { type ActionRecorder, compareWithPermission, recordTableActions } from '../support/table-actions.ts';
import { linkInTeams, TEST_BOT_APP_ID, teamsTestDeps } from '../support/teams-bot.ts';
import { adaptiveCardProblems } from './adaptive-card.ts';

/**
 * Issue 17 in Teams: the supervisors' board as a card (`board`), and `resume` picking up any unfinished
 * conversation of the user's, whichever channel started it, at the prompt it stopped at. Signed activities
 * reach `POST /api/messages`, run on DynamoDB Local, and the replies land on a loopback Connector API.
 */

const APP_ID = TEST_BOT_APP_ID;
const TENANT = '11111111-2222-4333-8444-555555555555';
const NOW = '2026-11-28T17:00:00.000Z';

const caseworker = { aad: 'aad-board-caseworker-1', user: demoUser };
const lister: TestUser = { sub: 'caseworker-3', org: 'county-a', unit: 'unit-1', roles: ['caseworker'] };
const listerAad = 'aad-board-caseworker-3';
const supervisorAad = 'aad-board-supervisor-1';
const quietSupervisorAad = 'aad-board-supervisor-9';

let stack: TestStack;
let fake: BotFrameworkFake;
let teams: TeamsStore;
let deps: MessagesDeps;
let handler: ReturnType<typeof makeMessagesHandler>;
let recorder: ActionRecorder;

beforeAll(async () => {
  stack = await createTestStack({ startAt: NOW });
  recorder = recordTableActions(stack.doc);
  fake = await startBotFrameworkFake();
  teams = createTeamsStore(stack.doc, stack.tableName);
  const link = (aadObjectId: string, userId: string, unit: string, role: 'caseworker' | 'supervisor') =>
    linkInTeams(teams, {
      tenantId: TENANT,
      aadObjectId,
      userId,
      org: 'county-a',
      unit,
      roles: [role],
    });
  await link(caseworker.aad, demoUser.sub, 'unit-1', 'caseworker');
  await link(listerAad, lister.sub, 'unit-1', 'caseworker');
  await link(supervisorAad, 'supervisor-1', 'unit-1', 'supervisor');
  await link(quietSupervisorAad, 'supervisor-9', 'unit-9', 'supervisor');
  deps = teamsTestDeps(stack, fake, teams);
  handler = makeMessagesHandler(() => deps);
});

afterAll(async () => {
  await fake.close();
});

interface CardAction {
  type: string;
  title: string;
  data?: Record<string, unknown>;
}
interface CardContent {
  version: string;
  body: Array<Record<string, unknown>>;
  actions?: CardAction[];
}
interface Sent {
  text?: string;
  attachments?: Array<{ content: CardContent }>;
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
    from: { id: `29:${aad}`, aadObjectId: aad, name: 'A user' },
    recipient: { id: `28:${APP_ID}`, name: 'Screening assistant' },
    conversation: { id: `a:personal-${aad}`, conversationType: 'personal', tenantId: TENANT },
    channelData: { tenant: { id: TENANT } },
    ...fields,
  };
}

async function post(body: unknown): Promise<Sent[]> {
  const before = fake.received.length;
  const event: APIGatewayProxyEventV2 = apiGatewayEvent({
    route: { method: 'POST', path: '/api/messages' },
    headers: { 'content-type': 'application/json', authorization: `Bearer ${await fake.tokenFor(APP_ID)}` },
    body: JSON.stringify(body),
  });
  const result = await recorder.during('teamsMessages', () => handler(event));
  expect(result.statusCode ?? 200).toBe(200);
  return fake.received.slice(before).map((received) => received.body as Sent);
}

const say = (aad: string, text: string, locale = 'en-US') => post(activity(aad, { text, locale }));
const cardsOf = (sent: Sent[]) => sent.flatMap((message) => message.attachments ?? []).map((a) => a.content);
const lastCard = (sent: Sent[]) => cardsOf(sent).at(-1)!;
const textsOf = (sent: Sent[]) => sent.flatMap((message) => (message.text ? [message.text] : []));

/** Every TextBlock of a card, in reading order, however deeply it sits in containers. */
function blocksOf(node: unknown): string[] {
  if (Array.isArray(node)) return node.flatMap(blocksOf);
  if (typeof node !== 'object' || node === null) return [];
  const record = node as Record<string, unknown>;
  if (record.type === 'TextBlock' && typeof record.text === 'string') return [record.text];
  if (record.type === 'FactSet' && Array.isArray(record.facts))
    return (record.facts as Array<{ title: string; value: string }>).map((f) => `${f.title}: ${f.value}`);
  return Object.values(record).flatMap(blocksOf);
}

/** Every Action.Submit of a card, card-level or in an ActionSet. */
function submitsOf(node: unknown): CardAction[] {
  if (Array.isArray(node)) return node.flatMap(submitsOf);
  if (typeof node !== 'object' || node === null) return [];
  const record = node as Record<string, unknown>;
  if (record.type === 'Action.Submit') return [record as unknown as CardAction];
  return Object.values(record).flatMap(submitsOf);
}

const pressed = (aad: string, action: CardAction | undefined, inputs: Record<string, unknown> = {}) => {
  if (!action) throw new Error('no such button');
  return post(activity(aad, { text: '', value: { ...action.data, ...inputs } }));
};

async function identifiedScreening(subjectRef: string, receivedAt: string) {
  const driver = await ScreeningDriver.start(stack, 'en', subjectRef);
  return driver.sendAll(fullScreening({ determination: 'identified', cws: 'yes', receivedAt }));
}

describe('the supervisors’ board in Teams (issue 17)', () => {
  beforeAll(async () => {
    // One screening received two and a half days ago (its reports long overdue), one an hour ago with its
    // 24-hour report already made.
    await identifiedScreening('CASE-B1', '2026-11-26T10:00:00Z');
    const recent = await identifiedScreening('CASE-B2', '2026-11-28T16:00:00Z');
    const report = recent.body.tasks.find(
      (task: { requirementId: string }) => task.requirementId === 'R-REPORT-1',
    );
    const done = await stack.call('completeTask', {
      id: report.id,
      body: { evidence: { agency: 'Sheriff', referenceNumber: 'R-1', reportedAt: '2026-11-28T16:30:00Z' } },
    });
    expect(done.status).toBe(200);
  });

  it('R-REPORT-1: a supervisor’s card shows the longest-overdue task first, with its owner and how long in words', async () => {
    const sent = await say(supervisorAad, 'board');

    const card = lastCard(sent);
    expect(adaptiveCardProblems(card)).toEqual([]);
    const blocks = blocksOf(card);
    expect(blocks[0]).toBe('Deadlines of unit unit-1');
    // Two screenings of six tasks each, one report made; the late screening's four, and the recent one's
    // two immediate cross-reports, are overdue.
    expect(blocks[1]).toBe('11 open · 6 overdue · 1 done');
    const overdueAt = blocks.indexOf('Overdue now: 6');
    expect(overdueAt).toBeGreaterThan(0);
    // At the top: the cross-reports owed at once since 26 Nov 10:00 UTC, 55 hours ago; then the 24-hour
    // report due 27 Nov 10:00 UTC, 31 hours ago.
    expect(blocks[overdueAt + 1]).toMatch(/^R-REPORT-3 · /);
    expect(blocks[overdueAt + 2]).toBe('CASE-B1 · caseworker-1 · overdue by 2 days');
    const lateReport = blocks.findIndex((block) => /^R-REPORT-1 · /.test(block));
    expect(lateReport).toBeGreaterThan(overdueAt);
    expect(blocks[lateReport + 1]).toBe('CASE-B1 · caseworker-1 · overdue by 31 h');
    expect(blocks).toContain('and 1 more overdue');
    // The board of the domain says the same: the card's first overdue task is the board's first.
    const board = await supervisorBoard(stack.deps.services, {
      userId: 'supervisor-1',
      org: 'county-a',
      unit: 'unit-1',
      roles: ['supervisor'],
    });
    expect(board.tasks[0]).toMatchObject({
      overdue: true,
      subjectRef: 'CASE-B1',
      requirementId: 'R-REPORT-3',
    });
  });

  it('gives the on-time rate over 30 and 90 days with its counts, and counts by requirement and owner', async () => {
    const blocks = blocksOf(lastCard(await say(supervisorAad, 'board')));

    // Due so far: the late screening's four and the recent one's two cross-reports, none met; the report
    // made on time is not due until tomorrow.
    expect(blocks).toContain('Last 30 days: 0% on time (0 of 6 due)');
    expect(blocks).toContain('Last 90 days: 0% on time (0 of 6 due)');
    expect(blocks).toContain('R-REPORT-3: 6 open · 5 overdue · 0 done');
    expect(blocks).toContain('R-REPORT-1: 1 open · 1 overdue · 1 done');
    expect(blocks.some((block) => /^caseworker-1: \d+ open · 6 overdue$/.test(block))).toBe(true);
  });

  it('a unit with no deadline due yet says so, not a made-up percentage', async () => {
    const blocks = blocksOf(lastCard(await say(quietSupervisorAad, 'board')));

    expect(blocks).toContain('Last 30 days: No deadlines due yet');
    expect(blocks).toContain('Last 90 days: No deadlines due yet');
    expect(blocks).toContain('Nothing is overdue.');
    expect(blocks.join('\n')).not.toContain('%');
  });

  it('speaks Spanish to a Spanish-speaking supervisor', async () => {
    const card = lastCard(await say(supervisorAad, 'tablero', 'es-US'));

    expect(adaptiveCardProblems(card)).toEqual([]);
    const blocks = blocksOf(card);
    expect(blocks[0]).toBe('Plazos de la unidad unit-1');
    expect(blocks).toContain('CASE-B1 · caseworker-1 · vencida hace 2 días');
    expect(blocks.some((block) => block.startsWith('Últimos 30 días: 0'))).toBe(true);
  });

  it('a caseworker is told kindly, in their language, that the board is for supervisors', async () => {
    const english = await say(caseworker.aad, 'board');
    const spanish = await say(caseworker.aad, 'tablero', 'es-US');

    expect(cardsOf([...english, ...spanish])).toEqual([]);
    expect(textsOf(english)).toEqual([expect.stringMatching(/to its supervisors.*\*\*my tasks\*\*/)]);
    expect(textsOf(spanish)).toEqual([expect.stringMatching(/a sus supervisores.*\*\*mis tareas\*\*/)]);
  });
});

describe('resume in Teams picks up what another channel started (issue 17)', () => {
  it('a screening started and paused through the API resumes in Teams at the very prompt it was paused at', async () => {
    const screening = await ScreeningDriver.start(stack, 'en', 'CASE-R1');
    await screening.sendAll([{ unknown: true }, { unknown: true }]);
    const before = screening.last.body.prompt as { id: string; text: string };
    await screening.sendAll([{ pause: true }]);
    expect(screening.last.body.conversation.status).toBe('paused');

    const sent = await say(caseworker.aad, 'resume');

    expect(textsOf(sent)).toEqual(['Continuing where you left off: CSE screening, CASE-R1.']);
    const card = lastCard(sent);
    expect(adaptiveCardProblems(card)).toEqual([]);
    expect(blocksOf(card)).toContain(before.text);
    expect(blocksOf(card)[0]).toMatch(/Question 3 of \d+$/);
    const buttons = card.actions ?? [];
    expect(buttons.length).toBeGreaterThan(0);
    for (const button of buttons)
      expect(button.data).toMatchObject({ conversationId: screening.id, promptId: before.id });
    const stored = await stack.call('getConversation', { id: screening.id });
    expect(stored.body.conversation.status).not.toBe('paused');
    expect(stored.body.prompt.id).toBe(before.id);
    // The card answers that very conversation: the next question follows.
    const next = await pressed(
      caseworker.aad,
      buttons.find((button) => button.title === 'Unknown'),
    );
    expect(blocksOf(lastCard(next))[0]).toMatch(/Question 4 of \d+$/);
  });

  it('several unfinished: the most recent resumes, the others are listed to pick by number or button', async () => {
    const screening = await ScreeningDriver.start(stack, 'en', 'CASE-L1', 'cse-screening', lister);
    await screening.sendAll([{ unknown: true }, { unknown: true }]);
    const screeningPrompt = screening.last.body.prompt as { id: string; text: string };
    stack.clock.advance(60_000);
    const missing = await ScreeningDriver.start(stack, 'en', 'CASE-L2', 'missing-from-care', lister);
    const missingPrompt = missing.last.body.prompt as { id: string; text: string };
    await missing.sendAll([{ pause: true }]);
    stack.clock.advance(60_000);
    const custody = await ScreeningDriver.start(stack, 'en', 'CASE-L3', 'custody-check', lister);
    const custodyPrompt = custody.last.body.prompt as { id: string; text: string };
    stack.clock.advance(60_000);

    const sent = await say(listerAad, 'resume');

    const [list, prompt] = cardsOf(sent);
    expect(adaptiveCardProblems(list)).toEqual([]);
    const listed = blocksOf(list);
    expect(listed.slice(0, 1)).toEqual(['Your other unfinished conversations']);
    expect(listed).toContain('2. Missing-from-care report · CASE-L2');
    expect(listed).toContain('Paused · updated Nov 28, 2026, 9:01 AM (Pacific)');
    expect(listed).toContain('3. CSE screening · CASE-L1');
    expect(
      listed.some((block) => /Question 3 of \d+ · updated Nov 28, 2026, 9:00 AM \(Pacific\)$/.test(block)),
    ).toBe(true);
    expect(listed.join('\n')).not.toContain('CASE-L3');
    expect(textsOf(sent)).toEqual(['Continuing where you left off: Custody check (WIC § 305), CASE-L3.']);
    expect(blocksOf(prompt)).toContain(custodyPrompt.text);

    const buttons = submitsOf(list);
    expect(buttons.map((button) => button.title)).toEqual(['Resume 2', 'Resume 3']);
    const byButton = await pressed(listerAad, buttons[1]);
    expect(textsOf(byButton)).toEqual(['Continuing where you left off: CSE screening, CASE-L1.']);
    expect(blocksOf(lastCard(byButton))).toContain(screeningPrompt.text);
    expect(lastCard(byButton).actions?.[0]?.data).toMatchObject({ promptId: screeningPrompt.id });

    const byNumber = await say(listerAad, 'resume 2');
    expect(textsOf(byNumber)).toEqual(['Continuing where you left off: Missing-from-care report, CASE-L2.']);
    expect(blocksOf(lastCard(byNumber))).toContain(missingPrompt.text);
    expect(
      (await stack.call('getConversation', { id: missing.id, user: lister })).body.conversation.status,
    ).not.toBe('paused');

    const none = await say(listerAad, 'continuar 9', 'es-US');
    expect(textsOf(none)).toEqual([
      expect.stringMatching(/^No hay ninguna conversación sin terminar con el número 9/),
    ]);
    const spanishList = await say(listerAad, 'continuar', 'es-US');
    expect(blocksOf(cardsOf(spanishList)[0])[0]).toBe('Sus otras conversaciones sin terminar');
  });

  it('with nothing unfinished anywhere, there is nothing to resume', async () => {
    const sent = await say(quietSupervisorAad, 'resume');

    expect(textsOf(sent)).toEqual([expect.stringMatching(/no conversation to resume/)]);
  });
});

describe('the Teams function’s DynamoDB permissions for the board and resume', () => {
  it('every request the board and resume made above is one the teamsMessages policy grants', () => {
    const { refused } = compareWithPermission(
      teamsPermissions.teamsMessages,
      recorder.recorded().get('teamsMessages') ?? [],
    );

    expect(refused, 'requests the policy would refuse').toEqual([]);
  });
});
