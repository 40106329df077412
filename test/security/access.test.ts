import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RouteName } from '#functions/api/routes.ts';
import { fullScreening, ScreeningDriver } from '../support/screening.ts';
import { type ApiRequest, createTestStack, type TestStack, type TestUser } from '../support/stack.ts';
import { tableContents } from '../support/table.ts';

/**
 * Every role against every kind of record it might reach: county records of another caseworker, unit
 * and county; a shelter's screenings; records requests. Each forbidden pair is tried through the API and
 * must be refused (403 when the role may never do it, 404 when the record is someone else's) and change
 * nothing; each allowed pair must work.
 */

const county = (sub: string, roles: TestUser['roles'], unit = 'unit-1'): TestUser => ({
  sub,
  org: 'county-a',
  unit,
  roles,
});
const users = {
  owner: county('caseworker-1', ['caseworker']),
  colleague: county('caseworker-2', ['caseworker']),
  supervisor: county('supervisor-1', ['supervisor']),
  otherUnitSupervisor: county('supervisor-2', ['supervisor'], 'unit-2'),
  interviewer: county('interviewer-1', ['interviewer']),
  admin: county('admin-1', ['administrator'], 'main'),
  otherCounty: { sub: 'caseworker-9', org: 'county-b', unit: 'unit-1', roles: ['caseworker'] },
  otherCountyAdmin: { sub: 'admin-9', org: 'county-b', unit: 'main', roles: ['administrator'] },
  shelter: { sub: 'shelter-1', org: 'shelter-a', unit: 'main', roles: ['shelter_staff'] },
  shelterColleague: { sub: 'shelter-2', org: 'shelter-a', unit: 'main', roles: ['shelter_staff'] },
  otherShelter: { sub: 'shelter-9', org: 'shelter-b', unit: 'main', roles: ['shelter_staff'] },
  /** County-a's intake unit, whose queue receives the shelter's hand-offs (R-HANDOFF-1). */
  intake: county('intake-1', ['caseworker'], 'intake'),
  intakeSupervisor: county('supervisor-3', ['supervisor'], 'intake'),
  shelterAdmin: { sub: 'shelter-admin-1', org: 'shelter-a', unit: 'main', roles: ['administrator'] },
} satisfies Record<string, TestUser>;
const administrators: Who[] = ['admin', 'otherCountyAdmin', 'shelterAdmin'];
type Who = keyof typeof users;
const everyone = Object.keys(users) as Who[];

let stack: TestStack;
/** The county caseworker's completed screening, its R-REPORT-1 task, and an unfinished one. */
let countyCase: { id: string; taskId: string; subjectRef: string };
let countyActive: ScreeningDriver;
/** A screening done at the shelter's intake desk. */
let shelterCase: { id: string; taskId: string };

beforeAll(async () => {
  stack = await createTestStack();
  const screening = await ScreeningDriver.start(stack, 'en', 'CASE-A-1', 'cse-screening', users.owner);
  const done = await screening.sendAll(fullScreening({ determination: 'identified', cws: 'yes' }));
  const report = (body: { tasks: Array<{ id: string; requirementId: string }> }) =>
    body.tasks.find((task) => task.requirementId === 'R-REPORT-1')!.id;
  countyCase = { id: screening.id, taskId: report(done.body), subjectRef: 'CASE-A-1' };
  countyActive = await ScreeningDriver.start(stack, 'en', 'CASE-A-2', 'cse-screening', users.owner);
  // Shelter staff get the partner variant (R-HANDOFF-1): no county questions, and the shelter's own
  // R-MANDATED-1 reports. The shelter has no profile yet, so nothing is handed off here.
  const intake = await ScreeningDriver.start(stack, 'en', 'INTAKE-7', 'cse-screening', users.shelter);
  const shelterDone = await intake.answerUntilDone({
    exchange: { answer: 'present' },
    determination: { answer: 'identified' },
  });
  const shelterTask = (shelterDone.body.tasks as Array<{ id: string; requirementId: string }>).find(
    (task) => task.requirementId === 'R-MANDATED-1',
  );
  shelterCase = { id: intake.id, taskId: shelterTask!.id };
});

