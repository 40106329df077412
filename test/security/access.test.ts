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
} satisfies Record<string, TestUser>;
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
  const intake = await ScreeningDriver.start(stack, 'en', 'INTAKE-7', 'cse-screening', users.shelter);
  const shelterDone = await intake.sendAll(fullScreening({ determination: 'identified', cws: 'yes' }));
  shelterCase = { id: intake.id, taskId: report(shelterDone.body) };
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
    [
      'a county caseworker’s screening',
      () => countyCase.id,
      ['owner', 'supervisor'],
      ['admin', 'otherCountyAdmin'],
    ],
    [
      'a shelter’s intake screening',
      () => shelterCase.id,
      ['shelter', 'shelterColleague'],
      ['admin', 'otherCountyAdmin'],
    ],
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
    const expected = ['supervisor', 'admin', 'otherCountyAdmin'].includes(who) ? 403 : 404;
    it(`${who} cannot answer in the owner’s conversation (${expected})`, async () => {
      await expectRefused('postTurn', { ...turn(), user: users[who] }, expected);
    });
  }

  it('the owner can, and a shelter colleague can continue a screening started at the same desk', async () => {
    expect((await stack.call('postTurn', { ...turn(), user: users.owner })).status).toBe(200);
    const desk = await ScreeningDriver.start(stack, 'en', 'INTAKE-8', 'cse-screening', users.shelter);
    const reply = await stack.call('postTurn', {
      id: desk.id,
      user: users.shelterColleague,
      body: {
        eventId: randomUUID(),
        expectedVersion: 0,
        event: { type: 'answer.unknown', promptId: desk.promptId },
      },
    });
    expect(reply.status).toBe(200);
    expect(
      (await stack.call('getConversation', { id: desk.id, user: users.shelter })).body.events[0].actor,
    ).toBe('shelter-2');
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
    expect(await taskIds('shelterColleague')).toContain(shelterCase.taskId);
    for (const who of ['owner', 'supervisor', 'otherShelter'] as Who[]) {
      expect(await taskIds(who), who).not.toContain(shelterCase.taskId);
    }
    expect(await taskIds('admin')).toBe(403);
  });

  for (const who of everyone.filter((w) => !['owner', 'supervisor'].includes(w))) {
    const expected = ['admin', 'otherCountyAdmin'].includes(who) ? 403 : 404;
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
    ['supervisorBoard', {}, ['supervisor', 'otherUnitSupervisor']],
    ['activityReport', { query: range }, ['supervisor', 'otherUnitSupervisor', 'admin', 'otherCountyAdmin']],
    ['exportRecords', { id: 'CASE-A-1' }, ['admin']],
  ];
  for (const [route, request, allowed] of cases) {
    for (const who of everyone) {
      const expected = allowed.includes(who)
        ? 200
        : who === 'otherCountyAdmin' && route === 'exportRecords'
          ? 404
          : 403;
      it(`${route}: ${who} gets ${expected}`, async () => {
        if (expected === 200) {
          expect((await stack.call(route, { ...request, user: users[who] })).status).toBe(200);
        } else {
          await expectRefused(route, { ...request, user: users[who] }, expected);
        }
      });
    }
  }

  it('erasure is for the organisation’s administrator only', async () => {
    const body = { legalBasis: 'Court order 2026-123', confirmSubjectRef: 'CASE-A-1' };
    for (const who of everyone.filter((w) => w !== 'admin' && w !== 'otherCountyAdmin')) {
      await expectRefused('eraseRecords', { id: 'CASE-A-1', user: users[who], body }, 403);
    }
    await expectRefused('eraseRecords', { id: 'CASE-A-1', user: users.otherCountyAdmin, body }, 404);
  });
});
