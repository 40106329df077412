import { chmod, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DeleteCommand, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { beforeEach, describe, expect, inject, it } from 'vitest';
import { writeAnchor } from '#functions/audit/anchors.ts';
import { canonicalJson, eventHash, genesisHash } from '#functions/audit/chain.ts';
import { fileAnchorStore } from '#functions/audit/file-anchor-store.ts';
import { keys } from '#functions/storage/table.ts';
import { runAuditVerify } from '../../scripts/audit-verify.ts';
import { fullScreening, ScreeningDriver } from '../support/screening.ts';
import { createTestStack, type TestStack } from '../support/stack.ts';

/**
 * Issue 16, finding 3: the tamper suite. Each case is an insider with full write access to the table
 * (and the skill to recompute plain hashes) changing what the records say after they were anchored;
 * `npm run audit:verify` with the anchors must report every one, and nothing on the untouched table.
 * Before issue 16, 2 of the first 13 were detected.
 */

type Item = Record<string, unknown>;

interface World {
  stack: TestStack;
  anchors: string;
  /** A completed screening: its tasks (one completed with evidence, one cancelled with a reason). */
  screening: string;
  completedTask: string;
  cancelledTask: string;
  /** An unfinished conversation with several events. */
  active: string;
}

let world: World;

async function build(): Promise<World> {
  const stack = await createTestStack({ startAt: '2026-11-28T17:00:00.000Z' });
  const driver = await ScreeningDriver.start(stack, 'en', 'CASE-TAMPER');
  const done = await driver.sendAll(
    fullScreening({ determination: 'identified', cws: 'yes', receivedAt: '2026-11-28T08:00:00-08:00' }),
  );
  const [first, second] = done.body.tasks as Array<{ id: string }>;
  const completed = await stack.call('completeTask', {
    id: first!.id,
    body: { evidence: { agency: 'Sheriff', referenceNumber: 'R-1', reportedAt: '2026-11-28T16:30:00Z' } },
  });
  expect(completed.status).toBe(200);
  const cancelled = await stack.call('cancelTask', {
    id: second!.id,
    body: { reason: 'Reported by the county on the same call' },
  });
  expect(cancelled.status).toBe(200);
  expect((await stack.call('getConversation', { id: driver.id })).status).toBe(200);
  const active = await ScreeningDriver.start(stack, 'en', 'CASE-ACTIVE');
  await active.sendAll([
    { answer: 'present' },
    { answer: 'not_present' },
    { unknown: true },
    { answer: 'not_present' },
  ]);
  const anchors = await mkdtemp(join(tmpdir(), 'anchors-'));
  await writeAnchor({
    doc: stack.doc,
    tableName: stack.tableName,
    store: fileAnchorStore(anchors),
    keys: stack.deps.services.keys,
    now: () => new Date(),
  });
  return {
    stack,
    anchors,
    screening: driver.id,
    completedTask: first!.id,
    cancelledTask: second!.id,
    active: active.id,
  };
}

async function audit(): Promise<{ code: number; output: string }> {
  const lines: string[] = [];
  const io = { stdout: (line: string) => lines.push(line), stderr: (line: string) => lines.push(line) };
  const code = await runAuditVerify(
    ['--endpoint', inject('dynamoEndpoint'), '--table', world.stack.tableName, '--anchors', world.anchors],
    io,
    undefined,
    async () => world.stack.deps.services.keys,
  );
  return { code, output: lines.join('\n') };
}

const table = () => world.stack.tableName;
const doc = () => world.stack.doc;

async function get(key: Item): Promise<Item> {
  return (await doc().send(new GetCommand({ TableName: table(), Key: key, ConsistentRead: true }))).Item!;
}
async function put(item: Item) {
  await doc().send(new PutCommand({ TableName: table(), Item: item }));
}
async function remove(item: Item) {
  await doc().send(new DeleteCommand({ TableName: table(), Key: { pk: item.pk, sk: item.sk } }));
}
async function partition(pk: string): Promise<Item[]> {
  const page = await doc().send(
    new QueryCommand({
      TableName: table(),
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': pk },
      ConsistentRead: true,
    }),
  );
  return page.Items ?? [];
}
async function eventsOf(id: string): Promise<Item[]> {
  return (await partition(keys.conversation(id).pk))
    .filter((item) => String(item.sk).startsWith(keys.eventPrefix))
    .sort((a, b) => Number(a.seq) - Number(b.seq));
}

/** What an insider without the chain key can do: relink the events after `fromSeq` with plain SHA-256. */
async function relinkWithoutKey(id: string, events: Item[], fromSeq: number) {
  let prev =
    fromSeq === 1
      ? genesisHash((await get(keys.conversation(id))) as never)
      : String(events[fromSeq - 2]!.hash);
  for (const event of events.slice(fromSeq - 1)) {
    const hash = eventHash({
      conversationId: String(event.conversationId),
      eventId: String(event.eventId),
      seq: Number(event.seq),
      event: event.event as Item,
      actor: String(event.actor),
      prevHash: prev,
    });
    await put({ ...event, prevHash: prev, hash });
    prev = hash;
  }
  const conversation = await get(keys.conversation(id));
  await put({ ...conversation, chain: { seq: events.length, hash: prev } });
}

beforeEach(async () => {
  world = await build();
});

describe('issue 16 finding 3: audit:verify detects every tampering of the table', () => {
  it('finds the untouched table intact, against its anchors', async () => {
    const result = await audit();
    expect(result.output).toMatch(/against 1 anchor: all chains intact/);
    expect(result.code).toBe(0);
  });

  it.each<[string, () => Promise<void>, RegExp]>([
    [
      '1. an answer edited in its event',
      async () => {
        const [event] = (await eventsOf(world.screening)).slice(2);
        await put({ ...event, event: { ...(event!.event as Item), value: 'present' } });
      },
      /conversation .*altered/,
    ],
    [
      '2. an event deleted from the middle',
      async () => remove((await eventsOf(world.screening))[3]!),
      /conversation .*removed/,
    ],
    [
      "3. the outcome's determination changed",
      async () => {
        const outcome = await get(keys.outcome(world.screening));
        const changed = { ...(outcome.outcome as Item), determination: 'neither' };
        await put({
          ...outcome,
          outcome: changed,
          facts: { ...(outcome.facts as Item), determination: 'neither' },
        });
      },
      /replay .*outcome/,
    ],
    [
      "4. the outcome's duties cut",
      async () => {
        const outcome = await get(keys.outcome(world.screening));
        const inner = outcome.outcome as { duties: unknown[] };
        await put({ ...outcome, outcome: { ...inner, duties: inner.duties.slice(1) } });
      },
      /replay .*outcome/,
    ],
    [
      "5. the conversation's state rewritten",
      async () => {
        const conversation = await get(keys.conversation(world.active));
        const state = conversation.state as { value: string; context: Item };
        await put({ ...conversation, state: { ...state, context: { ...state.context, forged: true } } });
      },
      /replay .*state/,
    ],
    [
      "6. a task's evidence changed (the deadline then looks met)",
      async () => {
        const task = await get(keys.task(world.completedTask));
        await put({
          ...task,
          evidence: { ...(task.evidence as Item), reportedAt: '2026-11-28T16:05:00.000Z' },
        });
      },
      /task .*altered.*evidence/,
    ],
    [
      "7. a settled task's status set back to open",
      async () => put({ ...(await get(keys.task(world.completedTask))), status: 'open' }),
      /task .*altered/,
    ],
    [
      "8. a task's owner changed",
      async () => put({ ...(await get(keys.task(world.cancelledTask))), owner: 'someone-else' }),
      /task .*altered/,
    ],
    [
      "9. a task's cancel reason changed",
      async () => put({ ...(await get(keys.task(world.cancelledTask))), cancelReason: 'Duplicate' }),
      /task .*altered/,
    ],
    [
      '10. the records of who read a conversation deleted',
      async () => {
        for (const read of await partition(keys.reads(world.screening))) await remove(read);
      },
      /anchor log READS#CONV#.*removed/,
    ],
    [
      '11. a whole conversation deleted (item, events, outcome, reads)',
      async () => {
        for (const item of await partition(keys.conversation(world.screening).pk)) await remove(item);
        for (const item of await partition(keys.reads(world.screening))) await remove(item);
      },
      /anchor conversation .*no longer in the table/,
    ],
    [
      '12. an event rewritten and the chain recomputed (plain SHA-256, as anyone could)',
      async () => {
        const events = await eventsOf(world.active);
        events[1] = { ...events[1]!, event: { ...(events[1]!.event as Item), value: 'present' } };
        await relinkWithoutKey(world.active, events, 2);
      },
      /conversation .*altered/,
    ],
    [
      '13. the tail cut back to an earlier, genuine link',
      async () => {
        const events = await eventsOf(world.active);
        const kept = events[1]!;
        for (const event of events.slice(2)) await remove(event);
        const conversation = await get(keys.conversation(world.active));
        await put({ ...conversation, version: 2, chain: { seq: 2, hash: kept.hash } });
      },
      /anchor conversation .*cut/,
    ],
    [
      "14. a task's last history entry removed, with its status put back",
      async () => {
        const task = await get(keys.task(world.completedTask));
        const history = task.history as Item[];
        await put({ ...task, status: 'open', evidence: undefined, history: history.slice(0, -1) });
      },
      /anchor task .*rewritten or cut/,
    ],
    [
      '15. a whole task deleted',
      async () => remove(await get(keys.task(world.cancelledTask))),
      /anchor task .*no longer in the table/,
    ],
    [
      "16. the conversation's outcome deleted",
      async () => remove(await get(keys.outcome(world.screening))),
      /replay .*outcome .*missing/,
    ],
    [
      '17. an anchor rewritten to match the tampered table',
      async () => {
        const [name] = (await fileAnchorStore(world.anchors).list()) as [string];
        const path = join(world.anchors, name);
        const stored = JSON.parse(await readFile(path, 'utf8')) as { body: string; mac: string };
        const body = JSON.parse(stored.body) as { conversations: Record<string, unknown> };
        delete body.conversations[world.screening];
        await chmod(path, 0o600);
        await writeFile(path, JSON.stringify({ ...stored, body: canonicalJson(body) }));
      },
      /anchor anchor .*not carry a valid MAC/,
    ],
  ])('%s', async (_name, tamper, expected) => {
    await tamper();
    const result = await audit();
    expect(result.code, result.output).toBe(1);
    expect(result.output).toMatch(expected);
  });

  it('an erasure or an expiry accounts for a record that is gone; nothing else does', async () => {
    const { verifyAnchors } = await import('#functions/audit/anchors.ts');
    const conversation = await get(keys.conversation(world.active));
    for (const item of await partition(keys.conversation(world.active).pk)) await remove(item);
    const check = (now: Date) =>
      verifyAnchors({
        doc: doc(),
        tableName: table(),
        store: fileAnchorStore(world.anchors),
        keys: world.stack.deps.services.keys,
        chainKey: world.stack.deps.services.chain.loaded!,
        now: () => now,
      });
    const expiresAt = Number(conversation.expiresAt);
    expect((await check(new Date((expiresAt - 60) * 1000))).problems.map((p) => p.id)).toEqual([
      world.active,
    ]);
    expect((await check(new Date((expiresAt + 60) * 1000))).problems).toEqual([]);
  });
});
