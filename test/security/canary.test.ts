import { randomUUID } from 'node:crypto';
import { DescribeTableCommand, DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
} from '@aws-sdk/client-dynamodb-streams';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import type { AnyMachineSnapshot } from 'xstate';
import { createFlowCatalog } from '#flows/catalog.ts';
import { type FlowDefinition, start, step } from '#flows/engine.ts';
import type { ConversationEvent } from '#flows/events.ts';
import type { Prompt } from '#flows/prompt.ts';
import { MODEL_AT, validEvents } from '../support/flow-model.ts';
import { ScreeningDriver } from '../support/screening.ts';
import { createTestStack, type TestStack, type TestUser } from '../support/stack.ts';

/**
 * Issue 16, finding 1: everything a person types (every free-text answer, every note) is sealed wherever
 * it is stored. A unique marker is typed into every text field and every note of every flow, through the
 * API, and then searched for in every attribute of every item of the table and in every stream record.
 * Before the fix, notes, "in my own words" answers and the override reason were stored as typed.
 */

const MARKER = `canary${randomUUID().replaceAll('-', '')}`;
const typedIn = (promptId: string) => `${MARKER} ${promptId}: lives with Marcus at 55 Oak Ave`;

const catalog = createFlowCatalog();
const caseworker: TestUser = { sub: 'canary-cw', org: 'county-c', unit: 'unit-1', roles: ['caseworker'] };
const admin: TestUser = { sub: 'canary-admin', org: 'county-c', unit: 'unit-1', roles: ['administrator'] };
const shelter: TestUser = { sub: 'canary-shelter', org: 'shelter-c', unit: 'main', roles: ['shelter_staff'] };
const shelterAdmin: TestUser = {
  sub: 'canary-shelter-admin',
  org: 'shelter-c',
  unit: 'main',
  roles: ['administrator'],
};

const takesTypedText = (prompt: Prompt) => prompt.kind === 'text' || prompt.allowsNote;

/**
 * The shortest event paths (on the pure flow) to every prompt that takes typed text, visiting each prompt
 * in up to three different contexts, so a prompt reached only after particular answers is found too.
 */
function pathsToTypedPrompts(flow: FlowDefinition): Map<string, ConversationEvent[]> {
  const found = new Map<string, ConversationEvent[]>();
  const visits = new Map<string, number>();
  const events = validEvents(flow, { texts: ['typed'] });
  const queue: Array<{ snapshot: AnyMachineSnapshot; path: ConversationEvent[] }> = [
    { snapshot: start(flow, { locale: 'en', startedAt: MODEL_AT }).snapshot, path: [] },
  ];
  for (let expanded = 0; queue.length > 0 && expanded < 20_000; expanded += 1) {
    const { snapshot, path } = queue.shift()!;
    if (snapshot.status === 'done') continue;
    const prompt = flow.promptFor(snapshot, 'en');
    const seen = visits.get(prompt.id) ?? 0;
    if (seen >= 3) continue;
    visits.set(prompt.id, seen + 1);
    if (takesTypedText(prompt) && !found.has(prompt.id)) found.set(prompt.id, path);
    for (const event of events(snapshot)) {
      const result = step(flow, snapshot, event);
      if (result.ok) queue.push({ snapshot: result.snapshot, path: [...path, event] });
    }
  }
  return found;
}

/** The event a channel sends for `event` at this prompt, with the marker in whatever can be typed. */
function typedVersionOf(event: ConversationEvent, prompt: Prompt): Record<string, unknown> {
  const { at: _at, ...sent } = event;
  if (sent.type !== 'answer.given') return sent;
  return {
    ...sent,
    ...(prompt.kind === 'text' ? { value: typedIn(prompt.id) } : {}),
    ...(prompt.allowsNote ? { note: typedIn(`${prompt.id}.note`) } : {}),
  };
}

