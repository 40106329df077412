import { randomUUID } from 'node:crypto';
import { DeleteCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { appendHistory, genesisChain, linkEvent } from '#functions/audit/chain.ts';
import { verifyTable } from '#functions/audit/verify-table.ts';
import { createLocalKeyProvider } from '#functions/crypto/local-key-provider.ts';
import { createRandomMasterKey } from '#functions/crypto/local-master-key.ts';
import { createDocumentClient } from '#functions/storage/client.ts';
import { type AuditIo, runAuditVerify } from '../../scripts/audit-verify.ts';

/** The chains seeded here are written as before issue 16 (unkeyed), so the CLI is told to accept them. */
const legacyAudit = (args: string[], io: AuditIo) =>
  runAuditVerify([...args, '--allow-unkeyed'], io, undefined, async () =>
    createLocalKeyProvider(createRandomMasterKey()),
  );

import { ensureTable } from '../../scripts/create-table.ts';

const endpoint = inject('dynamoEndpoint');
const doc = createDocumentClient({ endpoint });
const SECRET_ANSWER = 'a-sensitive-answer';

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return {
    out,
    err,
    io: { stdout: (line: string) => out.push(line), stderr: (line: string) => err.push(line) },
  };
}

/** Writes a conversation with `count` chained events and one settled task, the way the store lays them out. */
async function seed(tableName: string, count: number) {
  const id = `conv-${randomUUID()}`;
  const facts = {
    id,
    flow: 'cse-screening',
    flowVersion: '1',
    instrument: { id: 'default', version: '1' },
    subjectRef: 'CASE-AUDIT',
    org: 'county-a',
    owner: 'caseworker-1',
    createdAt: '2026-11-28T17:00:00.000Z',
  };
  let head = genesisChain(facts);
  const events = [];
  for (let seq = 1; seq <= count; seq += 1) {
    const fields = {
      conversationId: id,
      eventId: `evt-${randomUUID()}`,
      seq,
      event: {
        type: 'answer.given',
        promptId: `q${seq}`,
        value: SECRET_ANSWER,
        at: '2026-11-28T17:05:00.000Z',
      },
      actor: 'caseworker-1',
    };
    const link = linkEvent(head, fields);
    events.push({ kind: 'event', ...fields, ...link });
    head = { seq, hash: link.hash };
  }
  const conversation = { kind: 'conversation', ...facts, status: 'active', version: count, chain: head };
  await doc.send(
    new PutCommand({ TableName: tableName, Item: { pk: `CONV#${id}`, sk: 'CONV', ...conversation } }),
  );
  for (const event of events)
    await doc.send(
      new PutCommand({
        TableName: tableName,
        Item: { pk: `CONV#${id}`, sk: `EVT#${event.eventId}`, ...event },
      }),
    );

  const taskFacts = {
    id: `${id}.R-REPORT-1`,
    conversationId: id,
    subjectRef: facts.subjectRef,
    org: facts.org,
    ruleId: 'R-REPORT-1',
    requirementId: 'R-REPORT-1',
    receivedAt: '2026-11-28T16:00:00.000Z',
    dueAt: '2026-11-29T16:00:00.000Z',
    createdAt: facts.createdAt,
  };
  const open = { status: 'open', owner: 'cw-1', unit: 'unit-1' };
  const opened = appendHistory({ ...taskFacts, ...open, history: [] }, [
    { at: facts.createdAt, action: 'opened', by: 'cw-1' },
  ]);
  const done = { ...open, status: 'done' };
  const history = appendHistory({ ...taskFacts, ...done, history: opened }, [
    { at: '2026-11-29T04:00:00.000Z', action: 'reminded', by: 'system' },
    { at: '2026-11-29T10:00:00.000Z', action: 'completed', by: 'cw-1' },
  ]);
  const task = { kind: 'task', ...taskFacts, ...done, history };
  await doc.send(
    new PutCommand({ TableName: tableName, Item: { pk: `TASK#${task.id}`, sk: 'TASK', ...task } }),
  );
  return { id, events, task };
}

