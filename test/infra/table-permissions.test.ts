import { randomUUID } from 'node:crypto';
import { Logger } from '@aws-lambda-powertools/logger';
import { marshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBStreamEvent } from 'aws-lambda';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RouteName } from '#functions/api/routes.ts';
import { makeArmRemindersHandler } from '#functions/jobs/arm-reminders.ts';
import { makePurgeExpiredHandler } from '#functions/jobs/purge-expired.ts';
import { makeRunTaskActionsHandler } from '#functions/jobs/run-task-actions.ts';
import { makeStreamJobsHandler } from '#functions/jobs/stream-jobs.ts';
import { makeSweepHandler } from '#functions/jobs/sweep.ts';
import { type FunctionName, tablePermissions } from '#infra/table-permissions.ts';
import { fullScreening, ScreeningDriver } from '../support/screening.ts';
import { createTestStack, type TestStack, type TestUser } from '../support/stack.ts';
import { type ActionRecorder, compareWithPermission, recordTableActions } from '../support/table-actions.ts';
import { Tablet } from '../support/tablet-device.ts';

/**
 * Issue 9: every function's DynamoDB policy names only the actions its code calls. Each route and job runs
 * its real paths (first and last turns, retries, conflicts, syncs, settling tasks, reports, exports,
 * erasures, the jobs) against DynamoDB Local while every request is recorded as the IAM actions AWS would
 * check; the recorded set must equal what infra/table-permissions.ts grants, no more and no less.
 */

let stack: TestStack;
let recorder: ActionRecorder;
const caseworker: TestUser = {
  sub: 'perm-caseworker',
  org: 'perm-county',
  unit: 'unit-1',
  roles: ['caseworker'],
};
const supervisor: TestUser = {
  sub: 'perm-supervisor',
  org: 'perm-county',
  unit: 'unit-1',
  roles: ['supervisor'],
};
const admin: TestUser = { sub: 'perm-admin', org: 'perm-county', unit: 'main', roles: ['administrator'] };

/** Calls a route while recording; every scenario call must succeed, so the paths recorded are real ones. */
async function call(route: RouteName, request: Parameters<TestStack['call']>[1]) {
  const result = await recorder.during(route, () => stack.call(route, request));
  expect(result.status, `${route}: ${JSON.stringify(result.body)}`).toBeLessThan(300);
  return result;
}

async function screen(subjectRef: string) {
  const driver = await recorder.during('createConversation', () =>
    ScreeningDriver.start(stack, 'en', subjectRef, 'cse-screening', caseworker),
  );
  const actions = fullScreening({
    determination: 'identified',
    cws: 'yes',
    receivedAt: '2026-11-28T16:00:00Z',
  });
  let reply = driver.last;
  for (const action of actions) reply = await recorder.during('postTurn', () => driver.send(action));
  return { driver, reply };
}