async function expectRefused(route: RouteName, request: ApiRequest, status: 403 | 404) {
  const before = await tableContents(stack);
  const reply = await stack.call(route, request);
  expect([reply.status, reply.body.error?.code], `${route} as ${request.user?.sub}`).toEqual([
    status,
    status === 403 ? 'forbidden' : 'not_found',
  ]);
  expect(await tableContents(stack)).toEqual(before);
}

describe('reading a conversation', () => {
  const cases: Array<[string, () => string, Who[], Who[]]> = [
    // record, id, may read, refused as forbidden (403); everyone else gets 404
    ['a county caseworker’s screening', () => countyCase.id, ['owner', 'supervisor'], administrators],
    // Issue 18: a shelter account sees only its own screenings, not the whole organisation's.
    ['a shelter’s intake screening', () => shelterCase.id, ['shelter'], administrators],
  ];
  for (const [record, id, allowed, forbidden] of cases) {
    for (const who of everyone) {
      const expected = allowed.includes(who) ? 200 : forbidden.includes(who) ? 403 : 404;
      it(`${record}: ${who} gets ${expected}`, async () => {
        if (expected === 200) {
          const reply = await stack.call('getConversation', { id: id(), user: users[who] });
          expect(reply.status).toBe(200);
          expect(reply.body.events.length).toBeGreaterThan(0);
        } else {
          await expectRefused('getConversation', { id: id(), user: users[who] }, expected);
        }
      });
    }
  }

  it('a missing conversation and a forbidden one look exactly alike', async () => {
    const missing = await stack.call('getConversation', { id: randomUUID(), user: users.colleague });
    const forbidden = await stack.call('getConversation', { id: countyCase.id, user: users.colleague });
    expect(forbidden.body).toEqual({ ...missing.body });
    expect(forbidden.status).toBe(missing.status);
  });
});

describe('answering in a conversation', () => {
  const turn = () => ({
    id: countyActive.id,
    body: {
      eventId: randomUUID(),
      expectedVersion: countyActive.version,
      event: { type: 'answer.unknown', promptId: countyActive.promptId },
    },
  });
  for (const who of everyone.filter((w) => w !== 'owner')) {
    // A supervisor may read the conversation but not answer in it; admins never touch cases.
    const expected = who === 'supervisor' || administrators.includes(who) ? 403 : 404;
    it(`${who} cannot answer in the owner’s conversation (${expected})`, async () => {
      await expectRefused('postTurn', { ...turn(), user: users[who] }, expected);
    });
  }

  it('the owner can; a shelter colleague cannot answer in another account’s screening (issue 18)', async () => {
    expect((await stack.call('postTurn', { ...turn(), user: users.owner })).status).toBe(200);
    const desk = await ScreeningDriver.start(stack, 'en', 'INTAKE-8', 'cse-screening', users.shelter);
    await expectRefused(
      'postTurn',
      {
        id: desk.id,
        user: users.shelterColleague,
        body: {
          eventId: randomUUID(),
          expectedVersion: 0,
          event: { type: 'answer.unknown', promptId: desk.promptId },
        },
      },
      404,
    );
    // The owner goes on as before.
    const own = await stack.call('postTurn', {
      id: desk.id,
      user: users.shelter,
      body: {
        eventId: randomUUID(),
        expectedVersion: 0,
        event: { type: 'answer.unknown', promptId: desk.promptId },
      },
    });
    expect(own.status).toBe(200);
  });
});

