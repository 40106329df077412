import { describe, expect, it } from 'vitest';
import { queueOwner, resolveOwner, supervisorsOwner } from '#functions/domain/routing.ts';
import type { OrgProfileRecord } from '#functions/storage/records.ts';

const profile = (routes: OrgProfileRecord['routes']): OrgProfileRecord => ({
  kind: 'org_profile',
  org: 'county-x',
  name: 'County X',
  type: 'county',
  routes,
  version: 1,
  updatedAt: '2026-12-01T00:00:00.000Z',
  updatedBy: 'admin',
});

const screener = { userId: 'cw-1', unit: 'unit-1' };

describe('R-ROUTE-1: an assignee role resolves to an owner, never simply the keyboard', () => {
  it('R-ROUTE-1: configured routes are followed: a user, a queue, the supervisors of the screener’s unit', () => {
    const routed = profile({
      placement_worker: { to: 'user', userId: 'pw-1', unit: 'placement' },
      county_intake: { to: 'queue', unit: 'front-door' },
      supervisor: { to: 'supervisors' },
    });
    expect(resolveOwner('placement_worker', routed, screener)).toEqual({ owner: 'pw-1', unit: 'placement' });
    expect(resolveOwner('county_intake', routed, screener)).toEqual({
      owner: queueOwner('front-door'),
      unit: 'front-door',
    });
    expect(resolveOwner('supervisor', routed, screener)).toEqual({
      owner: supervisorsOwner('unit-1'),
      unit: 'unit-1',
    });
    expect(resolveOwner('caseworker', routed, screener)).toEqual({ owner: 'cw-1', unit: 'unit-1' });
  });

  it('R-ROUTE-1: a role nobody is named for falls to the screener as a stand-in, flagged', () => {
    expect(resolveOwner('placement_worker', null, screener)).toEqual({
      owner: 'cw-1',
      unit: 'unit-1',
      fallback: 'no_route_configured',
    });
    // A county that has a profile but names no intake has the default intake queue.
    expect(resolveOwner('county_intake', profile({}), screener)).toEqual({
      owner: queueOwner('intake'),
      unit: 'intake',
    });
  });

  it('R-HANDOFF-1: with no screener in the county (a hand-off), everything the screener would hold goes to intake', () => {
    const routed = profile({ county_intake: { to: 'user', userId: 'in-1', unit: 'intake' } });
    expect(resolveOwner('caseworker', routed, null)).toEqual({ owner: 'in-1', unit: 'intake' });
    expect(resolveOwner('screener', routed, null)).toEqual({ owner: 'in-1', unit: 'intake' });
    expect(resolveOwner('supervisor', routed, null)).toEqual({
      owner: supervisorsOwner('intake'),
      unit: 'intake',
    });
  });
});
