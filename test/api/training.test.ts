import { beforeAll, describe, expect, it } from 'vitest';
import { createTestStack, type TestStack, type TestUser } from '../support/stack.ts';

/** R-TRAIN-1: training is recorded, and a screener without it is warned, never stopped. */

const ORG = 'county-t';
const admin: TestUser = { sub: 't-admin', org: ORG, unit: 'main', roles: ['administrator'] };
const caseworker: TestUser = { sub: 't-caseworker', org: ORG, unit: 'unit-1', roles: ['caseworker'] };
const colleague: TestUser = { sub: 't-colleague', org: ORG, unit: 'unit-1', roles: ['caseworker'] };
const outsider: TestUser = { sub: 't-outsider', org: 'county-other', unit: 'unit-1', roles: ['caseworker'] };

let stack: TestStack;

async function startScreening(user: TestUser, locale: 'en' | 'es' = 'en') {
  const created = await stack.call('createConversation', {
    user,
    body: { flow: 'cse-screening', locale, subjectRef: 'CASE-T-1' },
  });
  expect(created.status).toBe(201);
  return created.body.warnings as Array<{ code: string; message: string }>;
}

beforeAll(async () => {
  stack = await createTestStack({ startAt: '2026-12-04T17:00:00.000Z' });
  const settings = {
    name: 'County T',
    type: 'county',
    training: [
      {
        type: 'cse_identification',
        label: 'CSE identification',
        roles: ['caseworker', 'supervisor'],
        validForMonths: 24,
        citation: 'Welf. & Inst. Code § 16524.7',
        basis: 'policy',
      },
    ],
  };
  expect(
    (await stack.call('putOrganisation', { user: admin, body: { settings, expectedVersion: 0 } })).status,
  ).toBe(200);
});

describe('R-TRAIN-1: screeners’ training', () => {
  it('R-TRAIN-1: a screener with no training on record is warned at the start, and the screening starts', async () => {
    const warnings = await startScreening(caseworker);
    expect(warnings).toEqual([
      { code: 'training_missing', message: expect.stringContaining('CSE identification') },
    ]);
    const spanish = await startScreening(caseworker, 'es');
    expect(spanish[0]!.message).toContain('Puede continuar');
  });

  it('R-TRAIN-1: recorded training silences the warning; lapsed training brings it back', async () => {
    const lapsed = await stack.call('recordTraining', {
      user: caseworker,
      body: { type: 'cse_identification', completedOn: '2024-11-30' },
    });
    expect(lapsed.status).toBe(201);
    const warnings = await startScreening(caseworker);
    expect(warnings.map((warning) => warning.code)).toEqual(['training_lapsed']);
    expect(warnings[0]!.message).toContain('2026-11-30');
    await stack.call('recordTraining', {
      user: caseworker,
      body: { type: 'cse_identification', completedOn: '2026-06-01' },
    });
    expect(await startScreening(caseworker)).toEqual([]);
    const standing = await stack.call('listTraining', { user: caseworker });
    expect(standing.body.standing).toEqual([
      { type: 'cse_identification', state: 'current', completedOn: '2026-06-01', lapsesOn: '2028-06-01' },
    ]);
    expect(standing.body.training).toHaveLength(2);
  });

  it('R-TRAIN-1: an administrator records anyone’s training; a colleague may not; a future date is refused', async () => {
    const byAdmin = await stack.call('recordTraining', {
      user: admin,
      body: { userId: colleague.sub, type: 'cse_identification', completedOn: '2026-12-01' },
    });
    expect(byAdmin.status).toBe(201);
    expect(byAdmin.body.training).toMatchObject({ userId: colleague.sub, recordedBy: admin.sub });
    expect(await startScreening(colleague)).toEqual([]);
    const forOther = await stack.call('recordTraining', {
      user: caseworker,
      body: { userId: colleague.sub, type: 'cse_identification', completedOn: '2026-12-01' },
    });
    expect(forOther.status).toBe(403);
    const future = await stack.call('recordTraining', {
      user: caseworker,
      body: { type: 'cse_identification', completedOn: '2026-12-25' },
    });
    expect(future.status).toBe(422);
    expect(future.body.error.code).toBe('training_in_future');
    const malformed = await stack.call('recordTraining', {
      user: caseworker,
      body: { type: 'CSE ID', completedOn: 'yesterday' },
    });
    expect(malformed.status).toBe(400);
    expect(
      (await stack.call('listTraining', { user: caseworker, query: { userId: colleague.sub } })).status,
    ).toBe(403);
  });

  it('R-TRAIN-1: an organisation that requires no training warns no one', async () => {
    expect(await startScreening(outsider)).toEqual([]);
  });
});
