import { Logger } from '@aws-lambda-powertools/logger';
import { SchedulerClient } from '@aws-sdk/client-scheduler';
import { marshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBStreamEvent } from 'aws-lambda';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { makeArmRemindersHandler } from '#functions/jobs/arm-reminders.ts';
import { runScheduledTask, sweepDueTasks } from '#functions/reminders/actions.ts';
import { defaultReminderPolicies, planActions } from '#functions/reminders/policy.ts';
import { createEventBridgeScheduler, scheduleName } from '#functions/reminders/scheduler.ts';
import { fullScreening, ScreeningDriver } from '../support/screening.ts';
import { createTestStack, type TestStack } from '../support/stack.ts';
import { startFakeScheduler } from './fake-scheduler.ts';

const HOUR = 3_600_000;
let stack: TestStack;
let reportId: string;

/** Information received at 16:00; the 24-hour report is due the next day at 16:00. */
beforeEach(async () => {
  stack = await createTestStack({ startAt: '2026-11-28T16:00:00.000Z' });
  const driver = await ScreeningDriver.start(stack);
  const reply = await driver.sendAll(
    fullScreening({ determination: 'identified', cws: 'yes', receivedAt: '2026-11-28T16:00:00Z' }),
  );
  reportId = reply.body.tasks.find(
    (task: { requirementId: string }) => task.requirementId === 'R-REPORT-1',
  ).id;
});

async function sweepAt(iso: string) {
  stack.clock.set(iso);
  return sweepDueTasks(stack.deps.services, stack.clock.now);
}

async function notificationsOf(taskId: string) {
  const outbox = await stack.deps.services.store.listOutbox('county-a', 100);
  return outbox.filter((n) => n.taskId === taskId).map((n) => `${n.actionId}:${n.recipient.role}`);
}

describe('R-REPORT-1: a 24-hour report is chased until it is met', () => {
  it('reminds 12 h and 2 h before, escalates to the supervisor when due and a day later (telling the owner), then stops', async () => {
    await sweepAt('2026-11-29T03:59:00Z');
    expect(await notificationsOf(reportId)).toEqual([]);
    await sweepAt('2026-11-29T04:00:00Z');
    expect(await notificationsOf(reportId)).toEqual(['remind-12h:caseworker']);
    await sweepAt('2026-11-29T14:00:00Z');
    await sweepAt('2026-11-29T16:00:00Z');
    await sweepAt('2026-11-30T16:00:00Z');
    expect((await notificationsOf(reportId)).sort()).toEqual(
      [
        'escalate-0h:supervisor',
        // Issue 17: the owner is told each time their task goes up to the supervisor.
        'escalate-0h.owner:caseworker',
        'escalate-24h:supervisor',
        'escalate-24h.owner:caseworker',
        'remind-12h:caseworker',
        'remind-2h:caseworker',
      ].sort(),
    );
    await sweepAt('2026-12-05T16:00:00Z');
    expect(await notificationsOf(reportId)).toHaveLength(6);
    const task = await stack.deps.services.store.getTask(reportId);
    expect(task?.nextActionAt).toBeUndefined();
    expect(task?.history.map((entry) => entry.action)).toEqual([
      'opened',
      'reminded',
      'reminded',
      'escalated',
      'escalated',
    ]);
  });

  it('a completed task never reminds again and leaves the due index', async () => {
    await sweepAt('2026-11-29T04:00:00Z');
    stack.clock.set('2026-11-29T05:00:00Z');
    const done = await stack.call('completeTask', {
      id: reportId,
      body: {
        evidence: { agency: 'County Sheriff', referenceNumber: 'SO-1', reportedAt: '2026-11-29T04:30:00Z' },
      },
    });
    expect(done.status).toBe(200);
    await sweepAt('2026-11-29T16:00:00Z');
    await sweepAt('2026-12-01T16:00:00Z');
    expect(await notificationsOf(reportId)).toEqual(['remind-12h:caseworker']);
    expect(await stack.deps.services.store.listDueTasks(0, '2027-01-01T00:00:00Z', 100)).not.toContainEqual(
      expect.objectContaining({ id: reportId }),
    );
  });

  it('the sweep catches a reminder whose schedule was lost, and a late sweep sends only what still matters', async () => {
    // No schedule ever fired: the first sweep comes 30 hours after the information was received.
    const result = await sweepAt('2026-11-29T22:00:00Z');
    expect(result.notifications).toBeGreaterThan(0);
    expect((await notificationsOf(reportId)).sort()).toEqual([
      'escalate-0h.owner:caseworker',
      'escalate-0h:supervisor',
    ]);
  });

  it('a scheduled wake-up and the sweep at the same moment send each notification once', async () => {
    stack.clock.set('2026-11-29T04:00:00Z');
    await Promise.all([
      runScheduledTask(stack.deps.services, reportId, stack.clock.now),
      sweepDueTasks(stack.deps.services, stack.clock.now),
      runScheduledTask(stack.deps.services, reportId, stack.clock.now),
    ]);
    expect(await notificationsOf(reportId)).toEqual(['remind-12h:caseworker']);
  });

  it('a report already overdue when opened is escalated once at the first sweep', async () => {
    const driver = await ScreeningDriver.start(stack);
    const reply = await driver.sendAll(
      fullScreening({ determination: 'identified', cws: 'yes', receivedAt: '2026-11-26T16:00:00Z' }),
    );
    const overdue = reply.body.tasks.find(
      (task: { requirementId: string }) => task.requirementId === 'R-REPORT-1',
    );
    await sweepAt('2026-11-28T16:01:00Z');
    // Two days late, both escalations are due: one message goes out, the latest.
    expect((await notificationsOf(overdue.id)).sort()).toEqual([
      'escalate-24h.owner:caseworker',
      'escalate-24h:supervisor',
    ]);
  });
});