/** After the path: every typed field gets the marker, everything else the first thing it accepts. */
function completionFor(prompt: Prompt, at: string): Record<string, unknown> {
  const base = { type: 'answer.given', promptId: prompt.id };
  switch (prompt.kind) {
    case 'text':
      return { ...base, value: typedIn(prompt.id) };
    case 'datetime':
      return prompt.allowsUnknown ? { type: 'answer.unknown', promptId: prompt.id } : { ...base, value: at };
    default: {
      const first = prompt.choices![0]!.id;
      const value = prompt.kind === 'multichoice' ? [first] : first;
      return prompt.allowsNote
        ? { ...base, value, note: typedIn(`${prompt.id}.note`) }
        : prompt.allowsUnknown
          ? { type: 'answer.unknown', promptId: prompt.id }
          : { ...base, value };
    }
  }
}

let stack: TestStack;
const typedPrompts = new Map<string, Set<string>>();
const conversationIds: string[] = [];
const typedTaskFields: string[] = [];

async function run(flowId: string, path: ConversationEvent[], user: TestUser, subjectRef: string) {
  const driver = await ScreeningDriver.start(stack, 'en', subjectRef, flowId, user);
  conversationIds.push(driver.id);
  const typed = typedPrompts.get(flowId) ?? new Set<string>();
  typedPrompts.set(flowId, typed);
  const send = async (event: Record<string, unknown>, prompt: Prompt) => {
    if (event.type === 'answer.given' && takesTypedText(prompt)) typed.add(prompt.id);
    const reply = await stack.call('postTurn', {
      id: driver.id,
      user,
      body: { eventId: randomUUID(), expectedVersion: driver.version, event },
    });
    expect(reply.status, `${flowId} ${prompt.id}: ${JSON.stringify(reply.body)}`).toBe(200);
    driver.last = reply;
    driver.version = reply.body.conversation.version;
  };
  for (const event of path)
    await send(typedVersionOf(event, driver.last.body.prompt), driver.last.body.prompt);
  for (let guard = 0; guard < 60 && driver.last.body.prompt; guard += 1) {
    const prompt: Prompt = driver.last.body.prompt;
    await send(completionFor(prompt, stack.clock.now.toISOString()), prompt);
  }
  expect(driver.last.body.conversation.status).toBe('completed');
  // The marker did reach the store: the reader the conversation belongs to sees it, as typed.
  const read = await stack.call('getConversation', { id: driver.id, user });
  expect(read.status).toBe(200);
  expect(JSON.stringify(read.body)).toContain(MARKER);
}

async function everyItemAsText(): Promise<string[]> {
  const client = new DynamoDBClient({
    endpoint: inject('dynamoEndpoint'),
    region: 'us-west-2',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  const items: string[] = [];
  let startKey: Record<string, never> | undefined;
  do {
    const page = await client.send(
      new ScanCommand({ TableName: stack.tableName, ConsistentRead: true, ExclusiveStartKey: startKey }),
    );
    for (const item of page.Items ?? []) items.push(attributesAsText(item));
    startKey = page.LastEvaluatedKey as Record<string, never> | undefined;
  } while (startKey);
  client.destroy();
  return items;
}

/** Every attribute, however typed: strings as they are, binaries both as bytes and as base64. */
function attributesAsText(value: unknown): string {
  return JSON.stringify(value, (_key, node) =>
    node instanceof Uint8Array
      ? `${Buffer.from(node).toString('utf8')} ${Buffer.from(node).toString('base64')}`
      : node,
  );
}

async function everyStreamRecordAsText(): Promise<string[]> {
  const config = {
    endpoint: inject('dynamoEndpoint'),
    region: 'us-west-2',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  };
  const tables = new DynamoDBClient(config);
  const streams = new DynamoDBStreamsClient(config);
  const { Table } = await tables.send(new DescribeTableCommand({ TableName: stack.tableName }));
  const described = await streams.send(new DescribeStreamCommand({ StreamArn: Table!.LatestStreamArn! }));
  const records: string[] = [];
  for (const shard of described.StreamDescription?.Shards ?? []) {
    let iterator = (
      await streams.send(
        new GetShardIteratorCommand({
          StreamArn: Table!.LatestStreamArn!,
          ShardId: shard.ShardId!,
          ShardIteratorType: 'TRIM_HORIZON',
        }),
      )
    ).ShardIterator;
    while (iterator) {
      const page = await streams.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 1000 }));
      for (const record of page.Records ?? []) records.push(attributesAsText(record));
      if ((page.Records ?? []).length === 0) break;
      iterator = page.NextShardIterator;
    }
  }
  tables.destroy();
  streams.destroy();
  return records;
}

