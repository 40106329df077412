import { beforeEach, describe, expect, it } from 'vitest';
import { createFlowCatalog } from '#flows/catalog.ts';
import { verifyConversationChain } from '#functions/audit/chain.ts';
import { type Action, ScreeningDriver } from '../support/screening.ts';
import { createTestStack, demoUser, type TestStack, type TestUser } from '../support/stack.ts';
import { tableContents } from '../support/table.ts';
import { Tablet } from '../support/tablet-device.ts';

/**
 * Issue 16, findings 2 and 6: a return interview settles only the locate task of the missing-from-care
 * report it is linked to, and only if its interviewer may settle it (otherwise the owner is asked); a
 * synced event is ordered and audited at the server's receipt, the device's time kept as a bounded claim.
 */

let stack: TestStack;

beforeEach(async () => {
  stack = await createTestStack({ startAt: '2026-11-28T17:00:00.000Z' });
});

const caseworker1 = demoUser;
const caseworker2: TestUser = { sub: 'caseworker-2', org: 'county-a', unit: 'unit-1', roles: ['caseworker'] };
const supervisor: TestUser = { sub: 'supervisor-1', org: 'county-a', unit: 'unit-1', roles: ['supervisor'] };
const interviewer: TestUser = {
  sub: 'interviewer-1',
  org: 'county-a',
  unit: 'unit-1',
  roles: ['interviewer'],
};
const elsewhere: TestUser = { sub: 'caseworker-9', org: 'county-b', unit: 'unit-1', roles: ['caseworker'] };

type Task = { id: string; taskType: string; status: string };

async function reportMissing(subjectRef: string, user: TestUser = caseworker1) {
  const driver = await ScreeningDriver.start(stack, 'en', subjectRef, 'missing-from-care', user);
  const reply = await driver.answerUntilDone({
    cws: { answer: 'yes' },
    situation: { answer: 'missing' },
    received_at: { answer: '2026-11-28T08:00:00-08:00' },
  });
  const locate = (reply.body.tasks as Task[]).find((task) => task.taskType === 'locate')!;
  expect(locate.status).toBe('open');
  return { id: driver.id, locate };
}

const RETURN_SCRIPT: Record<string, Action> = {
  determination: { answer: 'at_risk' },
  cws: { answer: 'yes' },
  received_at: { answer: '2026-11-28T09:00:00-08:00' },
};

async function returnInterview(subjectRef: string, user: TestUser, missingReport?: string) {
  const driver = await ScreeningDriver.start(
    stack,
    'en',
    subjectRef,
    'runaway-return',
    user,
    missingReport ? { links: { missingReport } } : {},
  );
  const reply = await driver.answerUntilDone(RETURN_SCRIPT);
  return { driver, reply };
}

const statusOf = async (taskId: string) => (await stack.deps.services.store.getTask(taskId))!.status;
const outbox = async (org = 'county-a') => stack.deps.services.store.listOutbox(org, 200);
const codes = (reply: { body: { warnings: { code: string }[] } }) =>
  reply.body.warnings.map((warning) => warning.code);

