import { beforeAll, describe, expect, it } from 'vitest';
import { ScreeningDriver } from '../support/screening.ts';
import { createTestStack, type TestStack, type TestUser } from '../support/stack.ts';

/**
 * DOMAIN.md, "Corrections and duties added after a legal review", through the API on DynamoDB Local. Each
 * duty is checked as the party who owes it: intake for an officer's notice, the supervisor for a co-sign, the
 * caseworker for the cross-reports; and the screener who did not owe it does not hold it.
 */

type Task = {
  id: string;
  taskType: string;
  requirementId: string;
  receivedAt: string;
  dueAt: string;
  obligation: string;
  assigneeRole: string;
  citation: string;
  title: string;
  description: string;
  routedTo: { kind: string; unit: string };
};

const COUNTY = 'county-l';
const admin: TestUser = { sub: 'l-admin', org: COUNTY, unit: 'main', roles: ['administrator'] };
const caseworker: TestUser = { sub: 'l-caseworker', org: COUNTY, unit: 'unit-1', roles: ['caseworker'] };
const supervisor: TestUser = { sub: 'l-supervisor', org: COUNTY, unit: 'unit-1', roles: ['supervisor'] };
const intake: TestUser = { sub: 'l-intake', org: COUNTY, unit: 'intake', roles: ['caseworker'] };

let stack: TestStack;

const byType = (tasks: Task[]) => Object.fromEntries(tasks.map((task) => [task.taskType, task]));

async function openTaskIds(user: TestUser): Promise<string[]> {
  const listed = await stack.call('listTasks', { user, query: { status: 'open' } });
  expect(listed.status).toBe(200);
  return listed.body.tasks.map((task: Task) => task.id);
}

async function run(
  flow: string,
  subjectRef: string,
  script: Parameters<ScreeningDriver['answerUntilDone']>[0],
) {
  const driver = await ScreeningDriver.start(stack, 'en', subjectRef, flow, caseworker);
  const reply = await driver.answerUntilDone(script);
  return { driver, tasks: reply.body.tasks as Task[], outcome: reply.body.outcome, reply };
}

beforeAll(async () => {
  stack = await createTestStack({ startAt: '2026-12-02T12:00:00.000Z' });
  const settings = {
    name: 'County L',
    type: 'county',
    routes: { county_intake: { to: 'queue', unit: 'intake' }, supervisor: { to: 'supervisors' } },
  };
  expect(
    (await stack.call('putOrganisation', { user: admin, body: { settings, expectedVersion: 0 } })).status,
  ).toBe(200);
});

describe('R-CUSTODY-2 (corrected): the officer notifies the county, and the county responds', () => {
  it('R-CUSTODY-2: the notice is recorded and the county intake holds the task to respond, due at the notice', async () => {
    const { tasks, outcome, driver } = await run('custody-check', 'CASE-L-1', {
      left_unattended: { answer: 'yes' },
      parent_contact: { answer: 'cannot_assume_custody' },
      officer_name: { answer: 'Officer R. Diaz' },
      officer_agency: { answer: 'City Police Department' },
      officer_notice_at: { answer: '2026-12-02T11:15:00Z' },
      received_at: { answer: '2026-12-02T11:00:00Z' },
    });
    const respond = byType(tasks).respond_to_officer_notice!;
    expect(respond).toMatchObject({
      requirementId: 'R-CUSTODY-2',
      receivedAt: '2026-12-02T11:15:00.000Z',
      dueAt: '2026-12-02T11:15:00.000Z',
      routedTo: { kind: 'queue', unit: 'intake' },
    });
    expect(respond.citation).toMatch(/305/);
    expect(byType(tasks).notify_county_social_worker).toBeUndefined();
    expect(JSON.stringify(outcome)).toContain('City Police Department');
    // The county intake holds it; the caseworker who typed it in does not.
    expect(await openTaskIds(intake)).toContain(respond.id);
    expect(await openTaskIds(caseworker)).not.toContain(respond.id);
    expect((await stack.call('getConversation', { user: intake, id: driver.id })).status).toBe(404);
  });

  it('R-CUSTODY-2: a reached parent who can assume custody opens no county task, and the outcome points to release', async () => {
    const { tasks, outcome } = await run('custody-check', 'CASE-L-2', {
      left_unattended: { answer: 'yes' },
      parent_contact: { answer: 'can_assume_custody' },
    });
    expect(byType(tasks).respond_to_officer_notice).toBeUndefined();
    expect(outcome.notices.join(' ')).toMatch(/release/i);
  });
});

