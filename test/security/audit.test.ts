import { DeleteCommand, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { beforeEach, describe, expect, inject, it } from 'vitest';
import { verifyTable } from '#functions/audit/verify-table.ts';
import { sweepDueTasks } from '#functions/reminders/actions.ts';
import { keys } from '#functions/storage/table.ts';
import { runAuditVerify } from '../../scripts/audit-verify.ts';
import { fullScreening, ScreeningDriver } from '../support/screening.ts';
import { createTestStack, type TestStack } from '../support/stack.ts';

/**
 * The audit trail: each conversation's events and each task's history are hash chains written by the
 * handlers themselves; `npm run audit:verify` names the first event that was altered, removed or reordered.
 */

let stack: TestStack;

beforeEach(async () => {
  stack = await createTestStack({ startAt: '2026-11-28T17:00:00.000Z' });
});

/** Verification as an auditor runs it: with the chain key the stack's links were made with. */
const keyed = async () => ({ key: await stack.deps.services.chain.load() });

async function audit(...args: string[]) {
  const lines: string[] = [];
  const io = { stdout: (line: string) => lines.push(line), stderr: (line: string) => lines.push(line) };
  const endpoint = inject('dynamoEndpoint');
  const code = await runAuditVerify(
    ['--endpoint', endpoint, '--table', stack.tableName, ...args],
    io,
    undefined,
    async () => stack.deps.services.keys,
  );
  return { code, output: lines.join('\n') };
}

async function screened() {
  const driver = await ScreeningDriver.start(stack);
  const done = await driver.sendAll(
    fullScreening({ determination: 'identified', cws: 'yes', receivedAt: '2026-11-26T10:00:00Z' }),
  );
  return { driver, done };
}

async function eventKeyAt(conversationId: string, seq: number) {
  const detail = await stack.call('getConversation', { id: conversationId });
  const event = detail.body.events.find((e: { seq: number }) => e.seq === seq);
  return { key: keys.event(conversationId, event.eventId), eventId: event.eventId as string };
}

describe('the audit hash chain', () => {
  it('is intact after real work: a screening, its tasks, a completed report, reminders and escalations', async () => {
    const { done } = await screened();
    await stack.call('completeTask', {
      id: done.body.tasks[0].id,
      body: { evidence: { agency: 'Sheriff', referenceNumber: 'R-9', reportedAt: '2026-11-28T16:00:00Z' } },
    });
    await sweepDueTasks(stack.deps.services, new Date('2026-11-30T17:00:00Z'));
    const report = await verifyTable(stack.doc, stack.tableName, { chain: await keyed() });
    expect(report.problems).toEqual([]);
    expect(report.checked.conversations).toBe(1);
    expect(report.checked.tasks).toBe(done.body.tasks.length);
    expect((await audit()).code).toBe(0);
  });

  it('names the first altered event when an answer is changed in the table', async () => {
    const { driver } = await screened();
    const { key, eventId } = await eventKeyAt(driver.id, 3);
    await stack.doc.send(
      new UpdateCommand({
        TableName: stack.tableName,
        Key: key,
        UpdateExpression: 'SET #event.#value = :value',
        ExpressionAttributeNames: { '#event': 'event', '#value': 'value' },
        ExpressionAttributeValues: { ':value': 'present' },
      }),
    );
    const { code, output } = await audit('--conversation', driver.id);
    expect(code).toBe(1);
    expect(output).toMatch(/altered/);
    expect(output).toContain(eventId);
    expect(output).toMatch(/\b3\b/);
    // A whole-table run finds it too.
    expect((await audit()).code).toBe(1);
  });

  it('names a removed event', async () => {
    const { driver } = await screened();
    const { key } = await eventKeyAt(driver.id, 5);
    await stack.doc.send(new DeleteCommand({ TableName: stack.tableName, Key: key }));
    const { code, output } = await audit('--conversation', driver.id);
    expect(code).toBe(1);
    expect(output).toMatch(/removed/);
    expect(output).toMatch(/\b5\b/);
  });

  it('catches two events swapped in order', async () => {
    const { driver } = await screened();
    const second = await eventKeyAt(driver.id, 2);
    const third = await eventKeyAt(driver.id, 3);
    for (const [{ key }, seq] of [
      [second, 3],
      [third, 2],
    ] as const) {
      await stack.doc.send(
        new UpdateCommand({
          TableName: stack.tableName,
          Key: key,
          UpdateExpression: 'SET seq = :seq',
          ExpressionAttributeValues: { ':seq': seq },
        }),
      );
    }
    const { code, output } = await audit('--conversation', driver.id);
    expect(code).toBe(1);
    expect(output).toMatch(/\b2\b/);
  });

  it('catches a task whose history was rewritten (who completed it)', async () => {
    const { done } = await screened();
    const taskId = done.body.tasks[0].id;
    await stack.call('completeTask', {
      id: taskId,
      body: { evidence: { agency: 'Sheriff', referenceNumber: 'R-9', reportedAt: '2026-11-28T16:00:00Z' } },
    });
    const item = await stack.doc.send(new GetCommand({ TableName: stack.tableName, Key: keys.task(taskId) }));
    const history = item.Item!.history as Array<{ by: string }>;
    history[history.length - 1]!.by = 'someone-else';
    await stack.doc.send(
      new UpdateCommand({
        TableName: stack.tableName,
        Key: keys.task(taskId),
        UpdateExpression: 'SET history = :history',
        ExpressionAttributeValues: { ':history': history },
      }),
    );
    const report = await verifyTable(stack.doc, stack.tableName, { chain: await keyed() });
    expect(report.problems).toEqual([expect.objectContaining({ kind: 'task', id: taskId })]);
  });
});

describe('reads of a case are recorded', () => {
  it('who read which conversation, when, through which route and request', async () => {
    const driver = await ScreeningDriver.start(stack);
    await stack.call('getConversation', { id: driver.id });
    stack.clock.advance(60_000);
    await stack.call('getConversation', {
      id: driver.id,
      user: { sub: 'supervisor-1', org: 'county-a', unit: 'unit-1', roles: ['supervisor'] },
    });
    const reads = await stack.deps.services.store.listReads(driver.id);
    expect(reads.map((read) => [read.actor, read.route, read.at])).toEqual([
      ['caseworker-1', 'getConversation', '2026-11-28T17:00:00.000Z'],
      ['supervisor-1', 'getConversation', '2026-11-28T17:01:00.000Z'],
    ]);
    expect(reads.every((read) => read.requestId.length > 0)).toBe(true);
  });

  it('a refused read is not recorded as a read, and leaves nothing behind', async () => {
    const driver = await ScreeningDriver.start(stack);
    const refused = await stack.call('getConversation', {
      id: driver.id,
      user: { sub: 'caseworker-2', org: 'county-a', unit: 'unit-1', roles: ['caseworker'] },
    });
    expect(refused.status).toBe(404);
    expect(await stack.deps.services.store.listReads(driver.id)).toEqual([]);
  });
});

describe('issue 16, finding 3: what is derived from the events is replayed, not trusted', () => {
  it('issue 16 finding 3: a changed outcome determination or duty is found by replaying the events', async () => {
    const { driver } = await screened();
    expect((await audit()).code).toBe(0);
    await stack.doc.send(
      new UpdateCommand({
        TableName: stack.tableName,
        Key: keys.outcome(driver.id),
        UpdateExpression: 'SET #o.#d = :neither, #f.#d = :neither',
        ExpressionAttributeNames: { '#o': 'outcome', '#f': 'facts', '#d': 'determination' },
        ExpressionAttributeValues: { ':neither': 'neither' },
      }),
    );
    const report = await verifyTable(stack.doc, stack.tableName, {
      catalog: stack.deps.services.catalog,
      chain: await keyed(),
    });
    expect(report.problems).toEqual([
      expect.objectContaining({
        kind: 'replay',
        id: driver.id,
        verdict: expect.objectContaining({ problem: 'altered', message: expect.stringMatching(/outcome/) }),
      }),
    ]);
    const cli = await audit();
    expect(cli.code).toBe(1);
    expect(cli.output).toMatch(/replay .*outcome/);
    // Only the chains, as before this issue: the change went unseen.
    expect((await audit('--chains-only')).code).toBe(0);
  });

  it('issue 16 finding 3: removing a duty from the stored outcome is found', async () => {
    const { driver } = await screened();
    await stack.doc.send(
      new UpdateCommand({
        TableName: stack.tableName,
        Key: keys.outcome(driver.id),
        UpdateExpression: 'REMOVE #o.#duties[0]',
        ExpressionAttributeNames: { '#o': 'outcome', '#duties': 'duties' },
      }),
    );
    const { code, output } = await audit('--conversation', driver.id);
    expect(code).toBe(1);
    expect(output).toMatch(/duties/);
  });

  it('issue 16 finding 3: a changed conversation state is found; a deleted outcome too', async () => {
    const { driver } = await screened();
    await stack.doc.send(
      new UpdateCommand({
        TableName: stack.tableName,
        Key: keys.conversation(driver.id),
        UpdateExpression: 'SET #s.#v = :step',
        ExpressionAttributeNames: { '#s': 'state', '#v': 'value' },
        ExpressionAttributeValues: { ':step': 'determination' },
      }),
    );
    expect((await audit()).output).toMatch(/stored state/);
    const second = await screened();
    await stack.doc.send(
      new DeleteCommand({ TableName: stack.tableName, Key: keys.outcome(second.driver.id) }),
    );
    const report = await verifyTable(stack.doc, stack.tableName, {
      catalog: stack.deps.services.catalog,
      chain: await keyed(),
    });
    expect(report.problems.map((problem) => [problem.kind, problem.id, problem.verdict.problem])).toEqual(
      expect.arrayContaining([['replay', second.driver.id, 'removed']]),
    );
  });
});