describe('EventBridge Scheduler, armed from the table stream', () => {
  let fake: Awaited<ReturnType<typeof startFakeScheduler>>;
  beforeAll(async () => {
    fake = await startFakeScheduler();
  });
  afterAll(async () => {
    await fake.close();
  });

  it('arms one self-deleting one-time schedule per future action of each new task, and tolerates repeats', async () => {
    const task = await stack.deps.services.store.getTask(reportId);
    const client = new SchedulerClient({
      endpoint: fake.endpoint,
      region: 'us-west-2',
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    });
    const errors: string[] = [];
    const scheduler = createEventBridgeScheduler(client, {
      targetArn: 'arn:aws:lambda:us-west-2:000000000000:function:run-task-actions',
      roleArn: 'arn:aws:iam::000000000000:role/scheduler',
      groupName: 'screening',
      onError: (operation) => errors.push(operation),
    });
    const handler = makeArmRemindersHandler(() => ({
      scheduler,
      reminders: defaultReminderPolicies,
      clock: () => new Date('2026-11-28T16:00:00Z'),
      logger: new Logger({ logLevel: 'SILENT' }),
    }));
    const streamEvent = {
      Records: [
        {
          eventName: 'INSERT',
          dynamodb: {
            NewImage: marshall({ pk: `TASK#${task!.id}`, ...task }, { removeUndefinedValues: true }),
          },
        },
        { eventName: 'MODIFY', dynamodb: { NewImage: marshall({ pk: 'TASK#x', kind: 'task' }) } },
      ],
    } as unknown as DynamoDBStreamEvent;

    const first = await handler(streamEvent);
    await handler(streamEvent);

    const plan = planActions(task!, defaultReminderPolicies.default);
    expect(first.armed).toBe(plan.length);
    const creates = fake.calls.filter((call) => call.method === 'POST');
    expect(creates).toHaveLength(plan.length * 2);
    expect(creates[0]).toMatchObject({
      name: scheduleName(task!.id, 'remind-12h'),
      groupName: 'screening',
      body: {
        ScheduleExpression: 'at(2026-11-29T04:00:00)',
        ScheduleExpressionTimezone: 'UTC',
        ActionAfterCompletion: 'DELETE',
        FlexibleTimeWindow: { Mode: 'OFF' },
        Target: expect.objectContaining({ Input: JSON.stringify({ taskId: task!.id }) }),
      },
    });
    expect(errors).toEqual([]);
  });
});

it('reminder plans follow the policy and skip reminders already past when a task is opened', () => {
  const plan = planActions(
    {
      createdAt: '2026-11-28T16:00:00Z',
      dueAt: new Date(Date.parse('2026-11-28T16:00:00Z') + 10 * HOUR).toISOString(),
    },
    defaultReminderPolicies.default,
  );
  expect(plan.map((action) => action.id)).toEqual(['remind-2h', 'escalate-0h', 'escalate-24h']);
});
