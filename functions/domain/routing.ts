import type { AssigneeRole } from '#flows/duties.ts';
import type { OrgProfileRecord, Route } from '../storage/records.ts';

/**
 * R-ROUTE-1: a duty belongs to the person or unit the law names, not to whoever was at the keyboard. An
 * assignee role resolves, through the organisation's routing, to an owner: a user id, a unit's queue
 * (`queue:<unit>`, which the unit's members see and may claim) or the supervisors of a unit
 * (`supervisors:<unit>`). User ids never contain `:`, so the three cannot be confused.
 */

export const queueOwner = (unit: string) => `queue:${unit}`;
export const supervisorsOwner = (unit: string) => `supervisors:${unit}`;

export function isQueueOwner(owner: string): boolean {
  return owner.startsWith('queue:');
}

export function isSupervisorsOwner(owner: string): boolean {
  return owner.startsWith('supervisors:');
}

/** The county's intake unit when its profile names none: a queue any county can create users in. */
export const DEFAULT_INTAKE_UNIT = 'intake';

export interface Owner {
  owner: string;
  unit: string;
}

/** Who ran the conversation, when there is one in this organisation (a hand-off has none in the county). */
export interface Screener {
  userId: string;
  unit: string;
}

export interface Resolved extends Owner {
  /** Set when the organisation names no route for the role and the task went to a stand-in. */
  fallback?: 'no_route_configured';
}

/** Where an unconfigured role goes: the reports to the screener (usually the youth's caseworker). */
const defaultRoutes: Record<AssigneeRole, Route | null> = {
  screener: { to: 'screener' },
  caseworker: { to: 'screener' },
  supervisor: { to: 'supervisors' },
  // These two name someone other than the screener: without a route, the task is flagged as a stand-in.
  placement_worker: null,
  county_intake: null,
};

function intakeOf(profile: OrgProfileRecord | null): Owner {
  const route = profile?.routes?.county_intake;
  if (route?.to === 'user') return { owner: route.userId, unit: route.unit };
  const unit = route?.to === 'queue' ? route.unit : DEFAULT_INTAKE_UNIT;
  return { owner: queueOwner(unit), unit };
}

function apply(route: Route, profile: OrgProfileRecord | null, screener: Screener | null): Owner {
  switch (route.to) {
    case 'user':
      return { owner: route.userId, unit: route.unit };
    case 'queue':
      return { owner: queueOwner(route.unit), unit: route.unit };
    case 'supervisors': {
      const unit = screener?.unit ?? intakeOf(profile).unit;
      return { owner: supervisorsOwner(unit), unit };
    }
    case 'screener':
      // A hand-off has no screener in the county: what would have been theirs goes to intake.
      return screener ? { owner: screener.userId, unit: screener.unit } : intakeOf(profile);
  }
}

/** Resolves one assignee role in one organisation. Pure: the profile is read once per turn by the caller. */
export function resolveOwner(
  role: AssigneeRole,
  profile: OrgProfileRecord | null,
  screener: Screener | null,
): Resolved {
  const configured = profile?.routes?.[role];
  if (configured) return apply(configured, profile, screener);
  const fallback = defaultRoutes[role];
  if (fallback) return apply(fallback, profile, screener);
  if (role === 'county_intake' && (profile !== null || screener === null)) return intakeOf(profile);
  // No placement worker (or, for an unconfigured organisation, no intake) is named: the screener stands in
  // and the reply says so, so the duty is never orphaned.
  return { ...apply({ to: 'screener' }, profile, screener), fallback: 'no_route_configured' };
}