describe('starting conversations', () => {
  const refused: Array<[Who, string]> = [
    ['shelter', 'missing-from-care'],
    ['shelter', 'runaway-return'],
    ['shelter', 'custody-check'],
    ['interviewer', 'missing-from-care'],
    ['interviewer', 'custody-check'],
    ['admin', 'cse-screening'],
    ['admin', 'runaway-return'],
  ];
  for (const [who, flow] of refused) {
    it(`${who} may not start ${flow} (403)`, async () => {
      await expectRefused(
        'createConversation',
        { user: users[who], body: { flow, locale: 'en', subjectRef: 'CASE-NEW' } },
        403,
      );
    });
  }

  it('each case role may start the flows of its work', async () => {
    const allowed: Array<[Who, string]> = [
      ['owner', 'custody-check'],
      ['supervisor', 'missing-from-care'],
      ['interviewer', 'runaway-return'],
      ['shelter', 'cse-screening'],
    ];
    for (const [who, flow] of allowed) {
      const reply = await stack.call('createConversation', {
        user: users[who],
        body: { flow, locale: 'en', subjectRef: `CASE-${who}` },
      });
      expect(reply.status, `${who} ${flow}`).toBe(201);
    }
  });
});

describe('tasks', () => {
  const taskIds = async (who: Who) => {
    const reply = await stack.call('listTasks', { user: users[who], query: { limit: '100' } });
    if (reply.status !== 200) return reply.status;
    return reply.body.tasks.map((task: { id: string }) => task.id);
  };

  it('each role lists exactly the tasks it may see', async () => {
    expect(await taskIds('owner')).toContain(countyCase.taskId);
    expect(await taskIds('supervisor')).toContain(countyCase.taskId);
    for (const who of [
      'colleague',
      'otherUnitSupervisor',
      'interviewer',
      'otherCounty',
      'shelter',
      'otherShelter',
    ] as Who[]) {
      expect(await taskIds(who), who).not.toContain(countyCase.taskId);
    }
    expect(await taskIds('shelter')).toContain(shelterCase.taskId);
    for (const who of ['owner', 'supervisor', 'otherShelter', 'shelterColleague'] as Who[]) {
      expect(await taskIds(who), who).not.toContain(shelterCase.taskId);
    }
    expect(await taskIds('admin')).toBe(403);
  });

  for (const who of everyone.filter((w) => !['owner', 'supervisor'].includes(w))) {
    const expected = administrators.includes(who) ? 403 : 404;
    it(`${who} cannot complete or cancel the county task (${expected})`, async () => {
      await expectRefused(
        'completeTask',
        {
          id: countyCase.taskId,
          user: users[who],
          body: {
            evidence: {
              agency: 'Sheriff',
              referenceNumber: 'X-1',
              reportedAt: stack.clock.now.toISOString(),
            },
          },
        },
        expected,
      );
      await expectRefused(
        'cancelTask',
        { id: countyCase.taskId, user: users[who], body: { reason: 'not owed' } },
        expected,
      );
    });
  }

  it('the unit’s supervisor may settle the caseworker’s task', async () => {
    const reply = await stack.call('completeTask', {
      id: countyCase.taskId,
      user: users.supervisor,
      body: {
        evidence: { agency: 'Sheriff', referenceNumber: 'S-1', reportedAt: stack.clock.now.toISOString() },
      },
    });
    expect(reply.status).toBe(200);
    expect(reply.body.history.at(-1)).toMatchObject({ action: 'completed', by: 'supervisor-1' });
  });
});

