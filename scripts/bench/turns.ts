import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { ConsumedCapacity } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { keys } from '#functions/storage/table.ts';
import type { Harness } from './harness.ts';
import { screeningValues } from './harness.ts';
import { itemSize } from './item-size.ts';
import { round, type Summary, summarize } from './stats.ts';

export interface TurnResults {
  turnMs: Summary;
  floorMs: Summary;
  ratio: { median: number; p99: number };
  /**
   * The floor with the per-user rate counter (issue 5) as the handler runs it: its UpdateItem alongside the
   * GetItem. The counter is storage work every request now owes, so this is the floor of today's design.
   */
  floorWithCounterMs: Summary;
  ratioWithCounter: { median: number; p99: number };
  finalTurnMs: Summary;
  /** Units by AWS's documented rules from the measured item sizes (what a bill would show). */
  capacity: {
    ordinary: Units;
    final: Units;
  };
  /** What DynamoDB Local itself reported through ReturnConsumedCapacity (it undercounts some transactions). */
  reportedByDynamoLocal: {
    ordinary: Units;
    final: Units;
  };
  stateBytes: {
    conversationAtStart: number;
    conversationAtEnd: number;
    conversationMax: number;
    eventMax: number;
    outcome: number;
    task: number;
  };
}

type Item = Record<string, unknown>;

interface Units {
  read: number;
  write: number;
  writeTable: number;
  writeIndexes: number;
}

const KB = 1024;
/** A strongly consistent read: 1 unit per 4 KB. */
const readUnits = (bytes: number) => Math.ceil(bytes / (4 * KB));
/** A transactional write: 2 units per 1 KB of the larger of the old and new item. */
const transactionalWriteUnits = (bytes: number) => 2 * Math.ceil(bytes / KB);

/** Keeps the turn with the most write units whole, so table and index units add up to its total. */
function keep(target: Units, next: Units) {
  if (next.write > target.write) Object.assign(target, next, { read: Math.max(target.read, next.read) });
  else target.read = Math.max(target.read, next.read);
}

/** DynamoDB reports Read/WriteCapacityUnits; DynamoDB Local reports only CapacityUnits. Either is read. */
function units(capacity: ConsumedCapacity[], kind: 'read' | 'write') {
  const of = (
    entry: { CapacityUnits?: number; ReadCapacityUnits?: number; WriteCapacityUnits?: number } | undefined,
  ) => (kind === 'read' ? entry?.ReadCapacityUnits : entry?.WriteCapacityUnits) ?? entry?.CapacityUnits ?? 0;
  let table = 0;
  let indexes = 0;
  for (const entry of capacity) {
    table += entry.Table ? of(entry.Table) : of(entry);
    for (const index of Object.values(entry.GlobalSecondaryIndexes ?? {})) indexes += of(index);
  }
  return { table, indexes, total: table + indexes };
}

/**
 * Each ordinary turn goes through the postTurn Lambda handler; right after it, the same GetItem and
 * TransactWriteItems, with items of the same sizes (copies under another key), are sent directly. The
 * two are measured alternately in the same run, so machine noise hits both alike.
 */
