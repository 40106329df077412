import { beforeAll, describe, expect, it } from 'vitest';
import { sweepDueTasks } from '#functions/reminders/actions.ts';
import { runRecordsRequest } from '../support/records.ts';
import { type Action, ScreeningDriver } from '../support/screening.ts';
import { createTestStack, type TestStack, type TestUser } from '../support/stack.ts';

/**
 * R-ROUTE-1, R-HANDOFF-1, R-MANDATED-1, R-OVERRIDE-1: duties reach whoever owes them. Every test signs in as
 * the *other* party (county intake, placement worker, supervisor, a second shelter) and checks what they see.
 */

type Task = {
  id: string;
  taskType: string;
  requirementId: string;
  receivedAt: string;
  dueAt: string;
  obligation: string;
  details?: string[];
  routedTo: { kind: string; unit: string };
  handoffId?: string;
};

const COUNTY = 'county-r';
const admin: TestUser = { sub: 'r-admin', org: COUNTY, unit: 'main', roles: ['administrator'] };
const caseworker: TestUser = { sub: 'r-caseworker', org: COUNTY, unit: 'unit-1', roles: ['caseworker'] };
const supervisor: TestUser = { sub: 'r-supervisor', org: COUNTY, unit: 'unit-1', roles: ['supervisor'] };
const interviewer: TestUser = { sub: 'r-interviewer', org: COUNTY, unit: 'unit-1', roles: ['interviewer'] };
const intake: TestUser = { sub: 'r-intake', org: COUNTY, unit: 'intake', roles: ['caseworker'] };
const intake2: TestUser = { sub: 'r-intake-2', org: COUNTY, unit: 'intake', roles: ['caseworker'] };
const placement: TestUser = { sub: 'r-placement', org: COUNTY, unit: 'placement', roles: ['caseworker'] };
const shelter1: TestUser = { sub: 'r-shelter-1', org: 'shelter-r1', unit: 'main', roles: ['shelter_staff'] };
const shelter1b: TestUser = {
  sub: 'r-shelter-1b',
  org: 'shelter-r1',
  unit: 'main',
  roles: ['shelter_staff'],
};
const shelter2: TestUser = { sub: 'r-shelter-2', org: 'shelter-r2', unit: 'main', roles: ['shelter_staff'] };
const shelterAdmin1: TestUser = {
  sub: 'r-shelter-admin-1',
  org: 'shelter-r1',
  unit: 'main',
  roles: ['administrator'],
};
const shelterAdmin2: TestUser = {
  sub: 'r-shelter-admin-2',
  org: 'shelter-r2',
  unit: 'main',
  roles: ['administrator'],
};

const countySettings = {
  name: 'County R Child Welfare',
  type: 'county',
  routes: {
    caseworker: { to: 'screener' },
    placement_worker: { to: 'user', userId: placement.sub, unit: 'placement' },
    county_intake: { to: 'queue', unit: 'intake' },
    supervisor: { to: 'supervisors' },
  },
};

let stack: TestStack;

async function setOrganisation(user: TestUser, settings: unknown, expectedVersion = 0) {
  return stack.call('putOrganisation', { user, body: { settings, expectedVersion } });
}

async function tasksOf(user: TestUser): Promise<Task[]> {
  const listed = await stack.call('listTasks', { user, query: { status: 'open' } });
  expect(listed.status).toBe(200);
  return listed.body.tasks;
}

/** A shelter's screening: exchange present, the rest not, the determination, no services, received at `receivedAt`. */
async function shelterScreening(
  user: TestUser,
  subjectRef: string,
  determination: string,
  receivedAt: string,
) {
  const driver = await ScreeningDriver.start(stack, 'en', subjectRef, 'cse-screening', user);
  const asked: string[] = [];
  const script: Record<string, Action> = {
    exchange: { answer: 'present', note: 'Said she was given a place to stay for it' },
    determination: { answer: determination },
    override_reason: { answer: 'Recorded for the test' },
    services: { answer: ['emergency_housing'] },
    received_at: { answer: receivedAt },
  };
  while (driver.last.body.prompt) {
    const prompt = driver.last.body.prompt;
    asked.push(prompt.id);
    const action: Action = script[prompt.id] ?? { answer: 'not_present' };
    const result = await driver.send(action);
    expect(result.status, `${prompt.id}: ${JSON.stringify(result.body)}`).toBe(200);
  }
  return { driver, reply: driver.last, asked };
}

