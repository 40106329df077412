import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { beforeEach, describe, expect, it } from 'vitest';
import { fullScreening, ScreeningDriver } from '../support/screening.ts';
import { createTestStack, type TestStack } from '../support/stack.ts';
import { tableContents } from '../support/table.ts';

let stack: TestStack;

beforeEach(async () => {
  stack = await createTestStack({ startAt: '2026-11-28T17:00:00.000Z' });
});

describe('a complete CSE screening through the API', () => {
  it('R-REPORT-1: identified + receiving CWS opens a law enforcement report due 24 h after the information was received', async () => {
    const driver = await ScreeningDriver.start(stack);
    const reply = await driver.sendAll(
      fullScreening({ determination: 'identified', cws: 'yes', receivedAt: '2026-11-28T08:30:00-08:00' }),
    );

    expect(reply.body.conversation.status).toBe('completed');
    expect(reply.body.prompt).toBeNull();
    expect(reply.body.outcome.determination).toBe('identified');
    expect(reply.body.outcome.proposal.level).toBe('clear');
    const report = reply.body.tasks.find(
      (task: { requirementId: string }) => task.requirementId === 'R-REPORT-1',
    );
    expect(report).toMatchObject({
      taskType: 'report_to_law_enforcement',
      citation: 'Penal Code § 11166(j)',
      receivedAt: '2026-11-28T16:30:00.000Z',
      dueAt: '2026-11-29T16:30:00.000Z',
      status: 'open',
      overdue: false,
      deadlineBasis: 'statute',
      obligation: 'statute',
    });
    // R-REPORT-3: the cross-reports are due at once, which the reply says; nothing is late.
    expect(
      reply.body.warnings.map((warning: { code: string; taskId: string }) => [warning.code, warning.taskId]),
    ).toEqual([
      ['task_due_immediately', `${driver.id}.cross-report-law-enforcement`],
      ['task_due_immediately', `${driver.id}.cross-report-district-attorney`],
    ]);
  });

  it('R-PLAN-1: identified or at risk opens an interagency case planning task; neither opens nothing', async () => {
    const atRisk = await ScreeningDriver.start(stack);
    const atRiskReply = await atRisk.sendAll(
      fullScreening({
        exchange: 'not_present',
        others: 'present',
        determination: 'at_risk',
        cws: 'yes',
        receivedAt: '2026-11-28T09:00:00-08:00',
      }),
    );
    // R-DEF-1: an unknown § 602 status opens the defense task too (DOMAIN.md's correction).
    expect(atRiskReply.body.tasks.map((task: { requirementId: string }) => task.requirementId)).toEqual([
      'R-PLAN-1',
      'R-DEF-1',
    ]);
    // R-PLAN-1 for a youth at risk is county policy, and says so.
    expect(atRiskReply.body.tasks[0]).toMatchObject({
      citation: 'Welf. & Inst. Code § 16524.7 (applied to at-risk youth by county policy)',
      deadlineBasis: 'policy',
      obligation: 'policy',
    });

    const neither = await ScreeningDriver.start(stack);
    const neitherReply = await neither.sendAll(
      fullScreening({
        exchange: 'not_present',
        determination: 'neither',
        cws: 'yes',
        receivedAt: '2026-11-28T09:00:00-08:00',
      }),
    );
    expect(neitherReply.body.outcome.determination).toBe('neither');
    expect(neitherReply.body.tasks).toEqual([]);
  });

  it('R-REPORT-1: a received time more than 24 h ago opens the task already overdue, and the reply says so', async () => {
    const driver = await ScreeningDriver.start(stack);
    const reply = await driver.sendAll(
      fullScreening({ determination: 'identified', cws: 'yes', receivedAt: '2026-11-26T10:00:00Z' }),
    );
    const report = reply.body.tasks.find(
      (task: { requirementId: string }) => task.requirementId === 'R-REPORT-1',
    );
    expect(report.dueAt).toBe('2026-11-27T10:00:00.000Z');
    expect(report.overdue).toBe(true);
    const late = reply.body.warnings.filter(
      (warning: { code: string }) => warning.code === 'task_overdue_on_creation',
    );
    expect(late).toEqual([
      expect.objectContaining({ taskId: report.id, message: expect.stringContaining('24 hours') }),
      expect.objectContaining({
        taskId: `${driver.id}.cross-report-written`,
        message: expect.stringContaining('36 hours'),
      }),
    ]);
  });

  it('R-REPORT-1: an unknown CWS status still opens the report, and the outcome says why', async () => {
    const driver = await ScreeningDriver.start(stack);
    const reply = await driver.sendAll(
      fullScreening({ determination: 'identified', cws: 'unknown', receivedAt: '2026-11-28T16:00:00Z' }),
    );
    expect(reply.body.outcome.receivesChildWelfareServices).toBe('unknown');
    expect(reply.body.tasks.map((task: { requirementId: string }) => task.requirementId)).toContain(
      'R-REPORT-1',
    );
    expect(reply.body.outcome.notices.join(' ')).toMatch(/unknown/i);
  });

  it('R-REPORT-1: identified but not receiving CWS opens no law enforcement report under this duty', async () => {
    const driver = await ScreeningDriver.start(stack);
    const reply = await driver.sendAll(
      fullScreening({ determination: 'identified', cws: 'no', receivedAt: '2026-11-28T16:00:00Z' }),
    );
    // R-REPORT-3 still applies (every known or suspected instance), and the outcome says why R-REPORT-1 does not.
    expect(reply.body.tasks.map((task: { requirementId: string }) => task.requirementId)).toEqual([
      'R-REPORT-3',
      'R-REPORT-3',
      'R-REPORT-3',
      'R-PLAN-1',
      'R-DEF-1',
    ]);
    expect(reply.body.outcome.notices.join(' ')).toMatch(/11166\(j\)/);
  });

  it('an unknown received time runs deadlines from the start of the screening and warns that the real deadline may be earlier', async () => {
    const driver = await ScreeningDriver.start(stack);
    stack.clock.advance(10 * 60_000);
    const reply = await driver.sendAll(fullScreening({ determination: 'identified', cws: 'yes' }));
    expect(reply.body.outcome.receivedAtAssumed).toBe(true);
    expect(reply.body.outcome.informationReceivedAt).toBe('2026-11-28T17:00:00.000Z');
    expect(reply.body.tasks[0].dueAt).toBe('2026-11-29T17:00:00.000Z');
    expect(reply.body.outcome.notices[0]).toMatch(/earlier/);
  });

  it('persists every answer as an event, the outcome, and the tasks in DynamoDB', async () => {
    const driver = await ScreeningDriver.start(stack);
    const actions = fullScreening({
      determination: 'identified',
      cws: 'yes',
      receivedAt: '2026-11-28T16:00:00Z',
    });
    await driver.sendAll(actions);

    const detail = await stack.call('getConversation', { id: driver.id });
    expect(detail.status).toBe(200);
    expect(detail.body.events).toHaveLength(actions.length);
    expect(detail.body.events.map((event: { seq: number }) => event.seq)).toEqual(
      actions.map((_, index) => index + 1),
    );
    expect(detail.body.outcome.determination).toBe('identified');
    // R-REPORT-1, the three R-REPORT-3 tasks, R-PLAN-1, R-DEF-1 (§ 602 status unknown).
    expect(detail.body.tasks).toHaveLength(6);

    const outcome = await stack.doc.send(
      new GetCommand({ TableName: stack.tableName, Key: { pk: `CONV#${driver.id}`, sk: 'OUTCOME' } }),
    );
    expect(outcome.Item?.facts).toEqual({
      determination: 'identified',
      exchangeIndicator: 'present',
      cseByLaw: 'yes',
      receivesChildWelfareServices: 'yes',
      open602: 'unknown',
    });
    expect(outcome.Item?.outcome.instrument).toEqual({
      id: 'ca-public-law-cse-indicators',
      version: '1.0.0',
    });
    const task = await stack.doc.send(
      new GetCommand({
        TableName: stack.tableName,
        Key: { pk: `TASK#${driver.id}.report-law-enforcement`, sk: 'TASK' },
      }),
    );
    expect(task.Item).toMatchObject({ requirementId: 'R-REPORT-1', status: 'open', org: 'county-a' });
  });

  it('runs in Spanish with the same ids and duties', async () => {
    const driver = await ScreeningDriver.start(stack, 'es');
    expect(driver.last.body.prompt.text).toMatch(/¿Hay información/);
    expect(driver.last.body.prompt.actions.unknown).toBe('No se sabe');
    const reply = await driver.sendAll(
      fullScreening({ determination: 'identified', cws: 'yes', receivedAt: '2026-11-28T16:00:00Z' }),
    );
    expect(reply.body.tasks[0].title).toMatch(/Informar a la agencia policial/);
  });

  it('an override of the proposal records the reason', async () => {
    const driver = await ScreeningDriver.start(stack);
    const reply = await driver.sendAll(
      fullScreening({
        exchange: 'not_present',
        determination: 'at_risk',
        overrideReason: 'Disclosed to a teacher last week',
        cws: 'yes',
        receivedAt: '2026-11-28T16:00:00Z',
      }),
    );
    expect(reply.body.outcome).toMatchObject({
      override: true,
      overrideReason: 'Disclosed to a teacher last week',
    });
  });
});