describe('boards, reports and records requests', () => {
  const range = { from: '2026-11-01T00:00:00Z', to: '2026-12-01T00:00:00Z' };
  const cases: Array<[RouteName, ApiRequest, Who[]]> = [
    ['supervisorBoard', {}, ['supervisor', 'otherUnitSupervisor', 'intakeSupervisor']],
    [
      'activityReport',
      { query: range },
      ['supervisor', 'otherUnitSupervisor', 'intakeSupervisor', 'admin', 'otherCountyAdmin', 'shelterAdmin'],
    ],
    // Issue 16, finding 4: each administrator lists their own organisation's records requests.
    ['listRecordsRequests', {}, administrators],
    // Issue 17: everyone who holds conversations lists their own unfinished ones; administrators hold none.
    [
      'listConversations',
      { query: { status: 'unfinished' } },
      everyone.filter((who) => !administrators.includes(who)),
    ],
    [
      'supervisorBoard',
      { query: { format: 'csv' } },
      ['supervisor', 'otherUnitSupervisor', 'intakeSupervisor'],
    ],
  ];
  for (const [route, request, allowed] of cases) {
    for (const who of everyone) {
      const expected = allowed.includes(who) ? 200 : 403;
      it(`${route}: ${who} gets ${expected}`, async () => {
        if (expected === 200) {
          expect((await stack.call(route, { ...request, user: users[who] })).status).toBe(200);
        } else {
          await expectRefused(route, { ...request, user: users[who] }, expected);
        }
      });
    }
  }

  it('issue 17: only the unit’s supervisor may reassign a task; other units’ supervisors cannot find it', async () => {
    const open = await stack.call('listTasks', { user: users.owner, query: { status: 'open' } });
    const task = (open.body.tasks as Array<{ id: string }>).find((t) => t.id !== countyCase.taskId)!;
    const body = { to: { kind: 'user', userId: 'caseworker-2' } };
    for (const who of everyone.filter((w) => w !== 'supervisor')) {
      const hidden = ['otherUnitSupervisor', 'intakeSupervisor'].includes(who);
      await expectRefused('reassignTask', { id: task.id, user: users[who], body }, hidden ? 404 : 403);
    }
    const moved = await stack.call('reassignTask', { id: task.id, user: users.supervisor, body });
    expect([moved.status, moved.body.owner]).toEqual([200, 'caseworker-2']);
    // The unfinished list is the caller's own: the owner's open screening shows only to the owner.
    const own = await stack.call('listConversations', { user: users.owner, query: { status: 'unfinished' } });
    expect(own.body.conversations.map((c: { id: string }) => c.id)).toContain(countyActive.id);
    for (const who of ['colleague', 'supervisor', 'shelter', 'otherCounty'] as Who[]) {
      const theirs = await stack.call('listConversations', {
        user: users[who],
        query: { status: 'unfinished' },
      });
      expect(
        theirs.body.conversations.map((c: { id: string }) => c.id),
        who,
      ).not.toContain(countyActive.id);
    }
  });

  it('issue 16 finding 4: records requests are for the organisation’s administrators only, and a second one decides', async () => {
    const openBody = { subjectRef: 'CASE-A-1', kind: 'export', legalBasis: 'court_order' };
    const opened = await stack.call('openRecordsRequest', { user: users.admin, body: openBody });
    expect(opened.status, JSON.stringify(opened.body)).toBe(201);
    const id = opened.body.request.id as string;
    const decide = { id, body: { decision: 'approve', subjectRef: 'CASE-A-1' } };
    const run = { id, body: { subjectRef: 'CASE-A-1' } };
    for (const who of everyone.filter((w) => !administrators.includes(w))) {
      await expectRefused('openRecordsRequest', { user: users[who], body: openBody }, 403);
      await expectRefused('decideRecordsRequest', { user: users[who], ...decide }, 403);
      await expectRefused('exportRecords', { user: users[who], ...run }, 403);
      await expectRefused('eraseRecords', { user: users[who], ...run }, 403);
    }
    // Another organisation holds nothing about CASE-A-1, and county-a's request is not theirs to see.
    for (const who of ['otherCountyAdmin', 'shelterAdmin'] as Who[]) {
      await expectRefused('openRecordsRequest', { user: users[who], body: openBody }, 404);
      await expectRefused('decideRecordsRequest', { user: users[who], ...decide }, 404);
      await expectRefused('exportRecords', { user: users[who], ...run }, 404);
      await expectRefused('eraseRecords', { user: users[who], ...run }, 404);
    }
    // County-a's administrator opened it: a second administrator must approve it before it runs.
    const before = await tableContents(stack);
    const own = await stack.call('decideRecordsRequest', { user: users.admin, ...decide });
    expect([own.status, own.body.error.code]).toEqual([403, 'own_request']);
    const early = await stack.call('exportRecords', { user: users.admin, ...run });
    expect([early.status, early.body.error.code]).toEqual([409, 'request_not_approved']);
    expect(await tableContents(stack)).toEqual(before);
  });
});