beforeAll(async () => {
  stack = await createTestStack({ startAt: '2026-12-01T17:00:00.000Z' });
  expect((await setOrganisation(admin, countySettings)).status).toBe(200);
  const partner = (name: string, contact: string) => ({ name, type: 'partner', handoffTo: COUNTY, contact });
  expect((await setOrganisation(shelterAdmin1, partner('Shelter R1', 'Desk (555) 010-1111'))).status).toBe(
    200,
  );
  expect((await setOrganisation(shelterAdmin2, partner('Shelter R2', 'Desk (555) 010-2222'))).status).toBe(
    200,
  );
});

describe('R-ROUTE-1: routing is configured per organisation by its administrator', () => {
  it('R-ROUTE-1: only an administrator sets it; every setting is checked; a stale version is a conflict', async () => {
    const mine = await stack.call('getOrganisation', { user: caseworker });
    expect(mine.status).toBe(200);
    expect(mine.body.profile.routes.placement_worker).toEqual({
      to: 'user',
      userId: placement.sub,
      unit: 'placement',
    });

    expect((await setOrganisation(caseworker, countySettings, 1)).status).toBe(403);
    const badRoute = await setOrganisation(
      admin,
      { ...countySettings, routes: { placement_worker: { to: 'user' } } },
      1,
    );
    expect(badRoute.status).toBe(400);
    expect(badRoute.body.error.code).toBe('invalid_request');
    const queueAsUser = await setOrganisation(
      admin,
      { ...countySettings, routes: { caseworker: { to: 'user', userId: 'queue:intake', unit: 'intake' } } },
      1,
    );
    expect(queueAsUser.status).toBe(400);
    expect((await setOrganisation(admin, { ...countySettings, handoffTo: 'shelter-r1' }, 1)).status).toBe(
      400,
    );
    const stale = await setOrganisation(admin, countySettings, 0);
    expect(stale.status).toBe(409);
    expect(stale.body.error.details.profile.version).toBe(1);
    // Nothing refused above changed the profile.
    expect((await stack.call('getOrganisation', { user: admin })).body.profile.version).toBe(1);
  });

  it('R-HANDOFF-1: a partner must name a county that is set up here', async () => {
    const loose: TestUser = {
      sub: 'r-loose-admin',
      org: 'shelter-loose',
      unit: 'main',
      roles: ['administrator'],
    };
    const noCounty = await setOrganisation(loose, { name: 'Loose', type: 'partner' });
    expect(noCounty.status).toBe(422);
    expect(noCounty.body.error.code).toBe('handoff_target_required');
    const notCounty = await setOrganisation(loose, {
      name: 'Loose',
      type: 'partner',
      handoffTo: 'shelter-r2',
    });
    expect(notCounty.status).toBe(422);
    expect(notCounty.body.error.code).toBe('handoff_target_not_county');
    expect((await stack.call('getOrganisation', { user: loose })).body.profile).toBeNull();
  });
});

