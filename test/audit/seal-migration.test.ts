import { randomUUID } from 'node:crypto';
import { GetCommand, PutCommand, QueryCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { createFlowCatalog } from '#flows/catalog.ts';
import { start, step, view } from '#flows/engine.ts';
import type { ConversationEvent } from '#flows/events.ts';
import {
  genesisChain,
  historyEntryHash,
  linkEvent,
  type TaskGenesis,
  taskGenesisHash,
} from '#functions/audit/chain.ts';
import { sealTypedTextInTable } from '#functions/audit/seal-migration.ts';
import { verifyTable } from '#functions/audit/verify-table.ts';
import { revealSensitive, revealTask } from '#functions/domain/sensitive.ts';
import type { ConversationRecord, TaskRecord } from '#functions/storage/records.ts';
import { keys } from '#functions/storage/table.ts';
import { runMigrateSeal } from '../../scripts/migrate-seal.ts';
import { ScreeningDriver } from '../support/screening.ts';
import { createTestStack, type TestStack } from '../support/stack.ts';

/**
 * Issue 16, finding 1: rows written before typed text was sealed are migrated by a script. The rows are
 * made as the old code wrote them (a real conversation, its typed text put back as typed, its chain linked
 * over the plaintext), then migrated, then checked: nothing readable, every chain and replay intact, the
 * reader still sees what was typed.
 */

const MARKER = `legacy${randomUUID().replaceAll('-', '')}`;
const catalog = createFlowCatalog();
let stack: TestStack;
let conversationId: string;

type Item = Record<string, unknown>;

/** Every item, every attribute at every depth, as JSON (rate-limit counters left out). */
async function everyItem(): Promise<string[]> {
  const page = await stack.doc.send(new ScanCommand({ TableName: stack.tableName, ConsistentRead: true }));
  return (page.Items ?? [])
    .filter((item) => !String(item.pk).startsWith('RATE#'))
    .map((item) => JSON.stringify(item))
    .sort();
}

async function partitionOf(id: string): Promise<Item[]> {
  const page = await stack.doc.send(
    new QueryCommand({
      TableName: stack.tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': keys.conversation(id).pk },
      ConsistentRead: true,
    }),
  );
  return page.Items ?? [];
}

/** Rewrites a conversation as the code before issue 16 stored it: typed text as typed, chained over it. */
async function makeLegacy(id: string): Promise<void> {
  const items = await partitionOf(id);
  const conversation = items.find((item) => item.sk === 'CONV') as unknown as ConversationRecord;
  const events = items
    .filter((item) => String(item.sk).startsWith(keys.eventPrefix))
    .sort((a, b) => Number(a.seq) - Number(b.seq));
  const outcome = items.find((item) => item.sk === 'OUTCOME');
  const { flow } = catalog.exact(conversation.flow, conversation.flowVersion, conversation.instrument)!;
  const { dataKey: _sealedWith, ...legacy } = conversation;
  let current = start(flow, { locale: conversation.locale, startedAt: conversation.createdAt });
  let head = genesisChain(conversation);
  for (const item of events) {
    const event = (await revealSensitive(
      stack.deps.services.keys,
      conversation,
      item.event,
    )) as ConversationEvent;
    const result = step(flow, current.snapshot, event);
    if (!result.ok) throw new Error(result.rejection.code);
    current = result;
    const link = linkEvent(head, {
      conversationId: id,
      eventId: String(item.eventId),
      seq: Number(item.seq),
      event,
      actor: String(item.actor),
    });
    head = { seq: Number(item.seq), hash: link.hash };
    await stack.doc.send(new PutCommand({ TableName: stack.tableName, Item: { ...item, event, ...link } }));
  }
  await stack.doc.send(
    new PutCommand({ TableName: stack.tableName, Item: { ...legacy, state: current.state, chain: head } }),
  );
  for (const task of finalTasks(id)) await unkeyTask(await task);
  const finalOutcome = view(flow, current.snapshot, conversation.locale).outcome!;
  await stack.doc.send(
    new PutCommand({
      TableName: stack.tableName,
      Item: { ...outcome, outcome: finalOutcome, facts: finalOutcome.facts },
    }),
  );
}

const migrate = () =>
  sealTypedTextInTable({
    doc: stack.doc,
    tableName: stack.tableName,
    catalog,
    keys: stack.deps.services.keys,
    now: () => stack.clock.now,
  });

function finalTasks(id: string) {
  return [stack.doc.send(new ScanCommand({ TableName: stack.tableName, ConsistentRead: true }))].map(
    async (page) =>
      ((await page).Items ?? []).filter((item) => item.sk === 'TASK' && item.conversationId === id),
  );
}

/** A task's history as the code before issue 16 chained it: unkeyed, committing to none of its facts. */
async function unkeyTask(tasks: Item[]) {
  for (const sealed of tasks) {
    // Typed text as typed, and no data key: the task as it was stored before issue 16.
    const { dataKey: _dataKey, ...task } = (await revealTask(
      stack.deps.services.keys,
      sealed as unknown as TaskRecord,
    )) as unknown as Item;
    let prevHash = taskGenesisHash(task as unknown as TaskGenesis);
    const history = (task.history as Array<Record<string, unknown>>).map(({ factsHash: _f, ...entry }) => {
      const fields = { taskId: String(task.id), seq: Number(entry.seq), at: String(entry.at) };
      const hash = historyEntryHash({
        ...fields,
        action: String(entry.action),
        by: String(entry.by),
        prevHash,
      });
      const legacy = { ...entry, prevHash, hash };
      prevHash = hash;
      return legacy;
    });
    await stack.doc.send(new PutCommand({ TableName: stack.tableName, Item: { ...task, history } }));
  }
}

beforeAll(async () => {
  stack = await createTestStack({ startAt: '2026-11-28T17:30:00.000Z' });
  const driver = await ScreeningDriver.start(stack, 'en', 'CASE-LEGACY');
  conversationId = driver.id;
  await driver.answerUntilDone({
    exchange: { answer: 'present', note: `${MARKER} said Marcus gave her a place to stay` },
    trauma_signs: { answer: 'not_present', note: `${MARKER} bruise on the left arm` },
    determination: { answer: 'at_risk' },
    override_reason: { answer: `${MARKER} she asked us not to call her mother` },
    cws: { answer: 'no' },
    received_at: { answer: '2026-11-28T08:00:00-08:00' },
  });
  const [first, second] = driver.last.body.tasks as Array<{ id: string }>;
  const evidence = {
    agency: `${MARKER} County Sheriff`,
    referenceNumber: 'R-7',
    reportedAt: '2026-11-28T17:00:00Z',
  };
  expect((await stack.call('completeTask', { id: first!.id, body: { evidence } })).status).toBe(200);
  const reason = `${MARKER} the youth moved out of county`;
  expect((await stack.call('cancelTask', { id: second!.id, body: { reason } })).status).toBe(200);
  await makeLegacy(conversationId);
});

describe('issue 16 finding 1: existing rows are migrated (npm run migrate:seal)', () => {
  it('legacy rows hold typed text and still verify; after the migration nothing is readable, everything verifies, the reader sees what was typed', async () => {
    expect((await everyItem()).some((item) => item.includes(MARKER))).toBe(true);
    const key = await stack.deps.services.chain.load();
    // As the code before issue 16 left them: verifiable only as legacy, unkeyed chains.
    expect((await verifyTable(stack.doc, stack.tableName, { catalog })).problems).toEqual([]);
    expect(
      (await verifyTable(stack.doc, stack.tableName, { catalog, chain: { key } })).problems.length,
    ).toBeGreaterThan(0);

    const report = await migrate();
    expect(report).toMatchObject({ scanned: 1, sealed: 1, alreadySealed: 0, skipped: [] });
    expect(report.tasksRekeyed).toBeGreaterThan(0);

    expect((await everyItem()).filter((item) => item.includes(MARKER))).toEqual([]);
    expect((await verifyTable(stack.doc, stack.tableName, { catalog, chain: { key } })).problems).toEqual([]);
    const read = await stack.call('getConversation', { id: conversationId });
    expect(read.status).toBe(200);
    const shown = JSON.stringify(read.body);
    expect(shown).toContain(`${MARKER} she asked us not to call her mother`);
    expect(shown).toContain(`${MARKER} bruise on the left arm`);
    const tasks = JSON.stringify((await stack.call('listTasks', { query: { status: 'done' } })).body);
    expect(tasks).toContain(`${MARKER} County Sheriff`);
    const cancelled = JSON.stringify(
      (await stack.call('listTasks', { query: { status: 'cancelled' } })).body,
    );
    expect(cancelled).toContain(`${MARKER} the youth moved out of county`);

    const stored = await stack.doc.send(
      new GetCommand({ TableName: stack.tableName, Key: keys.conversation(conversationId) }),
    );
    expect(stored.Item?.resealedFrom).toMatchObject({ at: '2026-11-28T17:30:00.000Z' });
  });

  it('running it again changes nothing', async () => {
    const before = await everyItem();
    const report = await migrate();
    expect(report).toMatchObject({ scanned: 1, sealed: 0, alreadySealed: 1, tasksRekeyed: 0, skipped: [] });
    expect(await everyItem()).toEqual(before);
  });

  it('the command refuses to run without a table or with a bad endpoint', async () => {
    const lines: string[] = [];
    const io = { stdout: (line: string) => lines.push(line), stderr: (line: string) => lines.push(line) };
    const saved = process.env.TABLE_NAME;
    delete process.env.TABLE_NAME;
    try {
      expect(await runMigrateSeal([], io)).toBe(2);
      expect(await runMigrateSeal(['--table', 't', '--endpoint', 'not a url'], io)).toBe(2);
      expect(await runMigrateSeal(['--help'], io)).toBe(0);
    } finally {
      if (saved !== undefined) process.env.TABLE_NAME = saved;
    }
    expect(lines.join('\n')).toContain('A table is required');
  });
});
