import { beforeEach, describe, expect, it } from 'vitest';
import { sweepDueTasks } from '#functions/reminders/actions.ts';
import { fullScreening, ScreeningDriver } from '../support/screening.ts';
import { createTestStack, type TestStack } from '../support/stack.ts';

let stack: TestStack;

beforeEach(async () => {
  stack = await createTestStack({ startAt: '2026-11-28T17:00:00.000Z' });
});

async function screen(
  receivedAt: string,
  determination: 'identified' | 'at_risk' | 'neither' = 'identified',
) {
  const driver = await ScreeningDriver.start(stack);
  return driver.sendAll(
    fullScreening({
      determination,
      cws: 'yes',
      receivedAt,
      ...(determination === 'identified' ? {} : { overrideReason: 'Known to the worker' }),
    }),
  );
}

describe('the supervisors’ board', () => {
  it('lists overdue tasks first, counts them, and reports the on-time rate of the reports made', async () => {
    const late = await screen('2026-11-26T10:00:00Z');
    const recent = await screen('2026-11-28T16:00:00Z');
    const recentReport = recent.body.tasks.find(
      (task: { requirementId: string }) => task.requirementId === 'R-REPORT-1',
    );
    await stack.call('completeTask', {
      id: recentReport.id,
      body: { evidence: { agency: 'Sheriff', referenceNumber: 'R-1', reportedAt: '2026-11-28T16:30:00Z' } },
    });

    const board = await stack.call('supervisorBoard');

    expect(board.status).toBe(200);
    const lateReport = late.body.tasks.find(
      (task: { requirementId: string }) => task.requirementId === 'R-REPORT-1',
    );
    expect(board.body.tasks[0]).toMatchObject({ id: lateReport.id, overdue: true });
    expect(board.body.summary).toEqual({ open: 3, overdue: 1, done: 1, cancelled: 0, onTimeRate: 1 });
    const other = await stack.call('supervisorBoard', { user: { sub: 'x', org: 'county-b' } });
    expect(other.body.tasks).toEqual([]);
  });
});

describe('notifications', () => {
  it('show the caller their reminders and the escalations, newest first, and nothing of another organisation', async () => {
    await screen('2026-11-26T10:00:00Z');
    await sweepDueTasks(stack.deps.services, new Date('2026-11-28T17:01:00Z'));
    const mine = await stack.call('listNotifications');
    expect(
      mine.body.notifications.map(
        (n: { type: string; requirementId: string }) => `${n.type}:${n.requirementId}`,
      ),
    ).toContain('escalation:R-REPORT-1');
    const theirs = await stack.call('listNotifications', { user: { sub: 'x', org: 'county-b' } });
    expect(theirs.body.notifications).toEqual([]);
  });
});

describe('R-FUND-1: activity report', () => {
  it('counts completed conversations, determinations and reports owed per month, as JSON and CSV', async () => {
    await screen('2026-11-28T16:00:00Z', 'identified');
    await screen('2026-11-28T16:00:00Z', 'at_risk');
    const range = { from: '2026-11-01T00:00:00Z', to: '2026-12-01T00:00:00Z' };

    const json = await stack.call('activityReport', { query: range });
    expect(json.body.rows).toEqual(
      expect.arrayContaining([
        { period: '2026-11', category: 'completed:cse-screening', count: 2 },
        { period: '2026-11', category: 'determination:identified', count: 1 },
        { period: '2026-11', category: 'determination:at_risk', count: 1 },
        { period: '2026-11', category: 'reports_owed', count: 1 },
        { period: '2026-11', category: 'task:interagency_case_planning', count: 2 },
      ]),
    );
    const csv = await stack.call('activityReport', { query: { ...range, format: 'csv' } });
    expect(csv.headers['content-type']).toMatch(/text\/csv/);
    const lines = String(csv.body).trim().split('\n');
    expect(lines[0]).toBe('period,category,count');
    expect(lines).toContain('2026-11,completed:cse-screening,2');

    const outside = await stack.call('activityReport', {
      query: { from: '2026-10-01T00:00:00Z', to: '2026-11-01T00:00:00Z' },
    });
    expect(outside.body.rows).toEqual([]);
    const backwards = await stack.call('activityReport', { query: { from: range.to, to: range.from } });
    expect([backwards.status, backwards.body.error.code]).toEqual([400, 'invalid_request']);
  });
});