describe('verifyTable and audit:verify on DynamoDB Local', () => {
  let tableName: string;
  beforeAll(async () => {
    tableName = `audit-${randomUUID()}`;
    await ensureTable(endpoint, tableName);
  });
  afterAll(() => {
    vi.unstubAllEnvs();
  });

  it('finds intact chains intact, for one conversation and for the whole table', async () => {
    const { id } = await seed(tableName, 3);
    expect(await verifyTable(doc, tableName, { conversationId: id })).toEqual({
      checked: { conversations: 1, tasks: 0, events: 3 },
      problems: [],
    });
    const whole = await verifyTable(doc, tableName);
    expect(whole.problems).toEqual([]);
    expect(whole.checked.tasks).toBeGreaterThanOrEqual(1);

    const { out, io } = capture();
    expect(
      await legacyAudit(
        ['--endpoint', endpoint, '--table', tableName, '--conversation', id, '--chains-only'],
        io,
      ),
    ).toBe(0);
    expect(out).toEqual(['Checked 1 conversation (3 events) and 0 tasks: all chains intact.']);
  });

  it('names the event whose value was changed in the table, and the one deleted from it', async () => {
    const { id, events } = await seed(tableName, 4);
    const target = events[1]!;
    await doc.send(
      new UpdateCommand({
        TableName: tableName,
        Key: { pk: `CONV#${id}`, sk: `EVT#${target.eventId}` },
        UpdateExpression: 'SET #event.#value = :value',
        ExpressionAttributeNames: { '#event': 'event', '#value': 'value' },
        ExpressionAttributeValues: { ':value': 'a-forged-answer' },
      }),
    );
    const altered = capture();
    const args = ['--endpoint', endpoint, '--table', tableName, '--conversation', id, '--chains-only'];
    expect(await legacyAudit(args, altered.io)).toBe(1);
    const output = altered.out.join('\n');
    expect(output).toContain(`conversation ${id}`);
    expect(output).toContain('altered');
    expect(output).toContain('seq 2');
    expect(output).toContain(target.eventId);
    expect(output).not.toContain(SECRET_ANSWER);
    expect(output).not.toContain('a-forged-answer');

    const removedEvent = events[2]!;
    await doc.send(
      new DeleteCommand({
        TableName: tableName,
        Key: { pk: `CONV#${id}`, sk: `EVT#${removedEvent.eventId}` },
      }),
    );
    const { problems } = await verifyTable(doc, tableName, { conversationId: id });
    // The altered event still comes first in the chain; restore it to see the removal on its own.
    expect(problems[0]?.verdict).toMatchObject({ problem: 'altered', seq: 2 });
    await doc.send(
      new UpdateCommand({
        TableName: tableName,
        Key: { pk: `CONV#${id}`, sk: `EVT#${target.eventId}` },
        UpdateExpression: 'SET #event.#value = :value',
        ExpressionAttributeNames: { '#event': 'event', '#value': 'value' },
        ExpressionAttributeValues: { ':value': SECRET_ANSWER },
      }),
    );
    const removed = capture();
    expect(await legacyAudit([...args, '--json'], removed.io)).toBe(1);
    const report = JSON.parse(removed.out.join(''));
    expect(report).toMatchObject({
      checked: { conversations: 1, events: 3 },
      found: true,
      problems: [{ kind: 'conversation', id, verdict: { ok: false, problem: 'removed', seq: 3 } }],
    });
  });

  it('finds a tampered task and orphan events in a whole-table run', async () => {
    const { task } = await seed(tableName, 2);
    await doc.send(
      new UpdateCommand({
        TableName: tableName,
        Key: { pk: `TASK#${task.id}`, sk: 'TASK' },
        UpdateExpression: 'SET #history[1].#by = :by',
        ExpressionAttributeNames: { '#history': 'history', '#by': 'by' },
        ExpressionAttributeValues: { ':by': 'someone-else' },
      }),
    );
    const orphan = await seed(tableName, 2);
    await doc.send(new DeleteCommand({ TableName: tableName, Key: { pk: `CONV#${orphan.id}`, sk: 'CONV' } }));

    const { out, io } = capture();
    expect(await legacyAudit(['--endpoint', endpoint, '--table', tableName, '--chains-only'], io)).toBe(1);
    const output = out.join('\n');
    expect(output).toContain(`task ${task.id}: altered at seq 2`);
    expect(output).toContain(`conversation ${orphan.id}: removed at seq 0`);
    expect(output).toMatch(
      /Checked \d+ conversations \(\d+ events\) and \d+ tasks: \d+ broken chains found\./,
    );

    const report = await verifyTable(doc, tableName);
    expect(report.problems.filter((problem) => problem.kind === 'task').map((problem) => problem.id)).toEqual(
      [task.id],
    );
  });

  it('reports usage errors and a missing conversation', async () => {
    vi.stubEnv('TABLE_NAME', '');
    const usage = capture();
    expect(await legacyAudit(['--bogus'], usage.io)).toBe(2);
    expect(await legacyAudit(['--endpoint', endpoint], { ...usage.io })).toBe(2);
    expect(usage.err.join('\n')).toContain('--table');

    const help = capture();
    expect(await legacyAudit(['--help'], help.io)).toBe(0);
    expect(help.out.join('\n')).toContain('--conversation');

    const missing = capture();
    expect(
      await legacyAudit(['--endpoint', endpoint, '--table', tableName, '--conversation', 'nope'], missing.io),
    ).toBe(1);
    expect(missing.out.join('\n')).toContain('not found');

    const noTable = capture();
    expect(
      await legacyAudit(['--endpoint', endpoint, '--table', `missing-${randomUUID()}`], noTable.io),
    ).toBe(2);
    expect(noTable.err.join('\n')).toContain('could not run');
  });
});
