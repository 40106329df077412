import { StaleVersionError } from '#functions/storage/errors.ts';
import type { OrgProfileRecord, OrgSettings } from '#functions/storage/records.ts';
import type { Store } from '#functions/storage/store.ts';

/**
 * The demo's organisations (R-ROUTE-1, R-HANDOFF-1, R-TRAIN-1): one county whose roles route to the demo
 * users, and two shelters that hand their concerns to it and must never see each other's records.
 * An administrator changes these through POST /organisation; these are only the starting point.
 */
export const demoOrganisations: Record<string, OrgSettings> = {
  'demo-county': {
    name: 'Demo County Child Welfare Services',
    type: 'county',
    locale: 'en',
    routes: {
      screener: { to: 'screener' },
      caseworker: { to: 'screener' },
      placement_worker: { to: 'user', userId: 'demo-placement', unit: 'placement' },
      county_intake: { to: 'queue', unit: 'intake' },
      supervisor: { to: 'supervisors' },
    },
    training: [
      {
        type: 'cse_identification',
        label: 'Identifying and responding to commercially sexually exploited children',
        roles: ['caseworker', 'supervisor', 'interviewer'],
        validForMonths: 24,
        citation: 'Welf. & Inst. Code § 16524.7; renewal every 24 months is county policy',
        basis: 'policy',
      },
    ],
  },
  'demo-shelter': {
    name: 'Harbor Youth Shelter',
    type: 'partner',
    handoffTo: 'demo-county',
    contact: 'Intake desk, (555) 010-0100',
    training: [
      {
        type: 'mandated_reporter',
        label: 'Mandated reporter training',
        roles: ['shelter_staff'],
        validForMonths: 24,
        citation: 'Penal Code § 11165.7',
        basis: 'policy',
      },
    ],
  },
  'demo-shelter-2': {
    name: 'Northside Drop-in Center',
    type: 'partner',
    handoffTo: 'demo-county',
    contact: 'Front desk, (555) 010-0200',
  },
};

/** Writes each demo organisation that is not there yet; an administrator's later changes are kept. */
export async function seedDemoOrganisations(store: Store, now: Date): Promise<void> {
  // The county first: a partner's settings name it.
  for (const [org, settings] of Object.entries(demoOrganisations)) {
    const profile: OrgProfileRecord = {
      ...settings,
      kind: 'org_profile',
      org,
      version: 1,
      updatedAt: now.toISOString(),
      updatedBy: 'seed',
    };
    try {
      await store.putOrgProfile(profile, 0);
    } catch (error) {
      if (!(error instanceof StaleVersionError)) throw error;
    }
  }
}
