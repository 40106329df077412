import { StaleVersionError } from '../storage/errors.ts';
import type { OrgProfileRecord, OrgSettings } from '../storage/records.ts';
import { requireRole } from './access.ts';
import { ConflictError, UnprocessableError } from './errors.ts';
import type { Principal } from './principal.ts';
import type { TaskServices } from './services.ts';

/**
 * An organisation's profile (R-ROUTE-1, R-HANDOFF-1, R-TRAIN-1): whether it is a county or a partner, where a
 * partner's concerns go, who receives each assignee role's tasks, and which trainings its roles need. Set by
 * the organisation's administrator; read by the turns that open tasks.
 */

export interface OrgProfileView {
  profile: OrgProfileRecord | null;
}

/** Anyone who works in the organisation may read how it routes: it tells them where their duties go. */
export async function getOrgProfile(services: TaskServices, principal: Principal): Promise<OrgProfileView> {
  return { profile: await services.store.getOrgProfile(principal.org) };
}

export async function putOrgSettings(
  services: TaskServices,
  principal: Principal,
  settings: OrgSettings,
  expectedVersion: number,
): Promise<OrgProfileView> {
  requireRole(principal, 'administrator');
  // A stale version is refused before anything is written; the conditional put below only guards a race.
  const current = await services.store.getOrgProfile(principal.org);
  if ((current?.version ?? 0) !== expectedVersion) throw versionConflict(current);
  if (settings.type === 'partner') {
    if (settings.handoffTo === undefined) {
      throw new UnprocessableError(
        'handoff_target_required',
        'A partner organisation names the county it hands concerns to.',
      );
    }
    // A hand-off must land in a county that exists and is one: a typo would send a child's concern nowhere.
    const county = await services.store.getOrgProfile(settings.handoffTo);
    if (county?.type !== 'county') {
      throw new UnprocessableError(
        'handoff_target_not_county',
        'The organisation named in handoffTo is not a county set up here.',
      );
    }
  }
  const profile: OrgProfileRecord = {
    ...settings,
    kind: 'org_profile',
    org: principal.org,
    version: expectedVersion + 1,
    updatedAt: services.clock().toISOString(),
    updatedBy: principal.userId,
  };
  try {
    await services.store.putOrgProfile(profile, expectedVersion);
  } catch (error) {
    if (error instanceof StaleVersionError)
      throw versionConflict(await services.store.getOrgProfile(principal.org));
    throw error;
  }
  return { profile };
}

function versionConflict(profile: OrgProfileRecord | null): ConflictError {
  return new ConflictError(
    'version_conflict',
    'The settings were changed by someone else. Here they are now.',
    {
      profile,
    },
  );
}
