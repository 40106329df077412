import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { beforeEach, describe, expect, it } from 'vitest';
import { ScreeningDriver } from '../support/screening.ts';
import { createTestStack, type TestStack } from '../support/stack.ts';

let stack: TestStack;

beforeEach(async () => {
  stack = await createTestStack({ startAt: '2026-11-28T17:00:00.000Z' });
});

type Task = {
  taskType: string;
  requirementId: string;
  dueAt: string;
  status: string;
  id: string;
  citation: string;
  details?: string[];
};
/** Tasks by type; a missing type fails the test at the point it is read. */
const byType = (tasks: Task[]): Record<string, Task> =>
  Object.fromEntries(tasks.map((task) => [task.taskType, task]));

const PLACE = 'Bus station on 7th Street, near the pharmacy';
const DESCRIPTION = '5 ft 4, slim, black hair, brown eyes, red hoodie, scar on left hand';

async function reportMissing(subjectRef: string, believedCse: 'victim' | 'at_risk' | 'no') {
  const driver = await ScreeningDriver.start(stack, 'en', subjectRef, 'missing-from-care');
  const reply = await driver.answerUntilDone({
    cws: { answer: 'yes' },
    situation: { answer: 'missing' },
    believed_cse: { answer: believedCse },
    received_at: { answer: '2026-11-28T08:00:00-08:00' },
    last_seen_at: { answer: '2026-11-27T21:00:00-08:00' },
    last_seen_place: { answer: PLACE },
    physical_description: { answer: DESCRIPTION },
  });
  return { driver, reply };
}

describe('the missing-from-care report through the API', () => {
  it('R-REPORT-2: believed at risk and in care opens NCIC and NCMEC reports due 24 h after receipt, and a locate task', async () => {
    const { reply } = await reportMissing('CASE-2001', 'at_risk');
    const tasks = byType(reply.body.tasks);
    expect(tasks.report_missing_to_law_enforcement).toMatchObject({
      requirementId: 'R-REPORT-2',
      dueAt: '2026-11-29T16:00:00.000Z',
    });
    expect(tasks.report_missing_to_ncmec).toMatchObject({
      requirementId: 'R-REPORT-2',
      dueAt: '2026-11-29T16:00:00.000Z',
    });
    expect(tasks.locate).toMatchObject({ requirementId: 'R-RUN-2', status: 'open' });
  });

  it('R-REPORT-2: a youth not believed at risk is still reported to NCIC and NCMEC (42 U.S.C. § 671(a)(35)(B)), without a CSE flag', async () => {
    const { reply } = await reportMissing('CASE-2002', 'no');
    expect(reply.body.tasks.map((task: Task) => task.taskType).sort()).toEqual([
      'locate',
      'report_missing_to_law_enforcement',
      'report_missing_to_ncmec',
    ]);
    const ncmec = byType(reply.body.tasks).report_missing_to_ncmec!;
    expect(ncmec.citation).toMatch(/671\(a\)\(35\)\(B\)/);
    expect(JSON.stringify(ncmec.details ?? [])).not.toMatch(/flag/i);
    const believed = await reportMissing('CASE-2004', 'victim');
    expect(byType(believed.reply.body.tasks).report_missing_to_ncmec!.details!.join(' ')).toMatch(/flag/i);
  });

  it('fields that identify the child are encrypted in DynamoDB and shown in plain text to the reader', async () => {
    const { driver } = await reportMissing('CASE-2003', 'victim');
    const items = await stack.doc.send(
      new QueryCommand({
        TableName: stack.tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': `CONV#${driver.id}` },
      }),
    );
    const stored = JSON.stringify(items.Items);
    expect(stored).not.toContain('Bus station');
    expect(stored).not.toContain('scar on left hand');
    expect(stored).toContain('enc:v1:');
    expect(items.Items?.find((item) => item.kind === 'conversation')?.dataKey).toMatch(/^local:v1:/);

    const detail = await stack.call('getConversation', { id: driver.id });
    const shown = JSON.stringify(detail.body);
    expect(shown).toContain(PLACE);
    expect(shown).toContain(DESCRIPTION);
    expect(shown).not.toContain('enc:v1:');
    expect(shown).not.toContain('dataKey');
  });
});