describe('R-HANDOFF-1, R-MANDATED-1: a shelter concern reaches the county', () => {
  let conversationId: string;
  let handoffAt: string;
  let shelterReply: Awaited<ReturnType<typeof shelterScreening>>;

  beforeAll(async () => {
    stack.clock.set('2026-12-01T18:00:00.000Z');
    shelterReply = await shelterScreening(shelter1, 'SH-R1-0001', 'at_risk', '2026-12-01T15:00:00.000Z');
    conversationId = shelterReply.driver.id;
    handoffAt = stack.clock.now.toISOString();
  });

  it('R-HANDOFF-1: shelter staff are never asked child welfare status or § 602 matters', () => {
    expect(shelterReply.reply.body.conversation.flow).toBe('partner-cse-screening');
    expect(shelterReply.asked).not.toContain('cws');
    expect(shelterReply.asked).not.toContain('open_602');
    expect(shelterReply.asked).toContain('received_at');
  });

  it('R-MANDATED-1: the shelter gets its own tasks: phone report now, written report (SS 8572) within 36 h', () => {
    const tasks: Task[] = shelterReply.reply.body.tasks;
    expect(tasks.map((task) => [task.requirementId, task.dueAt])).toEqual([
      ['R-MANDATED-1', '2026-12-01T15:00:00.000Z'],
      ['R-MANDATED-1', '2026-12-03T03:00:00.000Z'],
    ]);
    expect(tasks.every((task) => task.routedTo.kind === 'user')).toBe(true);
  });

  it('R-HANDOFF-1: the shelter sees the hand-off received, and never any county task', () => {
    const body = shelterReply.reply.body;
    expect(body.handoff).toMatchObject({
      id: conversationId,
      to: 'County R Child Welfare',
      status: 'received',
    });
    expect(body.warnings.map((warning: { code: string }) => warning.code)).toContain('handed_off');
    expect(body.tasks.some((task: Task) => task.handoffId)).toBe(false);
  });

  it('R-HANDOFF-1: the county intake sees what the shelter sent, and nothing more', async () => {
    const listed = await stack.call('listHandoffs', { user: intake });
    expect(listed.status).toBe(200);
    expect(listed.body.handoffs.map((handoff: { id: string }) => handoff.id)).toContain(conversationId);
    const got = await stack.call('getHandoff', { user: intake, id: conversationId });
    expect(got.status).toBe(200);
    const { handoff } = got.body;
    expect(handoff).toMatchObject({
      fromOrg: 'shelter-r1',
      fromOrgName: 'Shelter R1',
      fromContact: 'Desk (555) 010-1111',
      caseRef: 'SH-R1-0001',
      determination: 'at_risk',
      exchangeIndicator: 'present',
      partnerReceivedAt: '2026-12-01T15:00:00.000Z',
      receivedAt: handoffAt,
      status: 'received',
    });
    expect(handoff.indicatorsPresent.map((item: { id: string }) => item.id)).toEqual(['exchange']);
    expect(handoff.servicesWanted.map((item: { id: string }) => item.id)).toEqual(['emergency_housing']);
    // The shelter's note stays with the shelter.
    expect(JSON.stringify(got.body)).not.toContain('place to stay');
  });

  it('R-HANDOFF-1: the county duties open in the county, owned by intake, clocks from the county’s receipt', async () => {
    const got = await stack.call('getHandoff', { user: intake, id: conversationId });
    const tasks: Task[] = got.body.tasks;
    const ids = new Set(tasks.map((task) => task.requirementId));
    // The exchange indicator makes this a report the law requires, whatever the shelter's determination (R-OVERRIDE-1).
    expect(ids).toContain('R-REPORT-1');
    expect(ids).toContain('R-PLAN-1');
    expect(ids).toContain('R-DEF-1');
    for (const task of tasks) {
      expect(task.receivedAt).toBe(handoffAt);
      expect(task.handoffId).toBe(conversationId);
    }
    const report = tasks.find((task) => task.requirementId === 'R-REPORT-1')!;
    expect(report.dueAt).toBe('2026-12-02T18:00:00.000Z');
    expect(report.routedTo).toEqual({ kind: 'queue', unit: 'intake' });
    // Intake's task list holds them; so does a colleague's in the same queue.
    const mine = (await tasksOf(intake)).map((task) => task.id);
    expect(mine).toContain(report.id);
    expect((await tasksOf(intake2)).map((task) => task.id)).toContain(report.id);
  });

  it('R-HANDOFF-1: the shelter gets 404 on every county record, and a county user outside intake too', async () => {
    const got = await stack.call('getHandoff', { user: intake, id: conversationId });
    for (const task of got.body.tasks as Task[]) {
      for (const user of [shelter1, shelter2, caseworker]) {
        const completed = await stack.call('completeTask', {
          user,
          id: task.id,
          body: { evidence: { agency: 'X', referenceNumber: '1', reportedAt: handoffAt } },
        });
        expect(completed.status).toBe(404);
        expect((await stack.call('cancelTask', { user, id: task.id, body: { reason: 'x' } })).status).toBe(
          404,
        );
      }
    }
    expect((await tasksOf(shelter1)).some((task) => task.handoffId)).toBe(false);
    expect((await stack.call('listHandoffs', { user: shelter1 })).status).toBe(403);
    const asShelter = await stack.call('getHandoff', { user: shelter1b, id: conversationId });
    expect(asShelter.status).toBe(200);
    expect(Object.keys(asShelter.body.handoff).sort()).toEqual([
      'acknowledgedAt',
      'id',
      'receivedAt',
      'status',
      'to',
    ]);
    expect(asShelter.body.tasks).toBeUndefined();
    expect((await stack.call('getHandoff', { user: caseworker, id: conversationId })).status).toBe(404);
    expect((await stack.call('getHandoff', { user: shelter2, id: conversationId })).status).toBe(404);
  });

  it('R-HANDOFF-1: intake acknowledges once; the shelter sees it acknowledged', async () => {
    stack.clock.set('2026-12-01T18:30:00.000Z');
    const acknowledged = await stack.call('acknowledgeHandoff', { user: intake, id: conversationId });
    expect(acknowledged.status).toBe(200);
    expect(acknowledged.body.handoff).toMatchObject({ status: 'acknowledged', acknowledgedBy: intake.sub });
    const again = await stack.call('acknowledgeHandoff', { user: intake2, id: conversationId });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('handoff_already_acknowledged');
    expect((await stack.call('acknowledgeHandoff', { user: shelter1, id: conversationId })).status).toBe(404);
    const asShelter = await stack.call('getConversation', { user: shelter1, id: conversationId });
    expect(asShelter.body.handoff).toMatchObject({
      status: 'acknowledged',
      acknowledgedAt: '2026-12-01T18:30:00.000Z',
    });
  });

  it('R-ROUTE-1: a queued task is claimed by one member of the unit, and then it is theirs alone', async () => {
    const got = await stack.call('getHandoff', { user: intake, id: conversationId });
    const report = (got.body.tasks as Task[]).find((task) => task.requirementId === 'R-REPORT-1')!;
    expect((await stack.call('claimTask', { user: caseworker, id: report.id })).status).toBe(404);
    const claimed = await stack.call('claimTask', { user: intake2, id: report.id });
    expect(claimed.status).toBe(200);
    expect(claimed.body.routedTo).toEqual({ kind: 'user', unit: 'intake' });
    expect((await tasksOf(intake2)).map((task) => task.id)).toContain(report.id);
    expect((await tasksOf(intake)).map((task) => task.id)).not.toContain(report.id);
    const twice = await stack.call('claimTask', { user: intake2, id: report.id });
    expect(twice.status).toBe(409);
    expect(twice.body.error.code).toBe('task_not_queued');
  });

  it('R-ROUTE-1: two members claiming the same queued task at once: one gets it, the other is told', async () => {
    const got = await stack.call('getHandoff', { user: intake, id: conversationId });
    const plan = (got.body.tasks as Task[]).find((task) => task.requirementId === 'R-PLAN-1')!;
    const [a, b] = await Promise.all([
      stack.call('claimTask', { user: intake, id: plan.id }),
      stack.call('claimTask', { user: intake2, id: plan.id }),
    ]);
    // The loser read the task either while it was still queued (its write is refused: 409) or after the
    // winner took it (it is now a colleague's task, which this caller cannot see: 404).
    const loser = a.status === 200 ? b : a;
    expect([a.status, b.status]).toContain(200);
    expect([404, 409]).toContain(loser.status);
    expect(loser.body.error.code).toBe(loser.status === 409 ? 'task_not_queued' : 'not_found');
    const winner = a.status === 200 ? intake : intake2;
    const stored = (await stack.deps.services.store.getTask(plan.id))!;
    expect(stored.owner).toBe(winner.sub);
    expect(stored.history.filter((entry) => entry.action === 'claimed')).toHaveLength(1);
    // The store refuses a claim of a task that left the queue, whatever the caller read before.
    await expect(
      stack.deps.services.store.claimTask({ ...stored, owner: 'someone-else' }, 'queue:intake'),
    ).rejects.toThrow(/no longer queued/);
    expect((await stack.deps.services.store.getTask(plan.id))!.owner).toBe(winner.sub);
  });
});