describe('R-ROUTE-1, R-HANDOFF-1, R-TRAIN-1: organisations, hand-offs, queued tasks and training', () => {
  const intakeDesk: Who[] = ['intake', 'intakeSupervisor'];
  const shelterStaff: Who[] = ['shelter', 'shelterColleague', 'otherShelter'];
  /** A concern the shelter (shelter-a) handed to county-a's intake, and one county task it queued there. */
  let handoff: { id: string; queuedTaskId: string };

  beforeAll(async () => {
    const setUp = async (who: Who, settings: Record<string, unknown>) => {
      const reply = await stack.call('putOrganisation', {
        user: users[who],
        body: { settings, expectedVersion: 0 },
      });
      expect(reply.status, JSON.stringify(reply.body)).toBe(200);
    };
    await setUp('admin', {
      name: 'County A',
      type: 'county',
      routes: { county_intake: { to: 'queue', unit: 'intake' } },
    });
    await setUp('shelterAdmin', {
      name: 'Shelter A',
      type: 'partner',
      handoffTo: 'county-a',
      contact: 'Desk (555) 010-1111',
    });
    const driver = await ScreeningDriver.start(stack, 'en', 'INTAKE-9', 'cse-screening', users.shelter);
    const reply = await driver.answerUntilDone({
      exchange: { answer: 'present' },
      determination: { answer: 'identified' },
    });
    expect(reply.body.handoff, JSON.stringify(reply.body)).toMatchObject({
      id: driver.id,
      status: 'received',
    });
    const received = await stack.call('getHandoff', { user: users.intake, id: driver.id });
    expect(received.status).toBe(200);
    const queued = (received.body.tasks as Array<{ id: string; routedTo: { kind: string } }>).find(
      (task) => task.routedTo.kind === 'queue',
    );
    handoff = { id: driver.id, queuedTaskId: queued!.id };
  });

  it('getOrganisation: every role reads its own organisation’s profile, and only its own', async () => {
    const names: Record<string, string> = { 'county-a': 'County A', 'shelter-a': 'Shelter A' };
    for (const who of everyone) {
      const reply = await stack.call('getOrganisation', { user: users[who] });
      expect(reply.status, who).toBe(200);
      expect(reply.body.profile?.name ?? null, who).toBe(names[users[who].org] ?? null);
    }
  });

  for (const who of everyone.filter((w) => !administrators.includes(w))) {
    it(`putOrganisation: ${who} gets 403`, async () => {
      const settings = { name: 'Taken over', type: 'county' };
      await expectRefused(
        'putOrganisation',
        { user: users[who], body: { settings, expectedVersion: 1 } },
        403,
      );
    });
  }

  it('putOrganisation: each administrator sets their own organisation and never another', async () => {
    const put = (who: Who, settings: Record<string, unknown>, expectedVersion: number) =>
      stack.call('putOrganisation', { user: users[who], body: { settings, expectedVersion } });
    const county = await put('admin', { name: 'County A', type: 'county', routes: {} }, 1);
    expect([county.status, county.body.profile?.org]).toEqual([200, 'county-a']);
    const shelter = await put(
      'shelterAdmin',
      { name: 'Shelter A', type: 'partner', handoffTo: 'county-a' },
      1,
    );
    expect([shelter.status, shelter.body.profile?.org]).toEqual([200, 'shelter-a']);
    const other = await put('otherCountyAdmin', { name: 'County B', type: 'county' }, 0);
    expect([other.status, other.body.profile?.org]).toEqual([200, 'county-b']);
    const seen = await stack.call('getOrganisation', { user: users.owner });
    expect(seen.body.profile).toMatchObject({ org: 'county-a', name: 'County A', version: 2 });
  });

  for (const who of everyone) {
    const expected = administrators.includes(who) || shelterStaff.includes(who) ? 403 : 200;
    it(`listHandoffs: ${who} gets ${expected}`, async () => {
      if (expected === 403) return expectRefused('listHandoffs', { user: users[who] }, 403);
      const reply = await stack.call('listHandoffs', { user: users[who] });
      expect(reply.status).toBe(200);
      const ids = (reply.body.handoffs as Array<{ id: string }>).map((listed) => listed.id);
      // The county's other units, and other counties, get an empty list: hand-offs are intake's.
      expect(ids).toEqual(intakeDesk.includes(who) ? [handoff.id] : []);
    });
  }

  for (const who of everyone) {
    const expected =
      intakeDesk.includes(who) || ['shelter', 'shelterColleague'].includes(who)
        ? 200
        : administrators.includes(who)
          ? 403
          : 404;
    it(`getHandoff: ${who} gets ${expected}`, async () => {
      if (expected !== 200)
        return expectRefused('getHandoff', { id: handoff.id, user: users[who] }, expected);
      const reply = await stack.call('getHandoff', { id: handoff.id, user: users[who] });
      expect(reply.status).toBe(200);
      if (intakeDesk.includes(who)) {
        expect(reply.body.handoff).toMatchObject({
          id: handoff.id,
          fromOrg: 'shelter-a',
          caseRef: 'INTAKE-9',
        });
        expect(reply.body.tasks.length).toBeGreaterThan(0);
      } else {
        // The shelter that sent it sees that it arrived, never the county's record or tasks.
        expect(Object.keys(reply.body.handoff).sort()).toEqual([
          'acknowledgedAt',
          'id',
          'receivedAt',
          'status',
          'to',
        ]);
        expect(reply.body.tasks).toBeUndefined();
      }
    });
  }

  for (const who of everyone.filter((w) => !intakeDesk.includes(w))) {
    const expected = administrators.includes(who) ? 403 : 404;
    it(`acknowledgeHandoff: ${who} gets ${expected}`, async () => {
      await expectRefused('acknowledgeHandoff', { id: handoff.id, user: users[who] }, expected);
    });
    it(`claimTask on the intake queue's task: ${who} gets ${expected}`, async () => {
      await expectRefused('claimTask', { id: handoff.queuedTaskId, user: users[who] }, expected);
    });
  }

  it('the intake desk acknowledges the hand-off and claims the queued task, each once', async () => {
    const acknowledged = await stack.call('acknowledgeHandoff', { id: handoff.id, user: users.intake });
    expect(acknowledged.status).toBe(200);
    const again = await stack.call('acknowledgeHandoff', { id: handoff.id, user: users.intakeSupervisor });
    expect([again.status, again.body.error.code]).toEqual([409, 'handoff_already_acknowledged']);
    const claimed = await stack.call('claimTask', { id: handoff.queuedTaskId, user: users.intake });
    expect(claimed.status).toBe(200);
    const twice = await stack.call('claimTask', { id: handoff.queuedTaskId, user: users.intakeSupervisor });
    expect([twice.status, twice.body.error.code]).toEqual([409, 'task_not_queued']);
  });

  for (const who of everyone) {
    // `colleague` is caseworker-2: their own training is theirs to record.
    const expected = administrators.includes(who) || who === 'colleague' ? 201 : 403;
    it(`recordTraining for caseworker-2: ${who} gets ${expected}`, async () => {
      const body = { userId: 'caseworker-2', type: 'cse_identification', completedOn: '2026-11-01' };
      if (expected === 403) return expectRefused('recordTraining', { user: users[who], body }, 403);
      const reply = await stack.call('recordTraining', { user: users[who], body });
      expect(reply.status).toBe(201);
      expect(reply.body.training).toMatchObject({
        org: users[who].org,
        userId: 'caseworker-2',
        recordedBy: users[who].sub,
      });
    });
  }

  for (const who of everyone) {
    const expected = administrators.includes(who) || who === 'colleague' ? 200 : 403;
    it(`listTraining of caseworker-2: ${who} gets ${expected}`, async () => {
      const request = { user: users[who], query: { userId: 'caseworker-2' } };
      if (expected === 403) return expectRefused('listTraining', request, 403);
      const reply = await stack.call('listTraining', request);
      expect(reply.status).toBe(200);
      // Only the organisation's own records: county-b's administrator recorded one for its caseworker-2 too.
      expect(reply.body.training.map((record: { org: string }) => record.org)).toEqual(
        who === 'colleague' ? ['county-a'] : [users[who].org],
      );
    });
  }
});

