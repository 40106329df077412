import { randomUUID } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Logger } from '@aws-lambda-powertools/logger';
import { marshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBStreamEvent } from 'aws-lambda';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RouteName } from '#functions/api/routes.ts';
import { fileAnchorStore } from '#functions/audit/file-anchor-store.ts';
import { makeAnchorHandler } from '#functions/jobs/anchor-heads.ts';
import { makeArmRemindersHandler } from '#functions/jobs/arm-reminders.ts';
import { makePurgeExpiredHandler } from '#functions/jobs/purge-expired.ts';
import { makeRunTaskActionsHandler } from '#functions/jobs/run-task-actions.ts';
import { makeStreamJobsHandler } from '#functions/jobs/stream-jobs.ts';
import { makeSweepHandler } from '#functions/jobs/sweep.ts';
import {
  type FunctionName,
  type TablePermission,
  tablePermissions,
  teamsPermissions,
} from '#infra/table-permissions.ts';
import { fullScreening, ScreeningDriver } from '../support/screening.ts';
import { createTestStack, type TestStack, type TestUser } from '../support/stack.ts';
import {
  type ActionRecorder,
  compareWithPermission,
  recordTableActions,
  unconfinedWrites,
} from '../support/table-actions.ts';
import { Tablet } from '../support/tablet-device.ts';