beforeAll(async () => {
  stack = await createTestStack({ startAt: '2026-11-28T17:30:00.000Z' });
  const county = await stack.call('putOrganisation', {
    user: admin,
    body: { expectedVersion: 0, settings: { name: 'County C', type: 'county', routes: {} } },
  });
  expect(county.status, JSON.stringify(county.body)).toBe(200);
  const profile = await stack.call('putOrganisation', {
    user: shelterAdmin,
    body: {
      expectedVersion: 0,
      settings: { name: 'Shelter C', type: 'partner', handoffTo: 'county-c', contact: 'Desk (555) 010-3333' },
    },
  });
  expect(profile.status, JSON.stringify(profile.body)).toBe(200);
  let n = 0;
  for (const flowId of catalog.flowIds()) {
    const { flow } = catalog.current(flowId)!;
    const user = flowId === 'partner-cse-screening' ? shelter : caseworker;
    for (const path of pathsToTypedPrompts(flow).values()) {
      n += 1;
      await run(flowId, path, user, `CANARY-${n}`);
    }
  }
  // What a worker types about a task: the agency and number of a report, the reason for cancelling one.
  const open = await stack.call('listTasks', { user: caseworker, query: { status: 'open' } });
  const [first, second] = open.body.tasks as Array<{ id: string }>;
  const completed = await stack.call('completeTask', {
    id: first!.id,
    user: caseworker,
    body: {
      evidence: {
        agency: typedIn('agency'),
        referenceNumber: `${MARKER}-R9`,
        reportedAt: stack.clock.now.toISOString(),
      },
    },
  });
  expect(completed.status, JSON.stringify(completed.body)).toBe(200);
  expect(completed.body.evidence.agency).toBe(typedIn('agency'));
  const cancelled = await stack.call('cancelTask', {
    id: second!.id,
    user: caseworker,
    body: { reason: typedIn('cancel reason') },
  });
  expect(cancelled.status).toBe(200);
  const settled = await stack.call('listTasks', { user: caseworker, query: { status: 'done' } });
  expect(JSON.stringify(settled.body)).toContain(`${MARKER}-R9`);
  typedTaskFields.push(first!.id, second!.id);
}, 240_000);

describe('issue 16 finding 1: nothing a person typed is stored readable', () => {
  it('every flow was driven through every prompt that takes typed text', () => {
    expect([...typedPrompts.keys()].sort()).toEqual(catalog.flowIds().sort());
    for (const [flowId, prompts] of typedPrompts) expect(prompts.size, flowId).toBeGreaterThan(0);
    // The fields the review named: indicator notes, the override reason, the youth's own words.
    expect(typedPrompts.get('cse-screening')).toContain('override_reason');
    expect(typedPrompts.get('cse-screening')).toContain('exchange');
    expect([...typedPrompts.get('runaway-return')!].length).toBeGreaterThan(1);
    expect(typedPrompts.get('missing-from-care')).toContain('last_seen_place');
    expect(typedTaskFields).toHaveLength(2);
  });

  it('no attribute of any item in the table holds the marker', async () => {
    const items = await everyItemAsText();
    expect(items.some((item) => conversationIds.some((id) => item.includes(id)))).toBe(true);
    const leaks = items.filter((item) => item.includes(MARKER));
    expect(leaks.map((item) => item.slice(0, 300))).toEqual([]);
  });

  it('no stream record holds the marker', async () => {
    const records = await everyStreamRecordAsText();
    expect(records.length).toBeGreaterThan(conversationIds.length);
    const leaks = records.filter((record) => record.includes(MARKER));
    expect(leaks.map((record) => record.slice(0, 300))).toEqual([]);
  });
});