describe('issue 18: a tablet’s half of its key', () => {
  const deviceId = '3f0c2d4e-8b1a-4c6d-9e7f-1a2b3c4d5e6f';
  const verifier = 'v'.repeat(43);
  let half: string;

  beforeAll(async () => {
    const enrolled = await stack.call('enrolDevice', {
      user: users.interviewer,
      body: { deviceId, verifier },
    });
    expect(enrolled.status, JSON.stringify(enrolled.body)).toBe(201);
    half = enrolled.body.half;
  });

  for (const who of everyone.filter((w) => w !== 'interviewer')) {
    const expected = administrators.includes(who) ? 403 : 404;
    // Even with the right verifier: only the tablet's owner is ever answered, and nothing is counted.
    it(`unlockDevice on the interviewer's tablet: ${who} gets ${expected}`, async () => {
      await expectRefused('unlockDevice', { id: deviceId, user: users[who], body: { verifier } }, expected);
    });
  }

  // Another organisation's first case role to use the id enrols it in that organisation; the rest find it taken.
  const enrolledIn = new Set([users.interviewer.org]);
  for (const who of everyone.filter((w) => w !== 'interviewer')) {
    const { org } = users[who];
    const expected = administrators.includes(who) ? 403 : enrolledIn.has(org) ? 409 : 201;
    if (expected === 201) enrolledIn.add(org);
    it(`enrolDevice with the interviewer's device id: ${who} gets ${expected}`, async () => {
      const request = { user: users[who], body: { deviceId, verifier: 'w'.repeat(43) } };
      if (expected === 403) return expectRefused('enrolDevice', request, 403);
      if (expected === 409) {
        const before = await tableContents(stack);
        const reply = await stack.call('enrolDevice', request);
        expect([reply.status, reply.body.error?.code]).toEqual([409, 'device_exists']);
        expect(await tableContents(stack)).toEqual(before);
        return;
      }
      // Another organisation's tablets are another namespace: its own record, never the interviewer's.
      const reply = await stack.call('enrolDevice', request);
      expect(reply.status).toBe(201);
      expect(reply.body.half).not.toBe(half);
    });
  }

  it('the owner: a wrong verifier is counted and refused, the right one gives the same half back', async () => {
    const wrong = await stack.call('unlockDevice', {
      id: deviceId,
      user: users.interviewer,
      body: { verifier: 'x'.repeat(43) },
    });
    expect([wrong.status, wrong.body.error.code, wrong.body.error.details.attemptsLeft]).toEqual([
      422,
      'wrong_pin',
      9,
    ]);
    const right = await stack.call('unlockDevice', {
      id: deviceId,
      user: users.interviewer,
      body: { verifier },
    });
    expect(right.status).toBe(200);
    expect(right.body.half).toBe(half);
  });
});