describe('R-HANDOFF-1: two shelters see nothing of each other', () => {
  it('R-HANDOFF-1: a second shelter cannot read, answer or list the first shelter’s screening or tasks', async () => {
    const { driver, reply } = await shelterScreening(
      shelter1,
      'SH-R1-0002',
      'identified',
      '2026-12-01T16:00:00.000Z',
    );
    const ownTask: Task = reply.body.tasks[0];
    expect((await stack.call('getConversation', { user: shelter2, id: driver.id })).status).toBe(404);
    const answer = await stack.call('postTurn', {
      user: shelter2,
      id: driver.id,
      body: {
        eventId: 'shelter-two-answer-1',
        expectedVersion: driver.version,
        event: { type: 'nav.pause' },
      },
    });
    expect(answer.status).toBe(404);
    expect((await tasksOf(shelter2)).map((task) => task.id)).not.toContain(ownTask.id);
    const settle = await stack.call('cancelTask', { user: shelter2, id: ownTask.id, body: { reason: 'x' } });
    expect(settle.status).toBe(404);
    // Issue 18: nor does the first shelter's colleague: a shelter account sees only its own records.
    expect((await tasksOf(shelter1b)).map((task) => task.id)).not.toContain(ownTask.id);
  });

  it('R-HANDOFF-1: each shelter’s hand-off carries its own contact, and the county tells them apart', async () => {
    const first = await shelterScreening(shelter1, 'SH-SAME-1', 'identified', '2026-12-01T16:00:00.000Z');
    const second = await shelterScreening(shelter2, 'SH-SAME-1', 'identified', '2026-12-01T16:00:00.000Z');
    const a = await stack.call('getHandoff', { user: intake, id: first.driver.id });
    const b = await stack.call('getHandoff', { user: intake, id: second.driver.id });
    expect(a.body.handoff.fromContact).toBe('Desk (555) 010-1111');
    expect(b.body.handoff.fromContact).toBe('Desk (555) 010-2222');
    expect((await stack.call('getHandoff', { user: shelter2, id: first.driver.id })).status).toBe(404);
    expect((await stack.call('getHandoff', { user: shelter1, id: second.driver.id })).status).toBe(404);
  });

  it('R-HANDOFF-1: a shelter with no county set up is told to phone now, and nothing crosses', async () => {
    const unset: TestUser = { sub: 'r-unset', org: 'shelter-unset', unit: 'main', roles: ['shelter_staff'] };
    const { reply } = await shelterScreening(unset, 'SH-U-1', 'identified', '2026-12-01T16:00:00.000Z');
    expect(reply.body.handoff).toBeUndefined();
    expect(reply.body.warnings.map((warning: { code: string }) => warning.code)).toContain(
      'handoff_not_configured',
    );
    expect(reply.body.tasks.map((task: Task) => task.requirementId)).toEqual([
      'R-MANDATED-1',
      'R-MANDATED-1',
    ]);
  });

  it('R-MANDATED-1: no concern, no exchange: no report owed and no hand-off', async () => {
    const driver = await ScreeningDriver.start(stack, 'en', 'SH-R1-NONE', 'cse-screening', shelter1);
    const reply = await driver.answerUntilDone({
      exchange: { answer: 'not_present' },
      determination: { answer: 'neither' },
      received_at: { answer: '2026-12-01T16:00:00.000Z' },
    });
    expect(reply.body.tasks).toEqual([]);
    expect(reply.body.handoff).toBeUndefined();
    expect(reply.body.outcome.notices.length).toBeGreaterThan(0);
  });
});