/**
 * Issue 9: every function's DynamoDB policy names only the actions its code calls. Each route and job runs
 * its real paths (first and last turns, retries, conflicts, syncs, settling tasks, reports, exports,
 * erasures, the jobs) against DynamoDB Local while every request is recorded as the IAM actions AWS would
 * check; the recorded set must equal what infra/table-permissions.ts grants, no more and no less. Issue 16,
 * finding 5: every write is granted only on the key types (partition-key prefixes) it names, each prefix
 * must be used, and a write outside them is refused as IAM's `dynamodb:LeadingKeys` condition would.
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
const otherCaseworker: TestUser = { ...caseworker, sub: 'perm-caseworker-2' };
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

  // A youth reported missing comes back: the return interview, linked to the report, closes its locate task
  // (the supervisor may settle it) and tells the caseworker who owned it.
  const missing = await ScreeningDriver.start(stack, 'en', 'PERM-3', 'missing-from-care', caseworker);
  await missing.answerUntilDone({
    cws: { answer: 'yes' },
    situation: { answer: 'missing' },
    believed_cse: { answer: 'at_risk' },
    received_at: { answer: '2026-11-28T08:00:00-08:00' },
    last_seen_at: { answer: '2026-11-27T21:00:00-08:00' },
  });
  const returned = await recorder.during('createConversation', () =>
    ScreeningDriver.start(stack, 'en', 'PERM-3', 'runaway-return', supervisor, {
      links: { missingReport: missing.id },
    }),
  );
  const interview = await recorder.during('postTurn', () =>
    returned.answerUntilDone({ determination: { answer: 'identified' }, cws: { answer: 'yes' } }),
  );
  expect(interview.body.conversation.status).toBe('completed');

  // Sync: a queue applied (its return asking the owner of another locate task to close it), then the same
  // queue again; and a shelter's tablet whose concern is handed to the county.
  const missingAgain = await ScreeningDriver.start(stack, 'en', 'PERM-5', 'missing-from-care', caseworker);
  await missingAgain.answerUntilDone({ cws: { answer: 'yes' }, situation: { answer: 'missing' } });
  const synced = await ScreeningDriver.start(stack, 'en', 'PERM-5', 'runaway-return', otherCaseworker, {
    links: { missingReport: missingAgain.id },
  });
  const tablet = Tablet.forConversation(synced.last.body);
  tablet.answerUntilDone({ determination: { answer: 'identified' }, cws: { answer: 'yes' } });
  const body = { events: tablet.queue };
  stack.clock.set('2026-11-28T18:00:00.000Z');
  expect((await call('syncTurns', { id: synced.id, user: otherCaseworker, body })).status).toBe(200);
  expect((await call('syncTurns', { id: synced.id, user: otherCaseworker, body })).status).toBe(200);
  // Issue 20: an interview the tablet started itself, created by its first sync (after a duplicate check).
  const onDevice = Tablet.startOnDevice('runaway-return', 'en', '2026-11-28T17:30:00.000Z', 'PERM-6');
  onDevice.tablet.answerUntilDone({ determination: { answer: 'identified' }, cws: { answer: 'yes' } });
  const deviceBody = { start: onDevice.start, events: onDevice.tablet.queue };
  expect((await call('syncTurns', { id: onDevice.id, user: otherCaseworker, body: deviceBody })).status).toBe(
    200,
  );

  // Tasks: list (with a cursor), settle, the board, reminders and escalations, notifications, reports.
  const tasks = reply.body.tasks as { id: string }[];
  const perm4 = (await screen('PERM-4')).reply.body.tasks as { id: string }[];
  const scheduled = perm4[0]!;
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
  await call('supervisorBoard', { user: supervisor, query: { format: 'csv' } });
  // Issue 17: the caller's unfinished conversations, and a supervisor moving a task to a colleague.
  await call('listConversations', { user: caseworker, query: { status: 'unfinished' } });
  await call('listTasks', { user: caseworker, query: { scope: 'mine' } });
  await call('reassignTask', {
    id: perm4[1]!.id,
    user: supervisor,
    body: { to: { kind: 'user', userId: otherCaseworker.sub } },
  });
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
  // The shelter's tablet, synced: its concern is handed to the county too.
  stack.clock.set('2026-11-28T17:00:00.000Z');
  const shelterOffline = await ScreeningDriver.start(stack, 'en', 'PERM-SH-2', 'cse-screening', shelter);
  const shelterTablet = Tablet.forConversation(shelterOffline.last.body);
  shelterTablet.answerUntilDone({ exchange: { answer: 'present' }, determination: { answer: 'identified' } });
  stack.clock.set('2026-11-28T18:00:00.000Z');
  const shelterSync = await call('syncTurns', {
    id: shelterOffline.id,
    user: shelter,
    body: { events: shelterTablet.queue },
  });
  expect(shelterSync.body.handoff).toBeTruthy();
  stack.clock.set('2026-12-01T00:00:00.000Z');
  await call('listHandoffs', { user: intake });
  const handed = await call('getHandoff', { id: shelterScreening.id, user: intake });
  await call('acknowledgeHandoff', { id: shelterScreening.id, user: intake });
  await call('claimTask', { id: handed.body.tasks[0].id, user: intake });
  await call('recordTraining', {
    user: caseworker,
    body: { type: 'cse_identification', completedOn: '2026-01-05' },
  });
  await call('listTraining', { user: caseworker });
  // Issue 18: a tablet enrolled, a wrong PIN counted, the right one clearing the count.
  const deviceId = '0b5c8e1f-7d2a-4e3b-8c9d-6f1a2b3c4d5e';
  await call('enrolDevice', { user: caseworker, body: { deviceId, verifier: 'v'.repeat(43) } });
  const wrongPin = await recorder.during('unlockDevice', () =>
    stack.call('unlockDevice', { id: deviceId, user: caseworker, body: { verifier: 'x'.repeat(43) } }),
  );
  expect(wrongPin.status).toBe(422);
  await call('unlockDevice', { id: deviceId, user: caseworker, body: { verifier: 'v'.repeat(43) } });

  // Records: an export and an erasure (once the statutory reports are settled), each opened by one
  // administrator, approved by a second and run by the first (issue 16, finding 4), the reference only in
  // bodies; the organisation's requests listed; then the purge job for a conversation TTL removed.
  const secondAdmin: TestUser = { ...admin, sub: 'perm-admin-2' };
  const records = async (subjectRef: string, kind: 'export' | 'erase') => {
    const opened = await call('openRecordsRequest', {
      user: admin,
      body: { subjectRef, kind, legalBasis: 'court_order' },
    });
    const id = opened.body.request.id as string;
    await call('decideRecordsRequest', {
      user: secondAdmin,
      id,
      body: { decision: 'approve', subjectRef },
    });
    return call(kind === 'export' ? 'exportRecords' : 'eraseRecords', {
      user: admin,
      id,
      body: { subjectRef },
    });
  };
  await call('getConversation', { id: driver.id, user: caseworker });
  await records('PERM-1', 'export');
  const owed = (reply.body.tasks as { id: string; obligation: string }[])
    .slice(2)
    .filter((task) => task.obligation === 'statute');
  for (const task of owed)
    await call('cancelTask', {
      id: task.id,
      user: caseworker,
      body: { reason: 'Reported by the placing agency' },
    });
  await records('PERM-1', 'erase');
  // The county erases what a partner handed off about a youth (the hand-off, its tasks and notifications),
  // once its statutory reports are settled.
  for (const task of handed.body.tasks as { id: string }[]) {
    const cancelled = await recorder.during('cancelTask', () =>
      stack.call('cancelTask', { id: task.id, user: intake, body: { reason: 'Handled by another county' } }),
    );
    expect([200, 409]).toContain(cancelled.status);
  }
  await records('PERM-SH-1', 'erase');
  await call('listRecordsRequests', { user: admin });
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

  // Issue 16: the anchor job reads every head and audit partition, and writes only outside the table.
  const anchors = await mkdtemp(join(tmpdir(), 'perm-anchors-'));
  const anchored = await recorder.during('anchorHeads', () =>
    makeAnchorHandler(() => ({
      doc: stack.doc,
      tableName: stack.tableName,
      store: fileAnchorStore(anchors),
      keys: stack.deps.services.keys,
      clock: () => new Date(),
      logger: new Logger({ logLevel: 'SILENT' }),
    }))(),
  );
  expect(anchored.entries).toBeGreaterThan(0);
}, 120_000);

describe('DynamoDB permissions (issue 9)', () => {
  const names = Object.keys(tablePermissions) as FunctionName[];

  it.each(names)('%s: every request it made is granted, and every grant was used', (name) => {
    const { refused, unused, unconfined } = compareWithPermission(
      tablePermissions[name],
      recorder.recorded().get(name) ?? [],
    );
    expect(unconfined, 'writes granted outside a dynamodb:LeadingKeys prefix').toEqual([]);
    expect(refused, 'requests the policy would refuse (a write outside its partitions included)').toEqual([]);
    expect(unused, 'grants never used (each write prefix counts alone)').toEqual([]);
  });
});

describe('issue 16, finding 5: every write is confined to the partitions the function writes', () => {
  const all = { ...tablePermissions, ...teamsPermissions } as Record<string, TablePermission>;

  it.each(Object.keys(all))(
    '%s: no write action is granted outside a dynamodb:LeadingKeys prefix',
    (name) => {
      expect(unconfinedWrites(all[name]!)).toEqual([]);
      expect(compareWithPermission(all[name]!, []).unconfined).toEqual([]);
    },
  );

  it('the comparison itself refuses a write outside its prefixes, an unprefixed grant and an unused prefix', () => {
    const permission: TablePermission = {
      actions: ['GetItem'],
      prefixedWrites: [{ actions: ['PutItem'], partitionKeyPrefixes: ['TASK#', 'OUTBOX#'] }],
    };
    const outside = { action: 'PutItem', partitionKey: 'ORG#perm-county' };
    const unkeyed = { action: 'PutItem' };
    const { refused, unused, unconfined } = compareWithPermission(permission, [
      { action: 'GetItem', partitionKey: 'CONV#1' },
      { action: 'PutItem', partitionKey: 'TASK#1' },
      outside,
      unkeyed,
    ]);
    expect(refused).toEqual([outside, unkeyed]);
    expect(unused).toEqual(['PutItem OUTBOX#']);
    expect(unconfined).toEqual([]);
    // A write granted table-wide (only by a cast: `actions` is typed as reads) or on a wildcard.
    const tableWide = { actions: ['GetItem', 'PutItem'] } as unknown as TablePermission;
    expect(unconfinedWrites(tableWide)).toEqual(['PutItem']);
    expect(
      compareWithPermission(tableWide, [{ action: 'PutItem', partitionKey: 'TASK#1' }]).refused,
    ).toHaveLength(1);
    expect(
      unconfinedWrites({
        actions: [],
        prefixedWrites: [{ actions: ['DeleteItem'], partitionKeyPrefixes: ['*'] }],
      }),
    ).toEqual(['DeleteItem on [*]']);
    expect(
      unconfinedWrites({
        actions: [],
        prefixedWrites: [{ actions: ['UpdateItem'], partitionKeyPrefixes: [] }],
      }),
    ).toEqual(['UpdateItem on []']);
  });
});
