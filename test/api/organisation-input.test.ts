import { beforeAll, describe, expect, it } from 'vitest';
import { STORE_WRITES, type Store } from '#functions/storage/store.ts';
import { createTestStack, type TestStack, type TestUser } from '../support/stack.ts';
import { tableContents } from '../support/table.ts';

/**
 * Counterexamples the route fuzz (test/security/fuzz.test.ts) found in the organisation routes, kept as
 * fixed cases: reading a profile that exists must not fail, and a stale `expectedVersion` is refused before
 * any write is attempted (a refused request never calls a write method, not even one that would fail).
 */

const admin: TestUser = { sub: 'admin-1', org: 'county-a', unit: 'main', roles: ['administrator'] };
const caseworker: TestUser = { sub: 'caseworker-1', org: 'county-a', unit: 'unit-1', roles: ['caseworker'] };
const settings = { name: 'County A Child Welfare', type: 'county' };

let stack: TestStack;
const writes: string[] = [];

beforeAll(async () => {
  stack = await createTestStack();
  const store = stack.deps.services.store;
  const spy: Store = { ...store };
  for (const method of STORE_WRITES) {
    const write = store[method] as (...args: unknown[]) => Promise<void>;
    (spy as unknown as Record<string, unknown>)[method] = (...args: unknown[]) => {
      writes.push(method);
      return write(...args);
    };
  }
  stack.deps.services.store = spy;
  const created = await stack.call('putOrganisation', {
    user: admin,
    body: { settings, expectedVersion: 0 },
  });
  expect(created.status, JSON.stringify(created.body)).toBe(200);
});

describe('GET and POST /organisation once a profile exists', () => {
  it('GET /organisation reads the stored profile (200, not 500)', async () => {
    const got = await stack.call('getOrganisation', { user: caseworker });
    expect(got.status, JSON.stringify(got.body)).toBe(200);
    expect(got.body.profile).toMatchObject({
      ...settings,
      org: 'county-a',
      version: 1,
      updatedBy: 'admin-1',
    });
    expect(got.body.profile.pk).toBeUndefined();
  });

  it('POST /organisation for a partner reads the county it names (200, not 500)', async () => {
    const shelterAdmin: TestUser = {
      sub: 'shelter-admin-1',
      org: 'shelter-a',
      unit: 'main',
      roles: ['administrator'],
    };
    const partner = {
      name: 'Shelter A',
      type: 'partner',
      handoffTo: 'county-a',
      contact: 'Desk (555) 010-1111',
    };
    const created = await stack.call('putOrganisation', {
      user: shelterAdmin,
      body: { settings: partner, expectedVersion: 0 },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(200);
    expect(created.body.profile).toMatchObject({ ...partner, org: 'shelter-a', version: 1 });
  });

  it('POST /organisation at the current version replaces it', async () => {
    const replaced = await stack.call('putOrganisation', {
      user: admin,
      body: { settings: { ...settings, name: 'Condado A' }, expectedVersion: 1 },
    });
    expect(replaced.status, JSON.stringify(replaced.body)).toBe(200);
    expect(replaced.body.profile).toMatchObject({ name: 'Condado A', version: 2 });
  });

  for (const expectedVersion of [0, 1, 3]) {
    it(`a stale or unknown expectedVersion (${expectedVersion}) is a 409 with the current profile, and attempts no write`, async () => {
      const before = await tableContents(stack);
      const mark = writes.length;
      const stale = await stack.call('putOrganisation', { user: admin, body: { settings, expectedVersion } });
      expect(stale.status, JSON.stringify(stale.body)).toBe(409);
      expect(stale.body.error.code).toBe('version_conflict');
      expect(stale.body.error.details.profile).toMatchObject({ name: 'Condado A', version: 2 });
      expect(writes.slice(mark)).toEqual([]);
      expect(await tableContents(stack)).toEqual(before);
    });
  }

  it('a version for an organisation with no profile yet is a 409 naming none, and attempts no write', async () => {
    const other: TestUser = { sub: 'admin-9', org: 'county-b', unit: 'main', roles: ['administrator'] };
    const mark = writes.length;
    const stale = await stack.call('putOrganisation', {
      user: other,
      body: { settings, expectedVersion: 4 },
    });
    expect(stale.status, JSON.stringify(stale.body)).toBe(409);
    expect(stale.body.error.details.profile).toBeNull();
    expect(writes.slice(mark)).toEqual([]);
  });
});
