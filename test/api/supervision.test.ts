import { beforeEach, describe, expect, it } from 'vitest';
import { sweepDueTasks } from '#functions/reminders/actions.ts';
import { fullScreening, ScreeningDriver } from '../support/screening.ts';
import { createTestStack, demoUser, type TestStack, type TestUser } from '../support/stack.ts';

let stack: TestStack;
const supervisor: TestUser = { sub: 'supervisor-1', org: 'county-a', unit: 'unit-1', roles: ['supervisor'] };
const otherUnit: TestUser = { ...supervisor, sub: 'supervisor-2', unit: 'unit-2' };
const otherCounty: TestUser = { ...supervisor, sub: 'supervisor-3', org: 'county-b' };

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

    const board = await stack.call('supervisorBoard', { user: supervisor });

    expect(board.status).toBe(200);
    const lateReport = late.body.tasks.find(
      (task: { requirementId: string }) => task.requirementId === 'R-REPORT-1',
    );
    // Overdue first (by due time): the late screening's immediate cross-reports, its 24-hour report, its
    // 36-hour written cross-report; then the recent one's immediate cross-reports, also due already.
    const overdue = board.body.tasks.filter((task: { overdue: boolean }) => task.overdue);
    expect(board.body.tasks.slice(0, overdue.length)).toEqual(overdue);
    expect(overdue.map((task: { id: string }) => task.id)).toContain(lateReport.id);
    expect(overdue.map((task: { requirementId: string }) => task.requirementId)).toEqual([
      'R-REPORT-3',
      'R-REPORT-3',
      'R-REPORT-1',
      'R-REPORT-3',
      'R-REPORT-3',
      'R-REPORT-3',
    ]);
    // Two screenings of six tasks each; one report made on time.
    expect(board.body.summary).toEqual({ open: 11, overdue: 6, done: 1, cancelled: 0, onTimeRate: 1 });
    for (const other of [otherUnit, otherCounty]) {
      const board = await stack.call('supervisorBoard', { user: other });
      expect([board.status, board.body.tasks]).toEqual([200, []]);
    }
    const caseworker = await stack.call('supervisorBoard');
    expect([caseworker.status, caseworker.body.error.code]).toEqual([403, 'forbidden']);
  });
});

describe('notifications', () => {
  it('show the caller their reminders and escalation notices, the unit supervisor the escalations, and nobody else anything', async () => {
    await screen('2026-11-26T10:00:00Z');
    await sweepDueTasks(stack.deps.services, new Date('2026-11-28T17:01:00Z'));
    const kinds = (reply: { body: { notifications: Array<{ type: string; requirementId: string }> } }) =>
      reply.body.notifications.map((n) => `${n.type}:${n.requirementId}`);
    const escalations = await stack.call('listNotifications', { user: supervisor });
    expect(kinds(escalations)).toContain('escalation:R-REPORT-1');
    // The caseworker gets their reminders and, issue 17, a notice that their task went to the supervisor;
    // the escalation itself (with its call to act) goes to the supervisor only.
    const own = await stack.call('listNotifications');
    expect(kinds(own)).toContain('escalation_notice:R-REPORT-1');
    expect(kinds(own).every((kind) => /^(reminder|escalation_notice):/.test(kind))).toBe(true);
    expect(kinds(escalations).every((kind) => !kind.startsWith('escalation_notice:'))).toBe(true);
    const colleague = { ...demoUser, sub: 'caseworker-2' };
    for (const user of [colleague, otherUnit, otherCounty]) {
      const theirs = await stack.call('listNotifications', { user });
      expect(theirs.body.notifications).toEqual([]);
    }
  });
});

describe('R-FUND-1: activity report', () => {
  it('counts completed conversations, determinations and reports owed per month, as JSON and CSV', async () => {
    await screen('2026-11-28T16:00:00Z', 'identified');
    await screen('2026-11-28T16:00:00Z', 'at_risk');
    const range = { from: '2026-11-01T00:00:00Z', to: '2026-12-01T00:00:00Z' };

    const json = await stack.call('activityReport', { query: range, user: supervisor });
    expect(json.body.rows).toEqual(
      expect.arrayContaining([
        { period: '2026-11', category: 'completed:cse-screening', count: 2 },
        { period: '2026-11', category: 'determination:identified', count: 1 },
        { period: '2026-11', category: 'determination:at_risk', count: 1 },
        // R-REPORT-1 for the identified youth and, the exchange indicator being present (R-OVERRIDE-1), for
        // the one overridden down to at risk; the three R-REPORT-3 cross-reports for the identified youth.
        { period: '2026-11', category: 'reports_owed', count: 5 },
        { period: '2026-11', category: 'task:interagency_case_planning', count: 2 },
        { period: '2026-11', category: 'task:supervisor_cosign_override', count: 1 },
      ]),
    );
    const csv = await stack.call('activityReport', { query: { ...range, format: 'csv' }, user: supervisor });
    expect(csv.headers['content-type']).toMatch(/text\/csv/);
    const lines = String(csv.body).trim().split('\n');
    expect(lines[0]).toBe('period,category,count');
    expect(lines).toContain('2026-11,completed:cse-screening,2');

    const outside = await stack.call('activityReport', {
      query: { from: '2026-10-01T00:00:00Z', to: '2026-11-01T00:00:00Z' },
      user: supervisor,
    });
    expect(outside.body.rows).toEqual([]);
    const backwards = await stack.call('activityReport', {
      query: { from: range.to, to: range.from },
      user: supervisor,
    });
    expect([backwards.status, backwards.body.error.code]).toEqual([400, 'invalid_request']);
    // Found by the fuzz test: bounds spelled differently (offsets, fractions) once reached DynamoDB as
    // strings that sort the wrong way round (a 500), or silently shifted the window.
    const offsets = await stack.call('activityReport', {
      query: { from: '2026-11-01T01:00:00+01:00', to: '2026-12-01T00:00:00.000000001Z' },
      user: supervisor,
    });
    expect(offsets.status).toBe(200);
    expect(offsets.body.rows).toEqual(json.body.rows);
    const spelled = await stack.call('activityReport', {
      query: { from: '2026-11-28T16:45:00Z', to: '2026-11-28T16:45:00.123456789Z' },
      user: supervisor,
    });
    expect(spelled.status).toBe(200);
  });
});