describe('R-ROUTE-1: the placement worker owns the respond-in-placement task', () => {
  let respond: Task;
  let conversationId: string;

  beforeAll(async () => {
    stack.clock.set('2026-12-02T09:00:00.000Z');
    const driver = await ScreeningDriver.start(stack, 'en', 'CASE-RET-1', 'runaway-return', interviewer);
    const reply = await driver.answerUntilDone({
      leaving_factors: { answer: ['felt_unsafe', 'family_or_friends'] },
      placement_helps: { answer: ['someone_to_talk_to'] },
      safety_exchange: { answer: 'no' },
      determination: { answer: 'neither' },
      received_at: { answer: '2026-12-02T08:00:00.000Z' },
    });
    conversationId = driver.id;
    respond = reply.body.tasks.find((task: Task) => task.taskType === 'respond_in_placement');
    expect(respond).toBeDefined();
  });

  it('R-ROUTE-1: the task goes to the configured placement worker, with the factors the youth gave', async () => {
    expect(respond.routedTo).toEqual({ kind: 'user', unit: 'placement' });
    const theirs = (await tasksOf(placement)).find((task) => task.id === respond.id);
    expect(theirs).toBeDefined();
    expect(theirs!.details!.join(' ')).toMatch(/Not feeling safe where I was living/);
    expect((await tasksOf(interviewer)).map((task) => task.id)).not.toContain(respond.id);
  });

  it('R-ROUTE-1: the placement worker sees the factors, not the interview', async () => {
    expect((await stack.call('getConversation', { user: placement, id: conversationId })).status).toBe(404);
  });

  it('R-ROUTE-1: reminders go to the placement worker, not to whoever ran the interview', async () => {
    stack.clock.set(new Date(Date.parse(respond.dueAt) - 11 * 3_600_000).toISOString());
    await sweepDueTasks(stack.deps.services, stack.clock.now);
    const forPlacement = await stack.call('listNotifications', { user: placement });
    expect(
      forPlacement.body.notifications.some(
        (n: { taskId: string; type: string }) => n.taskId === respond.id && n.type === 'reminder',
      ),
    ).toBe(true);
    const forInterviewer = await stack.call('listNotifications', { user: interviewer });
    expect(forInterviewer.body.notifications.some((n: { taskId: string }) => n.taskId === respond.id)).toBe(
      false,
    );
  });
});