describe('the runaway-return interview through the API', () => {
  it('R-RUN-2: the youth’s return closes their open locate task and opens a respond-in-placement task', async () => {
    const missing = await reportMissing('CASE-3001', 'at_risk');
    const locate = byType(missing.reply.body.tasks).locate!;
    const other = await reportMissing('CASE-3999', 'at_risk');
    const otherLocate = byType(other.reply.body.tasks).locate!;

    // Issue 16: the interview names the report it answers; only that report's locate task is closed.
    const interview = await ScreeningDriver.start(stack, 'en', 'CASE-3001', 'runaway-return', undefined, {
      links: { missingReport: missing.driver.id },
    });
    const reply = await interview.answerUntilDone({
      safety_exchange: { answer: 'yes' },
      determination: { answer: 'identified' },
      cws: { answer: 'yes' },
      received_at: { answer: '2026-11-28T09:00:00-08:00' },
    });

    const tasks = byType(reply.body.tasks);
    expect(tasks.respond_in_placement).toMatchObject({
      requirementId: 'R-RUN-2',
      assigneeRole: 'placement_worker',
    });
    expect(tasks.report_to_law_enforcement).toMatchObject({
      requirementId: 'R-REPORT-1',
      dueAt: '2026-11-29T17:00:00.000Z',
    });
    expect(tasks.interagency_case_planning).toMatchObject({ requirementId: 'R-PLAN-1' });

    const closed = (await stack.deps.services.store.getTask(locate.id))!;
    expect(closed).toMatchObject({
      status: 'done',
      closure: { reason: 'youth_returned', conversationId: interview.id },
    });
    expect(closed.nextActionAt).toBeUndefined();
    expect((await stack.deps.services.store.getTask(otherLocate.id))!.status).toBe('open');
  });

  it('R-RUN-1: the interview’s CSE questions reach the interviewer’s determination', async () => {
    const interview = await ScreeningDriver.start(stack, 'es', 'CASE-3002', 'runaway-return');
    const reply = await interview.answerUntilDone({
      safety_made_or_kept: { answer: 'yes' },
      determination: { answer: 'at_risk' },
      cws: { answer: 'no' },
    });
    expect(reply.body.outcome.facts).toMatchObject({
      determination: 'at_risk',
      receivesChildWelfareServices: 'no',
    });
    // R-DEF-1 opens because § 602 status was left unknown (DOMAIN.md's correction).
    expect(reply.body.tasks.map((task: Task) => task.requirementId).sort()).toEqual([
      'R-DEF-1',
      'R-PLAN-1',
      'R-RUN-2',
    ]);
  });
});

describe('the custody check through the API', () => {
  it('R-CUSTODY-2: the officer’s notice is recorded and opens the county’s task to respond, due at once from the notice', async () => {
    const check = await ScreeningDriver.start(stack, 'en', 'CASE-4001', 'custody-check');
    const reply = await check.answerUntilDone({
      left_unattended: { answer: 'yes' },
      parent_contact: { answer: 'could_not_contact' },
      officer_notice_at: { answer: '2026-11-28T16:40:00Z' },
      received_at: { answer: '2026-11-28T16:30:00Z' },
    });
    const respond = byType(reply.body.tasks).respond_to_officer_notice!;
    expect(respond).toMatchObject({
      requirementId: 'R-CUSTODY-2',
      assigneeRole: 'county_intake',
      receivedAt: '2026-11-28T16:40:00.000Z',
      dueAt: '2026-11-28T16:40:00.000Z',
    });
    expect(byType(reply.body.tasks).notify_county_social_worker).toBeUndefined();
    expect(reply.body.warnings.map((warning: { taskId: string }) => warning.taskId)).toContain(respond.id);
  });

  it('R-CUSTODY-1, R-CUSTODY-3: states whether the § 305 criteria are met, and refers commercial sex to child welfare', async () => {
    const check = await ScreeningDriver.start(stack, 'en', 'CASE-4002', 'custody-check');
    const reply = await check.answerUntilDone({
      reasonable_cause: { answer: 'yes' },
      abuse_danger: { answer: 'yes' },
      commercial_sex: { answer: 'yes' },
    });
    expect(reply.body.outcome.facts.criteria).toBe('met');
    expect(byType(reply.body.tasks).refer_child_welfare_assessment).toMatchObject({
      requirementId: 'R-CUSTODY-3',
    });
    expect(reply.body.outcome.notices.join(' ')).toMatch(/dependency may apply/);
    expect(JSON.stringify(reply.body)).not.toMatch(/route to dependency/i);
    expect(JSON.stringify(reply.body)).not.toMatch(/\bcharged? with\b|\barrest\b/i);
  });
});

describe('retries of an answer that identifies a child', () => {
  it('a retried sensitive answer gets its original reply; a different answer under the same id is refused', async () => {
    const driver = await ScreeningDriver.start(stack, 'en', 'CASE-5001', 'missing-from-care');
    await driver.send({ answer: 'yes' });
    await driver.send({ answer: 'missing' });
    await driver.send({ answer: 'at_risk' });
    await driver.send({ unknown: true });
    await driver.send({ unknown: true });
    expect(driver.promptId).toBe('last_seen_place');
    const version = driver.version;
    const first = await driver.send({ answer: PLACE }, 'evt-sensitive-01');
    expect(first.status).toBe(200);

    const retry = await stack.call('postTurn', {
      id: driver.id,
      body: {
        eventId: 'evt-sensitive-01',
        expectedVersion: version,
        event: { type: 'answer.given', promptId: 'last_seen_place', value: PLACE },
      },
    });
    expect(retry.status).toBe(200);
    expect(retry.body.replayed).toBe(true);
    expect(retry.body.prompt).toEqual(first.body.prompt);

    const reused = await stack.call('postTurn', {
      id: driver.id,
      body: {
        eventId: 'evt-sensitive-01',
        expectedVersion: version,
        event: { type: 'answer.given', promptId: 'last_seen_place', value: 'Somewhere else' },
      },
    });
    expect([reused.status, reused.body.error.code]).toEqual([422, 'event_id_reused']);
  });
});