export async function measureTurns(
  harness: Harness,
  conversations: number,
  warmup: number,
): Promise<TurnResults> {
  const { doc, tableName } = harness;
  const turnSamples: number[] = [];
  const floorSamples: number[] = [];
  const counterFloorSamples: number[] = [];
  const finalSamples: number[] = [];
  const zero = (): Units => ({ read: 0, write: 0, writeTable: 0, writeIndexes: 0 });
  const computed = { ordinary: zero(), final: zero() };
  const reported = { ordinary: zero(), final: zero() };
  const sizes = {
    conversationAtStart: 0,
    conversationAtEnd: 0,
    conversationMax: 0,
    eventMax: 0,
    outcome: 0,
    task: 0,
  };
  const getItem = async (key: { pk: string; sk: string }) =>
    (await doc.send(new GetCommand({ TableName: tableName, Key: key, ConsistentRead: true }))).Item as Item;

  for (let c = 0; c < conversations; c += 1) {
    const { id } = await harness.newConversation();
    const values = screeningValues();
    let version = 0;
    let promptId = 'exchange';
    sizes.conversationAtStart = itemSize(await getItem(keys.conversation(id)));
    for (let index = 0; index < values.length; index += 1) {
      const final = index === values.length - 1;
      const before = await getItem(keys.conversation(id));
      const eventId = randomUUID();
      const event = harness.turnEvent(id, {
        eventId,
        expectedVersion: version,
        event: { type: 'answer.given', promptId, value: values[index] },
      });
      harness.capacity.length = 0;
      const started = performance.now();
      const response = await harness.postTurn(event);
      const turnMs = performance.now() - started;
      if (response.statusCode !== 200)
        throw new Error(`turn failed: ${response.statusCode} ${response.body}`);
      const reply = JSON.parse(response.body ?? '{}');
      const read = harness.capacity
        .filter((entry) => entry.operation === 'getConversation')
        .flatMap((e) => e.capacity);
      const write = harness.capacity
        .filter((entry) => entry.operation.startsWith('commit'))
        .flatMap((e) => e.capacity);
      const r = units(read, 'read');
      const w = units(write, 'write');
      keep(final ? reported.final : reported.ordinary, {
        read: r.total,
        write: w.total,
        writeTable: w.table,
        writeIndexes: w.indexes,
      });

      const after = await getItem(keys.conversation(id));
      const stored = await getItem(keys.event(id, eventId));
      sizes.conversationMax = Math.max(sizes.conversationMax, itemSize(after));
      sizes.eventMax = Math.max(sizes.eventMax, itemSize(stored));
      const conversationUnits = transactionalWriteUnits(Math.max(itemSize(before), itemSize(after)));
      const eventUnits = transactionalWriteUnits(itemSize(stored));
      if (final) {
        finalSamples.push(turnMs);
        sizes.conversationAtEnd = itemSize(after);
        const outcomeBytes = itemSize(await getItem(keys.outcome(id)));
        sizes.outcome = outcomeBytes;
        const taskBytes = (
          await Promise.all(reply.tasks.map((task: { id: string }) => getItem(keys.task(task.id))))
        ).map(itemSize);
        sizes.task = Math.max(...taskBytes);
        // Tasks are projected whole into the task index, which costs a second write of each.
        const taskUnits = taskBytes.reduce((sum, bytes) => sum + transactionalWriteUnits(bytes), 0);
        const writeTable = eventUnits + conversationUnits + transactionalWriteUnits(outcomeBytes) + taskUnits;
        keep(computed.final, {
          read: readUnits(itemSize(before)),
          write: writeTable + taskUnits,
          writeTable,
          writeIndexes: taskUnits,
        });
      } else {
        keep(computed.ordinary, {
          read: readUnits(itemSize(before)),
          write: eventUnits + conversationUnits,
          writeTable: eventUnits + conversationUnits,
          writeIndexes: 0,
        });
        // The floor: the same two requests on copies of the same items; and again with the rate counter.
        const floor = async (withCounter: boolean) => {
          const floorId = randomUUID();
          const floorKey = keys.conversation(floorId);
          await doc.send(new PutCommand({ TableName: tableName, Item: { ...before, ...floorKey } }));
          const floorStarted = performance.now();
          const read = doc.send(
            new GetCommand({
              TableName: tableName,
              Key: floorKey,
              ConsistentRead: true,
              ReturnConsumedCapacity: 'INDEXES',
            }),
          );
          const counted = withCounter
            ? doc.send(
                new UpdateCommand({
                  TableName: tableName,
                  Key: keys.rate(`floor-${c}`, index),
                  UpdateExpression: 'ADD #hits :one SET #expiresAt = :expiresAt',
                  ConditionExpression: 'attribute_not_exists(#hits) OR #hits < :limit',
                  ExpressionAttributeNames: { '#hits': 'hits', '#expiresAt': 'expiresAt' },
                  ExpressionAttributeValues: { ':one': 1, ':limit': 1_000_000, ':expiresAt': 0 },
                }),
              )
            : Promise.resolve();
          await read;
          await counted;
          await doc.send(
            new TransactWriteCommand({
              ReturnConsumedCapacity: 'INDEXES',
              TransactItems: [
                {
                  Put: {
                    TableName: tableName,
                    Item: { ...stored, ...keys.event(floorId, eventId) },
                    ConditionExpression: 'attribute_not_exists(pk)',
                  },
                },
                {
                  Put: {
                    TableName: tableName,
                    Item: { ...after, ...floorKey },
                    ConditionExpression: '#version = :expected',
                    ExpressionAttributeNames: { '#version': 'version' },
                    ExpressionAttributeValues: { ':expected': version },
                  },
                },
              ],
            }),
          );
          return performance.now() - floorStarted;
        };
        // Alternating which goes first keeps either from always running on a warmer database.
        const plainFirst = index % 2 === 0;
        const floorMs = plainFirst ? await floor(false) : 0;
        const counterFloorMs = await floor(true);
        const plainFloorMs = plainFirst ? floorMs : await floor(false);
        if (c * values.length + index >= warmup) {
          turnSamples.push(turnMs);
          floorSamples.push(plainFloorMs);
          counterFloorSamples.push(counterFloorMs);
        }
      }
      version = reply.conversation.version;
      promptId = reply.prompt?.id ?? '';
    }
  }
  const turnMs = summarize(turnSamples);
  const floorMs = summarize(floorSamples);
  const floorWithCounterMs = summarize(counterFloorSamples);
  return {
    turnMs,
    floorMs,
    ratio: { median: round(turnMs.median / floorMs.median, 3), p99: round(turnMs.p99 / floorMs.p99, 3) },
    floorWithCounterMs,
    ratioWithCounter: {
      median: round(turnMs.median / floorWithCounterMs.median, 3),
      p99: round(turnMs.p99 / floorWithCounterMs.p99, 3),
    },
    finalTurnMs: summarize(finalSamples),
    capacity: computed,
    reportedByDynamoLocal: reported,
    stateBytes: sizes,
  };
}