describe('R-ROUTE-1: an organisation that names no placement worker', () => {
  it('R-ROUTE-1: the screener stands in, and the reply says so', async () => {
    const other: TestUser = {
      sub: 'r-other-interviewer',
      org: 'county-unrouted',
      unit: 'unit-1',
      roles: ['interviewer'],
    };
    const driver = await ScreeningDriver.start(stack, 'en', 'CASE-RET-2', 'runaway-return', other);
    const reply = await driver.answerUntilDone({
      safety_exchange: { answer: 'no' },
      determination: { answer: 'neither' },
    });
    const respond = reply.body.tasks.find((task: Task) => task.taskType === 'respond_in_placement');
    expect(respond.standIn).toBe(true);
    const warning = reply.body.warnings.find((w: { code: string }) => w.code === 'routed_to_stand_in');
    expect(warning).toMatchObject({ taskId: respond.id });
    expect((await tasksOf(other)).map((task) => task.id)).toContain(respond.id);
  });
});

describe('R-OVERRIDE-1: cancelling a statutory report tells the supervisor', () => {
  it('R-OVERRIDE-1: the cancellation and the supervisor’s notice are written together; a policy task tells no one', async () => {
    stack.clock.set('2026-12-03T10:00:00.000Z');
    const driver = await ScreeningDriver.start(stack, 'en', 'CASE-CANCEL-1', 'cse-screening', caseworker);
    const reply = await driver.answerUntilDone({
      exchange: { answer: 'present' },
      determination: { answer: 'identified' },
      cws: { answer: 'yes' },
      open_602: { answer: 'no' },
      received_at: { answer: '2026-12-03T09:00:00.000Z' },
    });
    const report: Task = reply.body.tasks.find((task: Task) => task.requirementId === 'R-REPORT-1');
    const plan: Task = reply.body.tasks.find(
      (task: Task) => task.requirementId === 'R-PLAN-1' && task.obligation === 'statute',
    );
    expect(report.obligation).toBe('statute');
    const cancelled = await stack.call('cancelTask', {
      user: caseworker,
      id: report.id,
      body: { reason: 'Reported by the officer at the scene' },
    });
    expect(cancelled.status).toBe(200);
    const forSupervisor = await stack.call('listNotifications', { user: supervisor });
    const notice = forSupervisor.body.notifications.find((n: { taskId: string }) => n.taskId === report.id);
    expect(notice).toMatchObject({ type: 'cancellation', requirementId: 'R-REPORT-1' });
    const forCaseworker = await stack.call('listNotifications', { user: caseworker });
    expect(forCaseworker.body.notifications.some((n: { taskId: string }) => n.taskId === report.id)).toBe(
      false,
    );
    expect(plan).toBeDefined();
  });
});

