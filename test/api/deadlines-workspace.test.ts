import { BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import { beforeEach, describe, expect, it } from 'vitest';
import { sweepDueTasks } from '#functions/reminders/actions.ts';
import type { OutboxRecord } from '#functions/storage/records.ts';
import { outboxItem } from '#functions/storage/store.ts';
import { fullScreening, ScreeningDriver } from '../support/screening.ts';
import { createTestStack, demoUser, type TestStack, type TestUser } from '../support/stack.ts';

/**
 * Issue 17: what the people who act on deadlines need from the API: notifications that cannot drop out,
 * the conversations they left unfinished, a supervisor moving a task, and the board's rates and CSV.
 */

let stack: TestStack;
const supervisor: TestUser = { sub: 'supervisor-1', org: 'county-a', unit: 'unit-1', roles: ['supervisor'] };
const colleague: TestUser = { ...demoUser, sub: 'caseworker-2' };
const otherUnitSupervisor: TestUser = { ...supervisor, sub: 'supervisor-2', unit: 'unit-2' };

beforeEach(async () => {
  stack = await createTestStack({ startAt: '2026-11-28T17:00:00.000Z' });
});

async function screen(receivedAt: string, subjectRef = 'CASE-1001') {
  const driver = await ScreeningDriver.start(stack, 'en', subjectRef);
  return driver.sendAll(fullScreening({ determination: 'identified', cws: 'yes', receivedAt }));
}

const reportOf = (reply: { body: { tasks: Array<{ id: string; requirementId: string }> } }) =>
  reply.body.tasks.find((task) => task.requirementId === 'R-REPORT-1')!;

describe('notifications by an index on the recipient (issue 17)', () => {
  it('returns a user’s reminder behind 1,000 newer outbox records of other people in the same organisation', async () => {
    const reply = await screen('2026-11-28T16:00:00Z');
    const report = reportOf(reply);
    await sweepDueTasks(stack.deps.services, new Date('2026-11-29T04:00:00Z'));

    // A busy county: 1,000 reminders for 50 other workers, all newer than ours, written as the store writes them.
    const others: OutboxRecord[] = Array.from({ length: 1000 }, (_, i) => ({
      kind: 'notification',
      org: 'county-a',
      unit: 'unit-1',
      taskId: `${String(i).padStart(4, '0')}-other:R-REPORT-1`,
      actionId: 'remind-12h',
      type: 'reminder',
      recipient: { role: 'caseworker', userId: `caseworker-busy-${i % 50}` },
      subjectRef: 'CASE-9999',
      title: 'Report to law enforcement',
      requirementId: 'R-REPORT-1',
      citation: 'Welf. & Inst. Code § 16501.35',
      dueAt: '2026-11-30T16:00:00.000Z',
      createdAt: new Date(Date.parse('2026-11-29T05:00:00Z') + i * 1000).toISOString(),
    }));
    for (let start = 0; start < others.length; start += 25) {
      await stack.doc.send(
        new BatchWriteCommand({
          RequestItems: {
            [stack.tableName]: others
              .slice(start, start + 25)
              .map((record) => ({ PutRequest: { Item: outboxItem(record) } })),
          },
        }),
      );
    }
    // The organisation's outbox is far beyond what any one read returns…
    expect((await stack.deps.services.store.listOutbox('county-a', 2000)).length).toBeGreaterThan(1000);

    // …and still the caseworker's own reminder is there, and only theirs.
    const own = await stack.call('listNotifications');
    expect(own.status).toBe(200);
    expect(own.body.notifications).toContainEqual(
      expect.objectContaining({ type: 'reminder', taskId: report.id, requirementId: 'R-REPORT-1' }),
    );
    expect(own.body.notifications.every((n: { subjectRef: string }) => n.subjectRef === 'CASE-1001')).toBe(
      true,
    );
    const busy = await stack.call('listNotifications', { user: { ...demoUser, sub: 'caseworker-busy-7' } });
    expect(busy.body.notifications).toHaveLength(20);
    expect(
      busy.body.notifications.every((n: { taskId: string }) => n.taskId.endsWith('-other:R-REPORT-1')),
    ).toBe(true);
    // Newest first.
    const times = busy.body.notifications.map((n: { createdAt: string }) => n.createdAt);
    expect(times).toEqual([...times].sort().reverse());
  });

  it('tells the owner when their task is escalated, and the supervisors what to do', async () => {
    const report = reportOf(await screen('2026-11-28T16:00:00Z'));
    await sweepDueTasks(stack.deps.services, new Date('2026-11-29T16:01:00Z'));
    const own = await stack.call('listNotifications');
    expect(own.body.notifications).toContainEqual(
      expect.objectContaining({ type: 'escalation_notice', taskId: report.id }),
    );
    const theirs = await stack.call('listNotifications', { user: supervisor });
    expect(theirs.body.notifications).toContainEqual(
      expect.objectContaining({ type: 'escalation', taskId: report.id }),
    );
    expect(theirs.body.notifications).not.toContainEqual(
      expect.objectContaining({ type: 'escalation_notice' }),
    );
  });
});

describe('unfinished conversations (issue 17: resume everywhere)', () => {
  it('lists the caller’s own unfinished conversations with where each stands, newest first', async () => {
    const first = await ScreeningDriver.start(stack, 'en', 'CASE-2001');
    await first.sendAll([{ answer: 'present' }, { answer: 'not_present' }]);
    stack.clock.advance(60_000);
    const second = await ScreeningDriver.start(stack, 'es', 'CASE-2002');
    await second.sendAll([{ answer: 'present' }, { pause: true }]);
    stack.clock.advance(60_000);
    const done = await ScreeningDriver.start(stack, 'en', 'CASE-2003');
    await done.sendAll(fullScreening({ determination: 'identified', cws: 'yes' }));
    await ScreeningDriver.start(stack, 'en', 'CASE-2004', 'cse-screening', colleague);

    const listed = await stack.call('listConversations', { query: { status: 'unfinished' } });
    expect(listed.status).toBe(200);
    expect(listed.body.conversations.map((c: { subjectRef: string }) => c.subjectRef)).toEqual([
      'CASE-2002',
      'CASE-2001',
    ]);
    const [paused, active] = listed.body.conversations;
    expect(paused).toMatchObject({ id: second.id, status: 'paused', locale: 'es', position: null });
    expect(active).toMatchObject({
      id: first.id,
      status: 'active',
      flow: 'cse-screening',
      version: first.version,
      position: { progress: { n: 3 } },
    });
    expect(active.position.progress.of).toBeGreaterThan(3);
    // The position is the prompt the conversation itself shows next.
    const shown = await stack.call('getConversation', { id: first.id });
    expect(active.position.section).toBe(shown.body.prompt.section);

    const bySubject = await stack.call('listConversations', {
      query: { status: 'unfinished', subjectRef: 'CASE-2001' },
    });
    expect(bySubject.body.conversations.map((c: { id: string }) => c.id)).toEqual([first.id]);
    const byFlow = await stack.call('listConversations', {
      query: { status: 'unfinished', flow: 'runaway-return' },
    });
    expect(byFlow.body.conversations).toEqual([]);
    const theirs = await stack.call('listConversations', {
      query: { status: 'unfinished' },
      user: colleague,
    });
    expect(theirs.body.conversations.map((c: { subjectRef: string }) => c.subjectRef)).toEqual(['CASE-2004']);

    // Finishing one takes it off the list.
    await first.answerUntilDone({});
    const after = await stack.call('listConversations', { query: { status: 'unfinished' } });
    expect(after.body.conversations.map((c: { id: string }) => c.id)).toEqual([second.id]);
  });

  it('a shelter’s `flow=cse-screening` finds its partner-variant screening (found by the widget)', async () => {
    const shelter: TestUser = { sub: 'shelter-1', org: 'shelter-a', unit: 'main', roles: ['shelter_staff'] };
    const started = await ScreeningDriver.start(stack, 'en', 'INTAKE-9', 'cse-screening', shelter);
    const listed = await stack.call('listConversations', {
      query: { status: 'unfinished', flow: 'cse-screening' },
      user: shelter,
    });
    expect(listed.body.conversations).toEqual([
      expect.objectContaining({ id: started.id, flow: 'partner-cse-screening' }),
    ]);
  });

  it('refuses a bad query with a stable code, and a role that holds no conversations', async () => {
    const queries: Array<Record<string, string>> = [
      {},
      { status: 'finished' },
      { status: 'unfinished', flow: 'DROP TABLE' },
    ];
    for (const query of queries) {
      const reply = await stack.call('listConversations', { query });
      expect([reply.status, reply.body.error.code]).toEqual([400, 'invalid_request']);
    }
    const admin = await stack.call('listConversations', {
      query: { status: 'unfinished' },
      user: { ...supervisor, sub: 'admin-1', roles: ['administrator'] },
    });
    expect(admin.status).toBe(403);
  });
});

describe('a supervisor reassigns a task (issue 17)', () => {
  it('moves an open task to another worker, who is told and finds it in their inbox', async () => {
    const report = reportOf(await screen('2026-11-26T10:00:00Z'));
    const moved = await stack.call('reassignTask', {
      id: report.id,
      body: { to: { kind: 'user', userId: 'caseworker-2' } },
      user: supervisor,
    });
    expect(moved.status).toBe(200);
    expect(moved.body).toMatchObject({ id: report.id, owner: 'caseworker-2', status: 'open' });

    const theirs = await stack.call('listTasks', { query: { scope: 'mine' }, user: colleague });
    expect(theirs.body.tasks.map((task: { id: string }) => task.id)).toEqual([report.id]);
    const mine = await stack.call('listTasks', { query: { scope: 'mine' } });
    expect(mine.body.tasks.map((task: { id: string }) => task.id)).not.toContain(report.id);
    const told = await stack.call('listNotifications', { user: colleague });
    expect(told.body.notifications).toEqual([
      expect.objectContaining({ type: 'assignment', taskId: report.id }),
    ]);
    const task = await stack.deps.services.store.getTask(report.id);
    expect(task?.history.at(-1)).toMatchObject({ action: 'reassigned', by: 'supervisor-1' });

    const again = await stack.call('reassignTask', {
      id: report.id,
      body: { to: { kind: 'user', userId: 'caseworker-2' } },
      user: supervisor,
    });
    expect([again.status, again.body.error.code]).toEqual([409, 'task_already_assigned']);
    const toQueue = await stack.call('reassignTask', {
      id: report.id,
      body: { to: { kind: 'queue' } },
      user: supervisor,
    });
    expect(toQueue.body.routedTo).toEqual({ kind: 'queue', unit: 'unit-1' });
    // The queue is every unit worker's inbox until someone claims it.
    const queued = await stack.call('listTasks', { query: { scope: 'mine' } });
    expect(queued.body.tasks.map((task: { id: string }) => task.id)).toContain(report.id);
  });

  it('is refused to a caseworker, hidden from another unit, and refused for a closed task or a bad body', async () => {
    const report = reportOf(await screen('2026-11-28T16:00:00Z'));
    const body = { to: { kind: 'user', userId: 'caseworker-2' } };
    const before = await stack.deps.services.store.getTask(report.id);

    const caseworker = await stack.call('reassignTask', { id: report.id, body });
    expect([caseworker.status, caseworker.body.error.code]).toEqual([403, 'forbidden']);
    const otherUnit = await stack.call('reassignTask', { id: report.id, body, user: otherUnitSupervisor });
    expect([otherUnit.status, otherUnit.body.error.code]).toEqual([404, 'not_found']);
    for (const bad of [
      {},
      { to: { kind: 'user' } },
      { to: { kind: 'user', userId: 'queue:unit-1' } },
      { to: { kind: 'supervisors' } },
      { ...body, extra: true },
    ]) {
      const reply = await stack.call('reassignTask', { id: report.id, body: bad, user: supervisor });
      expect([reply.status, reply.body.error.code]).toEqual([400, 'invalid_request']);
    }
    expect(await stack.deps.services.store.getTask(report.id)).toEqual(before);

    await stack.call('completeTask', {
      id: report.id,
      body: { evidence: { agency: 'Sheriff', referenceNumber: 'R-1', reportedAt: '2026-11-28T16:30:00Z' } },
    });
    const closed = await stack.call('reassignTask', { id: report.id, body, user: supervisor });
    expect([closed.status, closed.body.error.code]).toEqual([409, 'task_not_open']);
  });
});

describe('the board’s rates, trend and CSV (issue 17)', () => {
  it('reports the on-time rate over 30 and 90 days and by week, and downloads as CSV', async () => {
    // Three screenings: one report made on time, one made late, one still open and overdue.
    const onTime = reportOf(await screen('2026-11-20T10:00:00Z', 'CASE-3001'));
    const late = reportOf(await screen('2026-10-01T10:00:00Z', 'CASE-3002'));
    const open = reportOf(await screen('2026-11-26T10:00:00Z', 'CASE-3003'));
    const complete = (id: string, reportedAt: string) =>
      stack.call('completeTask', {
        id,
        body: { evidence: { agency: 'Sheriff', referenceNumber: 'R-1', reportedAt } },
      });
    expect((await complete(onTime.id, '2026-11-20T12:00:00Z')).status).toBe(200);
    expect((await complete(late.id, '2026-10-03T10:00:00Z')).status).toBe(200);

    const board = await stack.call('supervisorBoard', { user: supervisor });
    expect(board.status).toBe(200);
    const reportsOnly = (tasks: Array<{ requirementId: string }>) =>
      tasks.filter((task) => task.requirementId === 'R-REPORT-1');
    expect(reportsOnly(board.body.tasks)[0]).toMatchObject({ id: open.id, overdue: true });
    // Every task due in the window counts, whatever its requirement: here the R-REPORT-1 ones are checked
    // through the 90-day figure, which holds the late one the 30-day figure does not.
    expect(board.body.onTime.last90.due).toBeGreaterThan(board.body.onTime.last30.due);
    expect(board.body.onTime.last30.rate).toBe(
      board.body.onTime.last30.due === 0
        ? null
        : board.body.onTime.last30.onTime / board.body.onTime.last30.due,
    );
    expect(board.body.trend).toHaveLength(13);
    expect(board.body.trend.at(-1).weekStart).toBe('2026-11-23');
    const weekOfLate = board.body.trend.find(
      (week: { weekStart: string }) => week.weekStart === '2026-09-28',
    );
    expect(weekOfLate.due).toBeGreaterThanOrEqual(1);
    expect(weekOfLate.onTime).toBeLessThan(weekOfLate.due);
    expect(board.body.byRequirement).toContainEqual(
      expect.objectContaining({ requirementId: 'R-REPORT-1', open: 1, done: 2 }),
    );
    expect(board.body.byOwner).toContainEqual(
      expect.objectContaining({ owner: 'caseworker-1', kind: 'user' }),
    );
    expect(board.body.assignees).toContainEqual({ kind: 'queue', unit: 'unit-1' });

    const csv = await stack.call('supervisorBoard', { query: { format: 'csv' }, user: supervisor });
    expect(csv.status).toBe(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    expect(csv.headers['content-disposition']).toMatch(/attachment; filename="[a-z-]+\.csv"/);
    const lines = String(csv.body).trimEnd().split('\r\n');
    expect(lines[0]).toMatch(/^"task","requirement",/);
    expect(lines).toHaveLength(board.body.tasks.length + 1);
    expect(lines.find((line) => line.startsWith(`"${open.id}"`))).toContain('"caseworker-1"');

    const bad = await stack.call('supervisorBoard', { query: { format: 'xlsx' }, user: supervisor });
    expect([bad.status, bad.body.error.code]).toEqual([400, 'invalid_request']);
  });
});
