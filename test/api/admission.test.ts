import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { routes } from '#functions/api/routes.ts';
import { ScreeningDriver } from '../support/screening.ts';
import { createTestStack, type TestStack, type TestUser } from '../support/stack.ts';
import { recordTableActions } from '../support/table-actions.ts';

/**
 * Issue 18: a request the per-user limiter refuses has touched nothing in the table but its counter. Before,
 * admission ran alongside the route's reads: an export refused with 429 had already made its twelve reads.
 */

let stack: TestStack;
let recorder: ReturnType<typeof recordTableActions>;
let conversationId: string;
const LIMIT = 3;

beforeAll(async () => {
  stack = await createTestStack({ rateLimit: { limit: LIMIT, windowSeconds: 3600 } });
  const driver = await ScreeningDriver.start(stack, 'en', 'CASE-LIMIT-1');
  conversationId = driver.id;
  recorder = recordTableActions(stack.doc);
});

/** Every role at once, so no route refuses on role before it would read. */
const hammering = (sub: string): TestUser => ({
  sub,
  org: 'county-a',
  unit: 'unit-1',
  roles: ['caseworker', 'supervisor', 'administrator'],
});

describe('issue 18: admission before any read', () => {
  for (const route of routes) {
    it(`${route.name}: refused by the limiter after reading nothing`, async () => {
      const user = hammering(`limit-${route.name}`);
      for (let i = 0; i < LIMIT; i += 1) await stack.call('listTasks', { user });
      const reply = await recorder.during(route.name, () =>
        stack.call(route.name, {
          user,
          id: !route.path.includes('{id}')
            ? undefined
            : route.path.startsWith('/tasks')
              ? `${conversationId}.r-report-1`
              : conversationId,
          body: route.method === 'GET' ? undefined : {},
          query: {},
        }),
      );
      // A malformed request may be refused for what it is before the limiter answers; either way nothing
      // beyond the counter was read or written.
      expect([429, 400]).toContain(reply.status);
      const touched = recorder.recorded().get(route.name) ?? [];
      expect(touched.map((t) => `${t.action} ${t.partitionKey}`)).toEqual([`UpdateItem RATE#${user.sub}`]);
    });
  }

  it('a well-formed export refused by the limiter reads nothing (the reviewed case)', async () => {
    const admin = hammering('limit-export');
    for (let i = 0; i < LIMIT; i += 1) await stack.call('listTasks', { user: admin });
    const reply = await recorder.during('export', () =>
      stack.call('exportRecords', { user: admin, id: randomUUID(), body: { subjectRef: 'CASE-LIMIT-1' } }),
    );
    expect([reply.status, reply.body.error.code]).toEqual([429, 'rate_limited']);
    expect(reply.headers['retry-after']).toMatch(/^\d+$/);
    expect(
      recorder
        .recorded()
        .get('export')
        ?.map((t) => t.action),
    ).toEqual(['UpdateItem']);
  });
});