describe('R-CUSTODY-4: after temporary custody', () => {
  it('R-CUSTODY-4: notify the parent at once, and release or file a petition within 48 hours', async () => {
    const { tasks } = await run('custody-check', 'CASE-L-3', {
      reasonable_cause: { answer: 'yes' },
      abuse_danger: { answer: 'yes' },
      custody_taken: { answer: 'yes' },
      received_at: { answer: '2026-12-02T10:00:00Z' },
    });
    expect(byType(tasks).notify_parent_of_custody).toMatchObject({
      requirementId: 'R-CUSTODY-4',
      citation: expect.stringMatching(/307\.4/),
      dueAt: '2026-12-02T10:00:00.000Z',
    });
    expect(byType(tasks).release_or_file_petition).toMatchObject({
      requirementId: 'R-CUSTODY-4',
      citation: expect.stringMatching(/313/),
      dueAt: '2026-12-04T10:00:00.000Z',
    });
    const none = await run('custody-check', 'CASE-L-4', { custody_taken: { answer: 'no' } });
    expect(none.tasks.filter((task) => task.requirementId === 'R-CUSTODY-4')).toEqual([]);
  });
});

describe('R-REPORT-1 from the custody check: commercial sex and child welfare status', () => {
  it('R-REPORT-1: commercial sex by a youth receiving CWS opens the report from the contact time', async () => {
    const { tasks } = await run('custody-check', 'CASE-L-5', {
      commercial_sex: { answer: 'yes' },
      cws: { answer: 'yes' },
      received_at: { answer: '2026-12-02T09:30:00Z' },
    });
    expect(byType(tasks).report_to_law_enforcement).toMatchObject({
      requirementId: 'R-REPORT-1',
      receivedAt: '2026-12-02T09:30:00.000Z',
      dueAt: '2026-12-03T09:30:00.000Z',
    });
    expect(byType(tasks).refer_child_welfare_assessment).toMatchObject({ requirementId: 'R-CUSTODY-3' });
  });

  it('R-REPORT-1: not receiving CWS opens no report, and the reply says why', async () => {
    const { tasks, outcome } = await run('custody-check', 'CASE-L-6', {
      commercial_sex: { answer: 'yes' },
      cws: { answer: 'no' },
    });
    expect(byType(tasks).report_to_law_enforcement).toBeUndefined();
    expect(outcome.notices.join(' ')).toMatch(/11166\(j\)/);
  });
});

describe('R-REPORT-3: the county cross-reports a CSE victim it identifies', () => {
  it('R-REPORT-3: law enforcement and the district attorney at once, written within 36 h, each closed with evidence', async () => {
    const { tasks } = await run('cse-screening', 'CASE-L-7', {
      exchange: { answer: 'present' },
      determination: { answer: 'identified' },
      cws: { answer: 'no' },
      open_602: { answer: 'no' },
      received_at: { answer: '2026-12-02T08:00:00Z' },
    });
    const cross = tasks.filter((task) => task.requirementId === 'R-REPORT-3');
    expect(cross.map((task) => [task.taskType, task.dueAt])).toEqual([
      ['cross_report_law_enforcement', '2026-12-02T08:00:00.000Z'],
      ['cross_report_district_attorney', '2026-12-02T08:00:00.000Z'],
      ['cross_report_written', '2026-12-03T20:00:00.000Z'],
    ]);
    expect(await openTaskIds(caseworker)).toEqual(expect.arrayContaining(cross.map((task) => task.id)));
    const withoutEvidence = await stack.call('completeTask', {
      user: caseworker,
      id: cross[1]!.id,
      body: {},
    });
    expect(withoutEvidence.status).toBe(400);
    const done = await stack.call('completeTask', {
      user: caseworker,
      id: cross[1]!.id,
      body: {
        evidence: {
          agency: 'District Attorney',
          referenceNumber: 'DA-77',
          reportedAt: '2026-12-02T11:00:00Z',
        },
      },
    });
    expect(done.status).toBe(200);
    expect(done.body.metDeadline).toBe(false);
  });
});