describe('retries and conflicts change nothing', () => {
  it('a repeated eventId returns the stored reply and writes nothing', async () => {
    const driver = await ScreeningDriver.start(stack);
    const first = await driver.send({ answer: 'present' }, 'evt-retry-0001');
    await driver.send({ answer: 'not_present' });
    const before = await tableContents(stack);

    const retry = await stack.call('postTurn', {
      id: driver.id,
      body: {
        eventId: 'evt-retry-0001',
        expectedVersion: 0,
        event: { type: 'answer.given', promptId: 'exchange', value: 'present' },
      },
    });

    expect(retry.status).toBe(200);
    expect(retry.body.replayed).toBe(true);
    expect(retry.body.prompt).toEqual(first.body.prompt);
    expect(retry.body.conversation.version).toBe(1);
    expect(await tableContents(stack)).toEqual(before);
  });

  it('a retried final turn returns the same outcome and tasks and opens nothing twice', async () => {
    const driver = await ScreeningDriver.start(stack);
    const actions = fullScreening({
      determination: 'identified',
      cws: 'yes',
      receivedAt: '2026-11-26T10:00:00Z',
    });
    await driver.sendAll(actions.slice(0, -1));
    const finalVersion = driver.version;
    const final = await driver.send(actions.at(-1)!, 'evt-final-0001');
    const before = await tableContents(stack);
    stack.clock.advance(60 * 60_000);

    const retry = await stack.call('postTurn', {
      id: driver.id,
      body: {
        eventId: 'evt-final-0001',
        expectedVersion: finalVersion,
        event: { type: 'answer.given', promptId: 'received_at', value: '2026-11-26T10:00:00Z' },
      },
    });

    expect(retry.status).toBe(200);
    expect(retry.body.outcome).toEqual(final.body.outcome);
    expect(retry.body.tasks).toEqual(final.body.tasks);
    expect(retry.body.warnings).toEqual(final.body.warnings);
    expect(retry.body.warnings.map((warning: { code: string }) => warning.code).sort()).toEqual([
      'task_due_immediately',
      'task_due_immediately',
      'task_overdue_on_creation',
      'task_overdue_on_creation',
    ]);
    expect(await tableContents(stack)).toEqual(before);
  });

  it('the same eventId with a different action is refused and changes nothing', async () => {
    const driver = await ScreeningDriver.start(stack);
    await driver.send({ answer: 'present' }, 'evt-reused-001');
    const before = await tableContents(stack);
    const reused = await stack.call('postTurn', {
      id: driver.id,
      body: {
        eventId: 'evt-reused-001',
        expectedVersion: 0,
        event: { type: 'answer.given', promptId: 'exchange', value: 'not_present' },
      },
    });
    expect(reused.status).toBe(422);
    expect(reused.body.error.code).toBe('event_id_reused');
    expect(await tableContents(stack)).toEqual(before);
  });

  it('a stale expected version gives 409 with the current state and writes nothing', async () => {
    const driver = await ScreeningDriver.start(stack);
    await driver.send({ answer: 'present' });
    await driver.send({ answer: 'present' });
    const before = await tableContents(stack);

    const stale = await stack.call('postTurn', {
      id: driver.id,
      body: {
        eventId: 'evt-stale-0001',
        expectedVersion: 1,
        event: { type: 'answer.given', promptId: 'trauma_signs', value: 'present' },
      },
    });

    expect(stale.status).toBe(409);
    expect(stale.body.error.code).toBe('version_conflict');
    expect(stale.body.error.details.conversation.version).toBe(2);
    expect(stale.body.error.details.prompt.id).toBe('withdrawn_or_censored');
    expect(await tableContents(stack)).toEqual(before);
  });

  it('two concurrent turns at the same version: exactly one lands, the other is a conflict', async () => {
    const driver = await ScreeningDriver.start(stack);
    const turn = (eventId: string, value: string) =>
      stack.call('postTurn', {
        id: driver.id,
        body: { eventId, expectedVersion: 0, event: { type: 'answer.given', promptId: 'exchange', value } },
      });
    const results = await Promise.all([
      turn('evt-race-0001', 'present'),
      turn('evt-race-0002', 'not_present'),
    ]);
    expect(results.map((result) => result.status).sort()).toEqual([200, 409]);
    const detail = await stack.call('getConversation', { id: driver.id });
    expect(detail.body.events).toHaveLength(1);
    expect(detail.body.conversation.version).toBe(1);
  });
});

describe('navigation through the API', () => {
  it('pause, then resume returns to the same question; back returns to the previous one', async () => {
    const driver = await ScreeningDriver.start(stack);
    await driver.send({ answer: 'present' });
    const paused = await driver.send({ pause: true });
    expect(paused.body.conversation.status).toBe('paused');
    expect(paused.body.prompt).toBeNull();
    expect(paused.body.paused.resume).toBe('Resume');
    const resumed = await driver.send({ resume: true });
    expect(resumed.body.prompt.id).toBe('trauma_signs');
    const back = await driver.send({ back: true });
    expect(back.body.prompt.id).toBe('exchange');
    expect(back.body.prompt.progress).toEqual({ n: 1, of: 13 });
  });
});
