import { Logger } from '@aws-lambda-powertools/logger';
import { DeleteCommand, GetCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import { beforeEach, describe, expect, it } from 'vitest';
import { verifyTable } from '#functions/audit/verify-table.ts';
import { subjectRefHash } from '#functions/domain/records-requests.ts';
import { makePurgeExpiredHandler } from '#functions/jobs/purge-expired.ts';
import { keys } from '#functions/storage/table.ts';
import { runRecordsRequest } from '../support/records.ts';
import { fullScreening, ScreeningDriver } from '../support/screening.ts';
import { createTestStack, type TestStack, type TestUser } from '../support/stack.ts';
import { tableContents } from '../support/table.ts';

let stack: TestStack;
const admin: TestUser = { sub: 'admin-1', org: 'county-a', unit: 'main', roles: ['administrator'] };
/** Issue 16, finding 4: every records request needs a second administrator's approval. */
const secondAdmin: TestUser = { ...admin, sub: 'admin-2' };
const PLACE = 'Bus station on 7th Street, near the pharmacy';

beforeEach(async () => {
  stack = await createTestStack({ startAt: '2026-11-28T17:00:00.000Z' });
});

async function rawConversation(id: string) {
  const item = await stack.doc.send(
    new GetCommand({ TableName: stack.tableName, Key: keys.conversation(id) }),
  );
  return item.Item;
}

async function everything(): Promise<string> {
  const items: unknown[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await stack.doc.send(
      new ScanCommand({ TableName: stack.tableName, ConsistentRead: true, ExclusiveStartKey: startKey }),
    );
    items.push(...(page.Items ?? []));
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return JSON.stringify(items);
}

async function reportMissing(subjectRef: string) {
  const driver = await ScreeningDriver.start(stack, 'en', subjectRef, 'missing-from-care');
  await driver.answerUntilDone({
    cws: { answer: 'yes' },
    situation: { answer: 'missing' },
    believed_cse: { answer: 'at_risk' },
    received_at: { answer: '2026-11-28T08:00:00-08:00' },
    last_seen_at: { answer: '2026-11-27T21:00:00-08:00' },
    last_seen_place: { answer: PLACE },
  });
  return driver;
}

describe('abandoned conversations expire (TTL)', () => {
  it('an unfinished conversation carries an expiry 30 days after its last answer; a completed one has none', async () => {
    const driver = await ScreeningDriver.start(stack);
    const start = Date.parse('2026-11-28T17:00:00.000Z') / 1000;
    expect((await rawConversation(driver.id))?.expiresAt).toBe(start + 30 * 86_400);
    stack.clock.advance(3_600_000);
    await driver.send({ answer: 'not_present' });
    expect((await rawConversation(driver.id))?.expiresAt).toBe(start + 3600 + 30 * 86_400);
    await driver.sendAll(
      fullScreening({ exchange: 'not_present', determination: 'neither', cws: 'no' }).slice(1),
    );
    expect(driver.last.body.conversation.status).toBe('completed');
    expect((await rawConversation(driver.id))?.expiresAt).toBeUndefined();
  });

  it('when TTL removes a conversation, the purge job removes its events and read records, and nothing else', async () => {
    const abandoned = await ScreeningDriver.start(stack, 'en', 'CASE-GONE');
    await abandoned.send({ answer: 'not_present', note: 'a note about the youth' });
    await stack.call('getConversation', { id: abandoned.id });
    const kept = await ScreeningDriver.start(stack, 'en', 'CASE-KEPT');
    await kept.send({ answer: 'present' });
    const keptBefore = (await tableContents(stack)).filter((item) => item.includes(kept.id));

    // DynamoDB Local does not run TTL; the removal is made here and reported as the TTL service reports it.
    const key = keys.conversation(abandoned.id);
    await stack.doc.send(new DeleteCommand({ TableName: stack.tableName, Key: key }));
    const removal = (principalId: string): DynamoDBRecord => ({
      eventName: 'REMOVE',
      userIdentity: { type: 'Service', principalId },
      dynamodb: { Keys: { pk: { S: key.pk }, sk: { S: key.sk } } },
    });
    const purge = makePurgeExpiredHandler(() => ({
      store: stack.deps.services.store,
      logger: new Logger({ logLevel: 'SILENT' }),
    }));
    // A removal by anyone but the TTL service is not this job's business.
    expect(await purge({ Records: [removal('someone')] })).toEqual({ purged: 0 });
    expect(await purge({ Records: [removal('dynamodb.amazonaws.com')] })).toEqual({ purged: 2 });

    const left = await everything();
    expect(left).not.toContain(abandoned.id);
    expect(left).not.toContain('a note about the youth');
    expect((await tableContents(stack)).filter((item) => item.includes(kept.id))).toEqual(keptBefore);
  });
});

describe('records requests about one subject reference', () => {
  it('an export holds everything: events with identifying answers in plain text, outcome, tasks, reads', async () => {
    const driver = await reportMissing('CASE-EXPORT');
    await ScreeningDriver.start(stack, 'en', 'CASE-OTHER');
    await stack.call('getConversation', { id: driver.id });
    expect(await everything()).not.toContain(PLACE);

    const reply = await runRecordsRequest(stack, {
      subjectRef: 'CASE-EXPORT',
      kind: 'export',
      requester: admin,
      legalBasis: 'youth_or_counsel_inspection',
    });

    expect(reply.status).toBe(200);
    expect(reply.body.subjectRef).toBe('CASE-EXPORT');
    expect(reply.body.conversations).toHaveLength(1);
    const [held] = reply.body.conversations;
    expect(held.conversation).toMatchObject({
      id: driver.id,
      subjectRef: 'CASE-EXPORT',
      flow: 'missing-from-care',
    });
    expect(held.conversation.dataKey).toBeUndefined();
    expect(JSON.stringify(held.events)).toContain(PLACE);
    expect(held.outcome.flow).toBe('missing-from-care');
    expect(held.tasks.map((task: { taskType: string }) => task.taskType)).toContain('locate');
    expect(held.reads.map((read: { actor: string }) => read.actor)).toEqual(['caseworker-1']);
    // The export itself is a read of the case, on record.
    const reads = await stack.deps.services.store.listReads(driver.id);
    expect(reads.map((read) => [read.actor, read.route])).toContainEqual(['admin-1', 'exportRecords']);
  });

  it('a lawful erasure removes everything about the subject, leaves a record that it happened, and keeps the rest', async () => {
    const first = await reportMissing('CASE-ERASE');
    const second = await ScreeningDriver.start(stack, 'en', 'CASE-ERASE');
    await second.send({ answer: 'present' });
    await stack.call('getConversation', { id: first.id });
    const other = await ScreeningDriver.start(stack, 'en', 'CASE-STAYS');
    await other.send({ answer: 'present' });
    const othersBefore = (await tableContents(stack)).filter((item) => item.includes(other.id));

    // Issue 16, finding 4: while the missing youth's statutory reports are open, no erasure is even opened.
    const owed = await stack.call('openRecordsRequest', {
      user: admin,
      body: { subjectRef: 'CASE-ERASE', kind: 'erase', legalBasis: 'court_order' },
    });
    expect([owed.status, owed.body.error.code]).toEqual([409, 'statutory_tasks_open']);
    expect(owed.body.error.details.taskIds.length).toBeGreaterThan(0);
    expect(await everything()).toContain(first.id);
    const open = await stack.call('listTasks', { query: { status: 'open' } });
    for (const task of open.body.tasks as Array<{ id: string; subjectRef: string }>) {
      if (task.subjectRef !== 'CASE-ERASE') continue;
      const settled = await stack.call('cancelTask', {
        id: task.id,
        body: { reason: 'Youth moved out of state' },
      });
      expect(settled.status).toBe(200);
    }

    // The second administrator approves the reference they typed; a slip is refused and nothing is erased.
    const opened = await stack.call('openRecordsRequest', {
      user: admin,
      body: {
        subjectRef: 'CASE-ERASE',
        kind: 'erase',
        legalBasis: 'court_order',
        basisReference: 'JV-2026-123',
      },
    });
    expect(opened.status).toBe(201);
    const mismatch = await stack.call('decideRecordsRequest', {
      user: secondAdmin,
      id: opened.body.request.id,
      body: { decision: 'approve', subjectRef: 'CASE-ERASF' },
    });
    expect([mismatch.status, mismatch.body.error.code]).toEqual([422, 'confirmation_mismatch']);
    const approved = await stack.call('decideRecordsRequest', {
      user: secondAdmin,
      id: opened.body.request.id,
      body: { decision: 'approve', subjectRef: 'CASE-ERASE' },
    });
    expect(approved.status).toBe(200);
    expect(await everything()).toContain(first.id);

    const reply = await stack.call('eraseRecords', {
      id: opened.body.request.id,
      user: admin,
      body: { subjectRef: 'CASE-ERASE' },
    });

    expect(reply.status).toBe(200);
    expect(reply.body.erasure).toMatchObject({
      kind: 'erasure',
      requestedBy: 'admin-1',
      approvedBy: 'admin-2',
      legalBasis: 'court_order',
      basisReference: 'JV-2026-123',
      subjectRefHash: await subjectRefHash(stack.deps.services.keys, 'county-a', 'CASE-ERASE'),
      removed: { conversations: 2, reads: 1 },
    });
    expect(reply.body.erasure.removed.tasks).toBeGreaterThan(0);
    expect(reply.body.erasure.removed.events).toBeGreaterThan(5);
    // Only the erasure's own records (its record, and the owner's notice of it) still name the removed
    // conversations (random ids); nothing names the subject.
    const erasures = await stack.deps.services.store.listErasures('county-a');
    expect(erasures.map((e) => e.conversationIds.sort())).toEqual([[first.id, second.id].sort()]);
    const left = JSON.parse(await everything()) as Array<{ kind?: string; type?: string }>;
    const ofTheErasure = (item: { kind?: string; type?: string }) =>
      item.kind === 'erasure' || item.kind === 'records_request' || item.type === 'records_request';
    const rest = JSON.stringify(left.filter((item) => !ofTheErasure(item)));
    expect(JSON.stringify(left)).not.toContain('CASE-ERASE');
    for (const gone of [first.id, second.id, PLACE, 'CASE-ERASE']) expect(rest).not.toContain(gone);
    expect(JSON.stringify(erasures)).not.toContain('CASE-ERASE');
    expect((await stack.deps.services.store.listErasures('county-a')).map((e) => e.id)).toEqual([
      reply.body.erasure.id,
    ]);
    expect((await tableContents(stack)).filter((item) => item.includes(other.id))).toEqual(othersBefore);
    expect(
      (
        await verifyTable(stack.doc, stack.tableName, {
          chain: { key: await stack.deps.services.chain.load() },
        })
      ).problems,
    ).toEqual([]);

    const again = await runRecordsRequest(stack, {
      subjectRef: 'CASE-ERASE',
      kind: 'export',
      requester: admin,
    });
    expect(again.status).toBe(404);
  });
});

describe('per-user rate limit', () => {
  it('past the limit a user gets 429 with Retry-After and nothing is written; others are unaffected; the next window is open', async () => {
    stack = await createTestStack({
      startAt: '2026-11-28T17:00:10.000Z',
      rateLimit: { limit: 3, windowSeconds: 60 },
    });
    const driver = await ScreeningDriver.start(stack);
    await driver.send({ answer: 'present' });
    await driver.send({ answer: 'present' });
    const before = await tableContents(stack);

    const refused = await driver.send({ answer: 'present' });
    expect([refused.status, refused.body.error.code]).toEqual([429, 'rate_limited']);
    expect(refused.headers['retry-after']).toBe('50');
    expect(await tableContents(stack)).toEqual(before);
    const read = await stack.call('getConversation', { id: driver.id });
    expect(read.status).toBe(429);
    expect(await stack.deps.services.store.listReads(driver.id)).toEqual([]);

    const colleague = {
      sub: 'caseworker-2',
      org: 'county-a',
      unit: 'unit-1',
      roles: ['caseworker' as const],
    };
    expect((await stack.call('listTasks', { user: colleague })).status).toBe(200);

    stack.clock.advance(50_000);
    expect((await driver.send({ answer: 'present' })).status).toBe(200);
  });
});
