import { beforeEach, describe, expect, it } from 'vitest';
import { fullScreening, ScreeningDriver } from '../support/screening.ts';
import { createTestStack, type TestStack } from '../support/stack.ts';
import { tableContents } from '../support/table.ts';

let stack: TestStack;
let reportId: string;
let planId: string;

beforeEach(async () => {
  stack = await createTestStack({ startAt: '2026-11-28T17:00:00.000Z' });
  const driver = await ScreeningDriver.start(stack);
  const reply = await driver.sendAll(
    fullScreening({ determination: 'identified', cws: 'yes', receivedAt: '2026-11-28T15:00:00Z' }),
  );
  reportId = reply.body.tasks.find(
    (task: { requirementId: string }) => task.requirementId === 'R-REPORT-1',
  ).id;
  planId = reply.body.tasks.find((task: { requirementId: string }) => task.requirementId === 'R-PLAN-1').id;
});

const evidence = {
  agency: 'Sacramento County Sheriff',
  referenceNumber: 'SO-2026-001234',
  reportedAt: '2026-11-28T16:45:00Z',
};

describe('reporting tasks', () => {
  it('lists the organisation’s tasks by due time, filtered by status', async () => {
    const open = await stack.call('listTasks', { query: { status: 'open' } });
    expect(open.status).toBe(200);
    // By due time: the immediate cross-reports (R-REPORT-3), the 24-hour report, the 36-hour written
    // cross-report, the defense notice (R-DEF-1, § 602 status unknown), case planning.
    const byDue = [
      'cross-report-district-attorney',
      'cross-report-law-enforcement',
      'report-law-enforcement',
      'cross-report-written',
      'advise-trafficking-defense',
      'interagency-case-planning',
    ];
    const conversationId = reportId.split('.')[0];
    expect(open.body.tasks.map((task: { id: string }) => task.id)).toEqual(
      byDue.map((rule) => `${conversationId}.${rule}`),
    );

    await stack.call('completeTask', { id: reportId, body: { evidence } });
    const done = await stack.call('listTasks', { query: { status: 'done' } });
    expect(done.body.tasks.map((task: { id: string }) => task.id)).toEqual([reportId]);
    const stillOpen = await stack.call('listTasks', { query: { status: 'open' } });
    expect(stillOpen.body.tasks.map((task: { id: string }) => task.id)).not.toContain(reportId);
    expect(stillOpen.body.tasks.map((task: { id: string }) => task.id)).toContain(planId);
    const all = await stack.call('listTasks');
    expect(all.body.tasks).toHaveLength(byDue.length);
  });

  it('R-REPORT-1: completing a report records the evidence and whether the deadline was met', async () => {
    const result = await stack.call('completeTask', { id: reportId, body: { evidence } });
    expect(result.status).toBe(200);
    expect(result.body).toMatchObject({ status: 'done', evidence, metDeadline: true, overdue: false });
    expect(result.body.history.map((entry: { action: string }) => entry.action)).toEqual([
      'opened',
      'completed',
    ]);
  });

  it('a task becomes overdue when its due time passes while open', async () => {
    stack.clock.set('2026-11-29T15:00:01Z');
    const open = await stack.call('listTasks', { query: { status: 'open' } });
    expect(open.body.tasks.find((task: { id: string }) => task.id === reportId).overdue).toBe(true);
  });

  it('cancelling requires a reason and records it', async () => {
    const missing = await stack.call('cancelTask', { id: planId, body: {} });
    expect([missing.status, missing.body.error.code]).toEqual([400, 'invalid_request']);
    const cancelled = await stack.call('cancelTask', {
      id: planId,
      body: { reason: 'County does not participate in the CSEC program' },
    });
    expect(cancelled.body).toMatchObject({
      status: 'cancelled',
      cancelReason: 'County does not participate in the CSEC program',
    });
  });

  it('a task that is no longer open cannot be completed or cancelled again, and nothing changes', async () => {
    await stack.call('completeTask', { id: reportId, body: { evidence } });
    const before = await tableContents(stack);
    const again = await stack.call('completeTask', { id: reportId, body: { evidence } });
    expect([again.status, again.body.error.code]).toEqual([409, 'task_not_open']);
    const cancel = await stack.call('cancelTask', { id: reportId, body: { reason: 'oops' } });
    expect([cancel.status, cancel.body.error.code]).toEqual([409, 'task_not_open']);
    expect(await tableContents(stack)).toEqual(before);
  });

  it.each([
    [
      'evidence in the future',
      { ...evidence, reportedAt: '2026-11-28T18:00:00Z' },
      422,
      'evidence_in_future',
    ],
    [
      'evidence before the information arrived',
      { ...evidence, reportedAt: '2026-11-28T14:00:00Z' },
      422,
      'evidence_before_information',
    ],
    ['evidence without an agency', { ...evidence, agency: '' }, 400, 'invalid_request'],
    ['evidence with an extra field', { ...evidence, youthName: 'x' }, 400, 'invalid_request'],
  ])('refuses %s and changes nothing', async (_name, body, status, code) => {
    const before = await tableContents(stack);
    const result = await stack.call('completeTask', { id: reportId, body: { evidence: body } });
    expect([result.status, result.body.error.code]).toEqual([status, code]);
    expect(await tableContents(stack)).toEqual(before);
  });

  it('another organisation sees neither the tasks nor their existence', async () => {
    const other = { sub: 'caseworker-9', org: 'county-b' };
    const list = await stack.call('listTasks', { user: other });
    expect(list.body.tasks).toEqual([]);
    const complete = await stack.call('completeTask', { id: reportId, body: { evidence }, user: other });
    const missing = await stack.call('completeTask', {
      id: '00000000-0000-4000-8000-000000000000.report-law-enforcement',
      body: { evidence },
      user: other,
    });
    expect([complete.status, complete.body.error]).toEqual([missing.status, missing.body.error]);
    expect(complete.status).toBe(404);
  });

  it('pages with an opaque cursor, and refuses a cursor forged for another organisation', async () => {
    const first = await stack.call('listTasks', { query: { limit: '1' } });
    expect(first.body.tasks).toHaveLength(1);
    const second = await stack.call('listTasks', { query: { limit: '1', cursor: first.body.cursor } });
    expect(second.body.tasks[0].id).not.toBe(first.body.tasks[0].id);

    const key = JSON.parse(Buffer.from(first.body.cursor, 'base64url').toString());
    const forged = Buffer.from(JSON.stringify({ ...key, gsi1pk: 'ORG#county-b#TASKS' })).toString(
      'base64url',
    );
    const refused = await stack.call('listTasks', { query: { cursor: forged } });
    expect([refused.status, refused.body.error.code]).toEqual([400, 'invalid_cursor']);
    const garbage = await stack.call('listTasks', { query: { cursor: '%%%' } });
    expect([garbage.status, garbage.body.error.code]).toEqual([400, 'invalid_cursor']);
    const badStatus = await stack.call('listTasks', { query: { status: 'late' } });
    expect([badStatus.status, badStatus.body.error.code]).toEqual([400, 'invalid_request']);
  });

  // Found by the fuzz test: DynamoDB refused these start keys, and the refusal surfaced as a 500.
  it('refuses a real cursor reused under another status, a cursor with an empty key, and a fractional limit', async () => {
    const first = await stack.call('listTasks', { query: { limit: '1', status: 'open' } });
    const reused = await stack.call('listTasks', { query: { status: 'done', cursor: first.body.cursor } });
    expect([reused.status, reused.body.error.code]).toEqual([400, 'invalid_cursor']);
    const key = JSON.parse(Buffer.from(first.body.cursor, 'base64url').toString());
    const empty = Buffer.from(JSON.stringify({ ...key, sk: '' })).toString('base64url');
    const emptyKey = await stack.call('listTasks', { query: { cursor: empty } });
    expect([emptyKey.status, emptyKey.body.error.code]).toEqual([400, 'invalid_cursor']);
    const fractional = await stack.call('listTasks', { query: { limit: '1.5' } });
    expect([fractional.status, fractional.body.error.code]).toEqual([400, 'invalid_request']);
  });
});
