import type { TaskScope } from '../storage/store.ts';
import { ForbiddenError, NotFoundError } from './errors.ts';
import { hasRole, type Principal, type Role } from './principal.ts';
import { queueOwner } from './routing.ts';

/**
 * Who may see and do what. One table of rules, read by every route, so the answer to "can a shelter see
 * this?" lives in one place and one test enumerates it.
 *
 * - Every record belongs to an organisation (a county, or a partner organisation such as a shelter) and a
 *   unit inside it; nobody ever crosses organisations.
 * - Caseworkers and interviewers: the conversations they started, the tasks they own (R-ROUTE-1: routed to
 *   them, not only opened by them) and the tasks in their unit's queue.
 * - Supervisors: everything of their unit (they read conversations, and may settle the unit's tasks).
 * - Shelter staff: the screenings they did themselves and the tasks they own or that wait in their unit's
 *   queue. Issue 18: before, any shelter account read and wrote every screening of the organisation, so one
 *   leaked session exposed all of them. A concern they hand to the county becomes county records they never
 *   see; its status is on GET /handoffs (R-HANDOFF-1).
 * - Administrators: no case content at all; records requests (export, lawful erasure) and aggregate reports.
 */

/** Anything a rule can be applied to: a conversation or a task. */
export interface Owned {
  org: string;
  unit: string;
  owner: string;
}

/** The flows each role may start. Shelters screen at intake and hand the concern to the county. */
const flowsOf: Record<Role, readonly string[]> = {
  caseworker: ['cse-screening', 'missing-from-care', 'runaway-return', 'custody-check'],
  supervisor: ['cse-screening', 'missing-from-care', 'runaway-return', 'custody-check'],
  interviewer: ['runaway-return', 'cse-screening'],
  // A shelter's screening is the partner variant: it never asks what only the county can know.
  shelter_staff: ['cse-screening', 'partner-cse-screening'],
  administrator: [],
};

const CASE_ROLES: Role[] = ['caseworker', 'supervisor', 'interviewer', 'shelter_staff'];

export function mayStartFlow(principal: Principal, flowId: string): boolean {
  return principal.roles.some((role) => flowsOf[role].includes(flowId));
}

export function requireFlow(principal: Principal, flowId: string): void {
  if (!mayStartFlow(principal, flowId))
    throw new ForbiddenError('Your role cannot start this kind of conversation.');
}

function sameOrg(principal: Principal, record: Owned): boolean {
  return record.org === principal.org;
}

/** The caller's own records, and what waits in their unit's queue (conversations are never queued). */
function ownsOrQueued(principal: Principal, record: Owned): boolean {
  return record.owner === principal.userId || record.owner === queueOwner(principal.unit);
}

/** Reads of a case (a conversation, a task). */
export function maySee(principal: Principal, record: Owned): boolean {
  if (!sameOrg(principal, record)) return false;
  return principal.roles.some((role) => seesAs[role](principal, record));
}

const seesAs: Record<Role, (principal: Principal, record: Owned) => boolean> = {
  caseworker: (principal, record) => ownsOrQueued(principal, record),
  interviewer: (principal, record) => ownsOrQueued(principal, record),
  supervisor: (principal, record) => record.unit === principal.unit,
  shelter_staff: (principal, record) => ownsOrQueued(principal, record),
  administrator: () => false,
};

/** Answering in a conversation: only the screener who holds it (issue 18: no shared shelter desk). */
export function mayAnswer(principal: Principal, conversation: Owned): boolean {
  return (
    sameOrg(principal, conversation) &&
    hasRole(principal, ...CASE_ROLES) &&
    conversation.owner === principal.userId
  );
}

/** Completing or cancelling a task: whoever may see it, since the unit's supervisor may settle it too. */
export function maySettle(principal: Principal, task: Owned): boolean {
  return maySee(principal, task);
}

/** Roles that work with cases at all; others are refused before any record is read (403, not 404). */
export function requireCaseRole(principal: Principal): void {
  if (!hasRole(principal, ...CASE_ROLES)) throw new ForbiddenError();
}

export function requireRole(principal: Principal, ...roles: Role[]): void {
  if (!hasRole(principal, ...roles)) throw new ForbiddenError();
}

/**
 * Records the caller may not touch are reported exactly like missing ones, so ids reveal nothing about
 * other people's cases.
 */
export function visibleOr404<T extends Owned>(
  record: T | null,
  allowed: (principal: Principal, record: Owned) => boolean,
  principal: Principal,
  what: string,
): T {
  if (!record || !allowed(principal, record)) throw new NotFoundError(what);
  return record;
}

/**
 * For an action on a record: a record the caller cannot even see is not found (404); one they can see
 * but may not change (a supervisor reading a caseworker's conversation) is forbidden (403).
 */
export function actionableOr404<T extends Owned>(
  record: T | null,
  allowed: (principal: Principal, record: Owned) => boolean,
  principal: Principal,
  what: string,
): T {
  const found = visibleOr404(record, (p, r) => maySee(p, r) || allowed(p, r), principal, what);
  if (!allowed(principal, found)) throw new ForbiddenError('Your role can read this but not change it.');
  return found;
}

/** The task list a caller gets: the widest scope any of their roles allows. */
export function taskScopeOf(principal: Principal): TaskScope {
  if (hasRole(principal, 'supervisor')) return { unit: principal.unit };
  return { owners: [principal.userId, queueOwner(principal.unit)] };
}

/** Taking a task from the unit's queue: a member of that unit who may see it, never a stand-in's claim. */
export function mayClaim(principal: Principal, task: Owned): boolean {
  return (
    maySee(principal, task) &&
    task.owner === queueOwner(task.unit) &&
    principal.unit === task.unit &&
    hasRole(principal, 'caseworker', 'interviewer', 'supervisor')
  );
}