describe('issue 16 finding 2: a return interview closes only the linked report’s locate task', () => {
  it('issue 16 finding 2: caseworker-2’s return interview does not close caseworker-1’s locate task; caseworker-1 is asked to close it', async () => {
    const missing = await reportMissing('CASE-1601');
    const { reply } = await returnInterview('CASE-1601', caseworker2, missing.id);

    expect(await statusOf(missing.locate.id)).toBe('open');
    expect(codes(reply)).toContain('locate_closure_requested');
    const asked = (await outbox()).filter((n) => n.type === 'closure_requested');
    expect(asked).toHaveLength(1);
    expect(asked[0]).toMatchObject({
      taskId: missing.locate.id,
      recipient: { userId: 'caseworker-1' },
      subjectRef: 'CASE-1601',
    });
    // The owner sees the request among their notifications; caseworker-2 does not.
    const mine = await stack.call('listNotifications', { user: caseworker1 });
    expect(mine.body.notifications.map((n: { type: string }) => n.type)).toContain('closure_requested');
    const theirs = await stack.call('listNotifications', { user: caseworker2 });
    expect(theirs.body.notifications).toEqual([]);
    // The owner closes it themselves.
    const closed = await stack.call('cancelTask', {
      id: missing.locate.id,
      body: { reason: 'The youth returned: return interview done' },
      user: caseworker1,
    });
    expect(closed.status).toBe(200);
  });

  it('issue 16 finding 2: an interview without a link closes nothing, not even a task with a mistyped reference, and says so', async () => {
    const intended = await reportMissing('CASE-1602');
    const typo = await reportMissing('CASE-1620');
    const { reply } = await returnInterview('CASE-1620', caseworker1);

    expect(await statusOf(typo.locate.id)).toBe('open');
    expect(await statusOf(intended.locate.id)).toBe('open');
    expect(codes(reply)).toContain('no_missing_report_linked');
    expect((await outbox()).filter((n) => n.type !== 'reminder')).toEqual([]);
  });

  it('issue 16 finding 2: the owner’s own linked interview closes the task; a supervisor’s closes it and tells the owner', async () => {
    const own = await reportMissing('CASE-1603');
    const ownReturn = await returnInterview('CASE-1603', caseworker1, own.id);
    expect(await stack.deps.services.store.getTask(own.locate.id)).toMatchObject({
      status: 'done',
      closure: { reason: 'youth_returned', conversationId: ownReturn.driver.id },
    });
    expect(codes(ownReturn.reply)).not.toContain('no_missing_report_linked');

    const other = await reportMissing('CASE-1604');
    const supervised = await returnInterview('CASE-1604', supervisor, other.id);
    expect(await stack.deps.services.store.getTask(other.locate.id)).toMatchObject({
      status: 'done',
      closure: { reason: 'youth_returned', conversationId: supervised.driver.id },
    });
    const told = (await outbox()).filter((n) => n.type === 'task_closed');
    expect(told).toHaveLength(1);
    expect(told[0]).toMatchObject({ taskId: other.locate.id, recipient: { userId: 'caseworker-1' } });
  });

  it('issue 16 finding 2: an interviewer’s return interview asks the owner rather than closing the task', async () => {
    const missing = await reportMissing('CASE-1605');
    const { reply } = await returnInterview('CASE-1605', interviewer, missing.id);
    expect(await statusOf(missing.locate.id)).toBe('open');
    expect(codes(reply)).toContain('locate_closure_requested');
    expect((await outbox()).filter((n) => n.type === 'closure_requested')).toHaveLength(1);
  });

  it('issue 16 finding 2: a link to no missing-from-care report about this youth in the organisation is refused (422 missing_report_not_found), and nothing is written', async () => {
    const missing = await reportMissing('CASE-1606');
    const screening = await ScreeningDriver.start(stack, 'en', 'CASE-1606', 'cse-screening');
    const foreign = await ScreeningDriver.start(stack, 'en', 'CASE-1606', 'missing-from-care', elsewhere);
    const before = await tableContents(stack);
    const attempts: [string, unknown, TestUser][] = [
      ['another youth', { subjectRef: 'CASE-1699', links: { missingReport: missing.id } }, caseworker2],
      ['not a report', { subjectRef: 'CASE-1606', links: { missingReport: screening.id } }, caseworker2],
      [
        'no such record',
        { subjectRef: 'CASE-1606', links: { missingReport: crypto.randomUUID() } },
        caseworker2,
      ],
      [
        'another organisation',
        { subjectRef: 'CASE-1606', links: { missingReport: foreign.id } },
        caseworker2,
      ],
    ];
    for (const [name, body, user] of attempts) {
      const reply = await stack.call('createConversation', {
        body: { flow: 'runaway-return', locale: 'en', ...(body as object) },
        user,
      });
      expect([reply.status, reply.body.error?.code], name).toEqual([422, 'missing_report_not_found']);
    }
    const notReturn = await stack.call('createConversation', {
      body: {
        flow: 'cse-screening',
        locale: 'en',
        subjectRef: 'CASE-1606',
        links: { missingReport: missing.id },
      },
    });
    expect([notReturn.status, notReturn.body.error?.code]).toEqual([422, 'links_not_allowed']);
    const malformed = await stack.call('createConversation', {
      body: { flow: 'runaway-return', locale: 'en', subjectRef: 'CASE-1606', links: { missingReport: 'x' } },
    });
    expect([malformed.status, malformed.body.error?.code]).toEqual([400, 'invalid_request']);
    expect(await tableContents(stack)).toEqual(before);

    const linked = await stack.call('createConversation', {
      body: {
        flow: 'runaway-return',
        locale: 'en',
        subjectRef: 'CASE-1606',
        links: { missingReport: missing.id },
      },
      user: caseworker2,
    });
    expect(linked.status).toBe(201);
    expect(linked.body.conversation.links).toEqual({ missingReport: missing.id });
  });
});