beforeAll(async () => {
  stack = await createTestStack({ startAt: '2026-11-28T17:00:00.000Z' });
  recorder = recordTableActions(stack.doc);
  const jobDeps = () => ({ services: stack.deps.services, logger: new Logger({ logLevel: 'SILENT' }) });

  // Turns: a whole screening (the last turn opens tasks), a retried event, a stale version, a refused answer.
  const { driver, reply } = await screen('PERM-1');
  const retried = await ScreeningDriver.start(stack, 'en', 'PERM-2', 'cse-screening', caseworker);
  const eventId = randomUUID();
  await recorder.during('postTurn', () => retried.send({ answer: 'present' }, eventId));
  retried.version = 0;
  await recorder.during('postTurn', () => retried.send({ answer: 'present' }, eventId));
  await recorder.during('postTurn', () => retried.send({ answer: 'not_present' }));
  await recorder.during('postTurn', () => retried.send({ answer: 'no-such-choice' }));

  // A youth reported missing comes back: the return interview closes the open locate task.
  const missing = await ScreeningDriver.start(stack, 'en', 'PERM-3', 'missing-from-care', caseworker);
  await missing.answerUntilDone({
    cws: { answer: 'yes' },
    situation: { answer: 'missing' },
    believed_cse: { answer: 'at_risk' },
    received_at: { answer: '2026-11-28T08:00:00-08:00' },
    last_seen_at: { answer: '2026-11-27T21:00:00-08:00' },
  });
  const returned = await ScreeningDriver.start(stack, 'en', 'PERM-3', 'runaway-return', caseworker);
  const interview = await recorder.during('postTurn', () =>
    returned.answerUntilDone({ determination: { answer: 'identified' }, cws: { answer: 'yes' } }),
  );
  expect(interview.body.conversation.status).toBe('completed');

  // Sync: a queue applied (its return closing another locate task), then the same queue again.
  const missingAgain = await ScreeningDriver.start(stack, 'en', 'PERM-5', 'missing-from-care', caseworker);
  await missingAgain.answerUntilDone({ cws: { answer: 'yes' }, situation: { answer: 'missing' } });
  const synced = await ScreeningDriver.start(stack, 'en', 'PERM-5', 'runaway-return', caseworker);
  const tablet = Tablet.forConversation(synced.last.body);
  tablet.answerUntilDone({ determination: { answer: 'identified' }, cws: { answer: 'yes' } });
  const body = { events: tablet.queue };
  stack.clock.set('2026-11-28T18:00:00.000Z');
  expect((await call('syncTurns', { id: synced.id, user: caseworker, body })).status).toBe(200);
  expect((await call('syncTurns', { id: synced.id, user: caseworker, body })).status).toBe(200);

  // Tasks: list (with a cursor), settle, the board, reminders and escalations, notifications, reports.
  const tasks = reply.body.tasks as { id: string }[];
  const scheduled = (await screen('PERM-4')).reply.body.tasks[0] as { id: string };
  const first = await call('listTasks', { user: caseworker, query: { limit: '1' } });
  await call('listTasks', { user: caseworker, query: { limit: '1', cursor: first.body.cursor } });
  await call('completeTask', {
    id: tasks[0]!.id,
    user: caseworker,
    body: {
      evidence: { agency: 'County Sheriff', referenceNumber: 'R-1', reportedAt: '2026-11-28T17:30:00Z' },
    },
  });
  await call('cancelTask', {
    id: tasks[1]!.id,
    user: caseworker,
    body: { reason: 'Reported by the placing agency' },
  });
  await call('supervisorBoard', { user: supervisor });
  stack.clock.set('2026-12-01T00:00:00.000Z');
  await recorder.during('runTaskActions', () => makeRunTaskActionsHandler(jobDeps)({ taskId: scheduled.id }));
  await recorder.during('sweep', () => makeSweepHandler(jobDeps)());
  await call('listNotifications', { user: supervisor });
  await call('activityReport', {
    user: supervisor,
    query: { from: '2026-11-01T00:00:00Z', to: '2026-12-01T00:00:00Z' },
  });

  // Issue 15: organisation settings, a shelter's hand-off to the county, its acknowledgement, a claim, training.
  const shelterAdmin: TestUser = {
    sub: 'perm-shelter-admin',
    org: 'perm-shelter',
    unit: 'main',
    roles: ['administrator'],
  };
  const shelter: TestUser = {
    sub: 'perm-shelter',
    org: 'perm-shelter',
    unit: 'main',
    roles: ['shelter_staff'],
  };
  const intake: TestUser = { sub: 'perm-intake', org: 'perm-county', unit: 'intake', roles: ['caseworker'] };
  await call('putOrganisation', {
    user: admin,
    body: { settings: { name: 'Perm County', type: 'county' }, expectedVersion: 0 },
  });
  await call('putOrganisation', {
    user: shelterAdmin,
    body: {
      settings: { name: 'Perm Shelter', type: 'partner', handoffTo: 'perm-county' },
      expectedVersion: 0,
    },
  });
  await call('getOrganisation', { user: caseworker });
  const shelterScreening = await recorder.during('createConversation', () =>
    ScreeningDriver.start(stack, 'en', 'PERM-SH-1', 'cse-screening', shelter),
  );
  await recorder.during('postTurn', () =>
    shelterScreening.answerUntilDone({
      exchange: { answer: 'present' },
      determination: { answer: 'identified' },
    }),
  );
  await call('listHandoffs', { user: intake });
  const handed = await call('getHandoff', { id: shelterScreening.id, user: intake });
  await call('acknowledgeHandoff', { id: shelterScreening.id, user: intake });
  await call('claimTask', { id: handed.body.tasks[0].id, user: intake });
  await call('recordTraining', {
    user: caseworker,
    body: { type: 'cse_identification', completedOn: '2026-01-05' },
  });
  await call('listTraining', { user: caseworker });

  // Records: an export and an erasure; then the purge job for a conversation TTL removed.
  await call('getConversation', { id: driver.id, user: caseworker });
  await call('exportRecords', { id: 'PERM-1', user: admin });
  await call('eraseRecords', {
    id: 'PERM-1',
    user: admin,
    body: { legalBasis: 'Court order 2026-77', confirmSubjectRef: 'PERM-1' },
  });
  await call('getConversation', { id: retried.id, user: caseworker });
  const removal: DynamoDBStreamEvent = {
    Records: [
      {
        eventName: 'REMOVE',
        userIdentity: { type: 'Service', principalId: 'dynamodb.amazonaws.com' },
        dynamodb: { Keys: { pk: { S: `CONV#${retried.id}` }, sk: { S: 'CONV' } } },
      },
    ],
  };
  // The stream's reader: a new task to arm (schedules only, no table) and a TTL removal to purge.
  const armed: string[] = [];
  const streamJobs = makeStreamJobsHandler({
    arm: makeArmRemindersHandler(() => ({
      scheduler: {
        arm: async (task) => {
          armed.push(task.id);
        },
        disarm: async () => undefined,
      },
      reminders: stack.deps.services.reminders,
      clock: () => stack.clock.now,
      logger: new Logger({ logLevel: 'SILENT' }),
    })),
    purge: makePurgeExpiredHandler(() => ({
      store: stack.deps.services.store,
      logger: new Logger({ logLevel: 'SILENT' }),
    })),
  });
  const openedTask = (await stack.deps.services.store.getTask(scheduled.id))!;
  await recorder.during('streamJobs', () =>
    streamJobs({
      Records: [
        ...removal.Records,
        {
          eventName: 'INSERT',
          dynamodb: { NewImage: marshall(openedTask, { removeUndefinedValues: true }) as never },
        },
      ],
    }),
  );
  expect(armed).toEqual([scheduled.id]);
}, 120_000);

describe('DynamoDB permissions (issue 9)', () => {
  const names = Object.keys(tablePermissions) as FunctionName[];

  it.each(names)('%s: every request it made is granted, and every grant was used', (name) => {
    const { refused, unused } = compareWithPermission(
      tablePermissions[name],
      recorder.recorded().get(name) ?? [],
    );
    expect(refused, 'requests the policy would refuse').toEqual([]);
    expect(unused, 'grants never used').toEqual([]);
  });
});