describe('R-HANDOFF-1: records requests in the county cover what partners handed off', () => {
  it('R-HANDOFF-1: the county exports and erases a hand-off and its tasks; the shelter’s own record stays the shelter’s', async () => {
    const { driver } = await shelterScreening(
      shelter1,
      'SH-ERASE-1',
      'identified',
      '2026-12-01T16:00:00.000Z',
    );
    const received = await stack.call('getHandoff', { user: intake, id: driver.id });
    const countyTaskIds = (received.body.tasks as Task[]).map((task) => task.id);
    expect(countyTaskIds.length).toBeGreaterThan(0);

    const exported = await runRecordsRequest(stack, {
      subjectRef: 'SH-ERASE-1',
      kind: 'export',
      requester: admin,
    });
    expect(exported.status).toBe(200);
    expect(exported.body.conversations).toEqual([]);
    expect(exported.body.handoffs).toHaveLength(1);
    expect(exported.body.handoffs[0].tasks.map((task: Task) => task.id).sort()).toEqual(
      [...countyTaskIds].sort(),
    );

    const erase = () =>
      runRecordsRequest(stack, { subjectRef: 'SH-ERASE-1', kind: 'erase', requester: admin });
    // Issue 16, finding 4: the county's statutory reports come first.
    const refused = await erase();
    expect([refused.status, refused.body.error.code]).toEqual([409, 'statutory_tasks_open']);
    for (const id of countyTaskIds) {
      const cancelled = await stack.call('cancelTask', {
        user: intake,
        id,
        body: { reason: 'Handled by another county' },
      });
      expect([200, 409]).toContain(cancelled.status);
    }
    const erased = await erase();
    expect(erased.status).toBe(200);
    expect(erased.body.erasure.removed).toMatchObject({
      conversations: 0,
      handoffs: 1,
      tasks: countyTaskIds.length,
    });
    expect((await stack.call('getHandoff', { user: intake, id: driver.id })).status).toBe(404);
    for (const id of countyTaskIds) expect(await stack.deps.services.store.getTask(id)).toBeNull();
    // The shelter's screening is the shelter's record: the county's erasure does not reach it.
    expect((await stack.call('getConversation', { user: shelter1, id: driver.id })).status).toBe(200);
    expect(
      (await runRecordsRequest(stack, { subjectRef: 'SH-ERASE-1', kind: 'export', requester: admin })).status,
    ).toBe(404);
  });
});

describe('issue 16, finding 4: erasure is decided by role first', () => {
  it('issue 16 finding 4: a caseworker’s malformed erasure is refused for the role (403), not the body (400)', async () => {
    const malformed = await stack.call('eraseRecords', {
      user: caseworker,
      id: '5f0c8e2a-9a51-4f7e-8d0b-3c2f6a1e9b74',
      body: { nonsense: true },
    });
    expect([malformed.status, malformed.body.error.code]).toEqual([403, 'forbidden']);
  });
});