describe('R-OVERRIDE-1: an override that would drop a mandatory report is a supervisor’s decision too', () => {
  it('R-OVERRIDE-1: the exchange indicator keeps R-REPORT-1, and the supervisor (not the caseworker) holds a co-sign task', async () => {
    const { tasks, outcome } = await run('cse-screening', 'CASE-L-8', {
      exchange: { answer: 'present' },
      determination: { answer: 'neither' },
      override_reason: { answer: 'Youth says it was a relationship' },
      cws: { answer: 'yes' },
      open_602: { answer: 'no' },
      received_at: { answer: '2026-12-02T11:00:00Z' },
    });
    expect(outcome.determination).toBe('neither');
    const report = byType(tasks).report_to_law_enforcement!;
    expect(report).toMatchObject({ requirementId: 'R-REPORT-1', dueAt: '2026-12-03T11:00:00.000Z' });
    const cosign = byType(tasks).supervisor_cosign_override!;
    expect(cosign).toMatchObject({
      requirementId: 'R-OVERRIDE-1',
      dueAt: '2026-12-02T11:00:00.000Z',
      routedTo: { kind: 'supervisors', unit: 'unit-1' },
    });
    expect(await openTaskIds(supervisor)).toContain(cosign.id);
    expect(await openTaskIds(caseworker)).not.toContain(cosign.id);
    const selfSign = await stack.call('completeTask', {
      user: caseworker,
      id: cosign.id,
      body: { evidence: { agency: 'Self', referenceNumber: 'x', reportedAt: '2026-12-02T11:30:00Z' } },
    });
    expect(selfSign.status).toBe(404);
    expect(outcome.notices.join(' ')).toMatch(/236\.1/);
  });

  it('R-OVERRIDE-1: without the exchange indicator, an override to neither opens no report and says why', async () => {
    const { tasks, outcome } = await run('cse-screening', 'CASE-L-9', {
      exchange: { answer: 'not_present' },
      trauma_signs: { answer: 'present' },
      determination: { answer: 'neither' },
      override_reason: { answer: 'Explained by a recent accident' },
      cws: { answer: 'yes' },
    });
    expect(tasks).toEqual([]);
    expect(outcome.notices.length).toBeGreaterThan(0);
  });
});

describe('R-DEF-1 and R-PLAN-1 (corrected)', () => {
  it('R-DEF-1: an unknown § 602 status opens the defense task, which states the elements and that the court shall dismiss', async () => {
    const { tasks } = await run('cse-screening', 'CASE-L-10', {
      exchange: { answer: 'present' },
      determination: { answer: 'identified' },
      cws: { answer: 'yes' },
    });
    const defense = byType(tasks).advise_trafficking_defense!;
    expect(defense.requirementId).toBe('R-DEF-1');
    expect(defense.description).toMatch(/reasonable fear/);
    expect(defense.description).toMatch(/shall dismiss/);
    expect(defense.description).toMatch(/667\.5\(c\)/);
    const no602 = await run('cse-screening', 'CASE-L-11', {
      exchange: { answer: 'present' },
      determination: { answer: 'identified' },
      cws: { answer: 'yes' },
      open_602: { answer: 'no' },
    });
    expect(byType(no602.tasks).advise_trafficking_defense).toBeUndefined();
    expect(no602.outcome.notices.join(' ')).toMatch(/602/);
  });

  it('R-PLAN-1: case planning for a youth at risk is labelled county policy; for an identified victim, statute', async () => {
    const atRisk = await run('cse-screening', 'CASE-L-12', {
      exchange: { answer: 'not_present' },
      trauma_signs: { answer: 'present' },
      determination: { answer: 'at_risk' },
      cws: { answer: 'yes' },
      open_602: { answer: 'no' },
    });
    expect(byType(atRisk.tasks).interagency_case_planning).toMatchObject({ obligation: 'policy' });
    expect(byType(atRisk.tasks).interagency_case_planning!.title).toMatch(/policy/i);
    const identified = await run('cse-screening', 'CASE-L-13', {
      exchange: { answer: 'present' },
      determination: { answer: 'identified' },
      cws: { answer: 'yes' },
      open_602: { answer: 'no' },
    });
    expect(byType(identified.tasks).interagency_case_planning).toMatchObject({ obligation: 'statute' });
  });
});

describe('R-REPORT-2 (widened): every youth missing from care', () => {
  it('R-REPORT-2: NCIC and NCMEC reports whatever the CSE belief or CWS answer, each due receipt + 24 h', async () => {
    const { tasks } = await run('missing-from-care', 'CASE-L-14', {
      cws: { answer: 'no' },
      situation: { answer: 'missing' },
      believed_cse: { answer: 'no' },
      received_at: { answer: '2026-12-02T07:00:00Z' },
    });
    for (const type of ['report_missing_to_law_enforcement', 'report_missing_to_ncmec']) {
      expect(byType(tasks)[type]).toMatchObject({
        requirementId: 'R-REPORT-2',
        dueAt: '2026-12-03T07:00:00.000Z',
      });
    }
  });
});