describe('issue 16 finding 6: a synced event’s time is the server’s; the device’s is a bounded claim', () => {
  const START = '2026-11-28T17:00:00.000Z';
  const minute = (n: number) => new Date(Date.parse(START) + n * 60_000).toISOString();

  async function startOffline() {
    stack.clock.set(START);
    const created = await stack.call('createConversation', {
      body: { flow: 'runaway-return', locale: 'en', subjectRef: 'CASE-1660' },
      user: interviewer,
    });
    expect(created.status).toBe(201);
    return { id: created.body.conversation.id as string, tablet: Tablet.forConversation(created.body) };
  }

  const sync = (id: string, events: unknown[]) =>
    stack.call('syncTurns', { id, body: { events }, user: interviewer });

  it('issue 16 finding 6: events are ordered and audited at the server’s receipt time; the device’s answeredAt is kept as claimedAt', async () => {
    const { id, tablet } = await startOffline();
    tablet.answerUntilDone(RETURN_SCRIPT);
    const receivedAt = '2026-11-28T18:00:00.000Z';
    stack.clock.set(receivedAt);
    const reply = await sync(id, tablet.queue);
    expect(reply.status, JSON.stringify(reply.body)).toBe(200);

    const stored = await stack.deps.services.store.listEvents(id);
    expect(stored.map((event) => event.event.at)).toEqual(tablet.queue.map(() => receivedAt));
    expect(stored.map((event) => event.claimedAt)).toEqual(tablet.queue.map((event) => event.answeredAt));
    const conversation = (await stack.deps.services.store.getConversation(id))!;
    expect(conversation.updatedAt).toBe(receivedAt);
    expect(
      verifyConversationChain(conversation, stored, { key: await stack.deps.services.chain.load() }),
    ).toEqual({ ok: true, length: stored.length });
    // The claim is part of the audited record: changing it breaks the chain.
    const forged = stored.map((event, index) => (index === 0 ? { ...event, claimedAt: START } : event));
    expect(
      verifyConversationChain(conversation, forged, { key: await stack.deps.services.chain.load() }).ok,
    ).toBe(false);

    const detail = await stack.call('getConversation', { id, user: interviewer });
    expect(detail.body.events.map((event: { at: string }) => event.at)).toEqual(
      tablet.queue.map(() => receivedAt),
    );
    expect(detail.body.events.map((event: { claimedAt?: string }) => event.claimedAt)).toEqual(
      tablet.queue.map((event) => event.answeredAt),
    );
  });

  it('issue 16 finding 6: a claim more than the window (72 h) behind the server’s receipt is refused, and nothing is written', async () => {
    const { id, tablet } = await startOffline();
    tablet.answerNext(minute(1));
    stack.clock.set(new Date(Date.parse(minute(1)) + 73 * 3_600_000).toISOString());
    const before = await tableContents(stack);
    const reply = await sync(id, tablet.queue);
    expect([reply.status, reply.body.error?.code]).toEqual([422, 'invalid_answered_at']);
    expect(reply.body.error.details).toMatchObject({ index: 0, bound: 'too_old' });
    expect(await tableContents(stack)).toEqual(before);

    // Within the window it is accepted, stored at the server's receipt.
    stack.clock.set(new Date(Date.parse(minute(1)) + 71 * 3_600_000).toISOString());
    const late = await sync(id, tablet.queue);
    expect(late.status, JSON.stringify(late.body)).toBe(200);
    const [event] = await stack.deps.services.store.listEvents(id);
    expect(event).toMatchObject({ claimedAt: minute(1), event: { at: stack.clock.now.toISOString() } });
  });

  it('issue 16 finding 6: a claim may not run backwards from the previous event’s claim, even when the server stamps both later', async () => {
    const { id, tablet } = await startOffline();
    tablet.answerNext(minute(5));
    stack.clock.set(minute(30));
    expect((await sync(id, tablet.queue)).status).toBe(200);
    const next = new Tablet(createFlowCatalog().current('runaway-return')!.flow, 'en', START);
    next.answerNext(minute(5));
    next.answerNext(minute(4));
    const before = await tableContents(stack);
    const reply = await sync(id, [next.queue[1]!]);
    expect([reply.status, reply.body.error?.code]).toEqual([422, 'invalid_answered_at']);
    expect(reply.body.error.details).toMatchObject({ bound: 'before_previous' });
    expect(await tableContents(stack)).toEqual(before);
  });
});
