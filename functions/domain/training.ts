import { fill, type Locale, localize } from '#flows/i18n.ts';
import type { OrgProfileRecord, TrainingRecord, TrainingRequirement } from '../storage/records.ts';
import { requireCaseRole } from './access.ts';
import { ForbiddenError, UnprocessableError } from './errors.ts';
import { hasRole, type Principal } from './principal.ts';
import type { TaskServices } from './services.ts';
import type { Warning } from './views.ts';
import { domainWords } from './wording.ts';

/**
 * R-TRAIN-1: screeners' training is recorded (type, date) and a screener whose required training is missing
 * or lapsed is warned when a screening starts. It never blocks one: a youth in front of a worker is screened.
 */

/** The date a training stops counting, or null when it does not lapse. */
function lapsesOn(record: TrainingRecord, requirement: TrainingRequirement): string | null {
  if (requirement.validForMonths === undefined) return null;
  const date = new Date(`${record.completedOn}T00:00:00Z`);
  date.setUTCMonth(date.getUTCMonth() + requirement.validForMonths);
  return date.toISOString().slice(0, 10);
}

export type TrainingStanding =
  | { type: string; state: 'current'; completedOn: string; lapsesOn: string | null }
  | { type: string; state: 'lapsed'; completedOn: string; lapsedOn: string }
  | { type: string; state: 'missing' };

/** Pure: where each of the caller's required trainings stands on `today` (YYYY-MM-DD). */
export function trainingStanding(
  principal: Principal,
  requirements: readonly TrainingRequirement[],
  records: readonly TrainingRecord[],
  today: string,
): TrainingStanding[] {
  return requirements
    .filter((requirement) => hasRole(principal, ...requirement.roles))
    .map((requirement) => {
      const latest = records
        .filter((record) => record.type === requirement.type && record.completedOn <= today)
        .sort((a, b) => b.completedOn.localeCompare(a.completedOn))[0];
      if (!latest) return { type: requirement.type, state: 'missing' as const };
      const until = lapsesOn(latest, requirement);
      if (until !== null && until <= today) {
        return {
          type: requirement.type,
          state: 'lapsed' as const,
          completedOn: latest.completedOn,
          lapsedOn: until,
        };
      }
      return {
        type: requirement.type,
        state: 'current' as const,
        completedOn: latest.completedOn,
        lapsesOn: until,
      };
    });
}

export function trainingWarnings(
  principal: Principal,
  profile: OrgProfileRecord | null,
  records: readonly TrainingRecord[],
  now: Date,
  locale: Locale,
): Warning[] {
  const requirements = profile?.training ?? [];
  return trainingStanding(principal, requirements, records, now.toISOString().slice(0, 10)).flatMap(
    (standing) => {
      const requirement = requirements.find((candidate) => candidate.type === standing.type)!;
      const values = { training: requirement.label, citation: requirement.citation };
      if (standing.state === 'missing') {
        return [
          { code: 'training_missing', message: fill(localize(domainWords.trainingMissing, locale), values) },
        ];
      }
      if (standing.state === 'lapsed') {
        return [
          {
            code: 'training_lapsed',
            message: fill(localize(domainWords.trainingLapsed, locale), {
              ...values,
              lapsedOn: standing.lapsedOn,
            }),
          },
        ];
      }
      return [];
    },
  );
}

/** A user records their own training; an administrator records anyone's in the organisation. */
function mayRecordFor(principal: Principal, userId: string): boolean {
  return principal.userId === userId || hasRole(principal, 'administrator');
}

export async function recordTraining(
  services: TaskServices,
  principal: Principal,
  request: { userId: string; type: string; completedOn: string },
): Promise<{ training: TrainingRecord }> {
  if (!mayRecordFor(principal, request.userId))
    throw new ForbiddenError('Only an administrator records training for someone else.');
  const now = services.clock();
  if (request.completedOn > now.toISOString().slice(0, 10)) {
    throw new UnprocessableError('training_in_future', 'The training date is in the future.');
  }
  const training: TrainingRecord = {
    kind: 'training',
    org: principal.org,
    userId: request.userId,
    type: request.type,
    completedOn: request.completedOn,
    recordedBy: principal.userId,
    recordedAt: now.toISOString(),
  };
  await services.store.putTraining(training);
  return { training };
}

export async function listTraining(
  services: TaskServices,
  principal: Principal,
  userId: string,
): Promise<{ training: TrainingRecord[]; standing: TrainingStanding[] }> {
  if (!mayRecordFor(principal, userId))
    throw new ForbiddenError('Only an administrator reads someone else’s training.');
  if (userId === principal.userId) requireCaseRoleOrAdmin(principal);
  const [profile, training] = await Promise.all([
    services.store.getOrgProfile(principal.org),
    services.store.listTraining(principal.org, userId),
  ]);
  const subject =
    userId === principal.userId ? principal : { ...principal, userId, roles: rolesRequiredOf(profile) };
  return {
    training,
    standing: trainingStanding(
      subject,
      profile?.training ?? [],
      training,
      services.clock().toISOString().slice(0, 10),
    ),
  };
}

function requireCaseRoleOrAdmin(principal: Principal): void {
  if (!hasRole(principal, 'administrator')) requireCaseRole(principal);
}

/** An administrator reading another user's record sees every requirement: the user's roles are not on file. */
function rolesRequiredOf(profile: OrgProfileRecord | null): Principal['roles'] {
  const roles = new Set((profile?.training ?? []).flatMap((requirement) => requirement.roles));
  return roles.size > 0 ? [...roles] : ['caseworker'];
}
