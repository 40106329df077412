import * as z from 'zod/mini';
import { Duty, YesNoUnknown } from '../duties.ts';
import { CUSTODY_CHECK_FLOW_ID } from './flow.ts';

/**
 * What a completed custody check produces. The flow builds it (and tsc holds the two together through
 * the inferred type); this schema documents it in OpenAPI.
 */

/** R-CUSTODY-1: `undetermined` when unknown or skipped answers are what prevent a decision. */
export const CriteriaResult = z.enum(['met', 'not_met', 'undetermined']);

/** R-CUSTODY-2: `not_asked` when the child was not reported as left unattended. */
export const ParentContact = z.enum([
  'can_assume_custody',
  'cannot_assume_custody',
  'could_not_contact',
  'unknown',
  'not_asked',
]);

/** R-IND-1: `not_asked` when commercial sex was not reported. */
export const IndicatorsRecorded = z.enum(['observed', 'none_observed', 'unknown', 'skipped', 'not_asked']);

export const CustodyCheckOutcome = z.object({
  flow: z.literal(CUSTODY_CHECK_FLOW_ID),
  criteria: z.object({
    result: CriteriaResult,
    label: z.string(),
    reasons: z.array(z.string()),
    reasonableCause: YesNoUnknown,
    conditions: z.object({
      medical_need: YesNoUnknown,
      abuse_danger: YesNoUnknown,
      environment_threat: YesNoUnknown,
    }),
  }),
  leftUnattended: YesNoUnknown,
  parentContact: z.object({ result: ParentContact, label: z.nullable(z.string()) }),
  /**
   * R-CUSTODY-2: the officer's notice to the county, as answered (`null` for a field not answered), or `null`
   * when no notice is owed (the child was not left unattended, or the parent was reached and can take custody).
   */
  officerNotice: z.nullable(
    z.object({
      officer: z.nullable(z.string()),
      agency: z.nullable(z.string()),
      noticeAt: z.nullable(z.string()),
    }),
  ),
  commercialSex: z.object({
    reported: YesNoUnknown,
    indicatorsRecorded: IndicatorsRecorded,
    indicators: z.array(z.object({ id: z.string(), citation: z.string(), label: z.string() })),
  }),
  /** R-REPORT-1: asked only when commercial sex was reported. */
  receivesChildWelfareServices: z.enum(['yes', 'no', 'unknown', 'not_asked']),
  /** R-CUSTODY-4 */
  custodyTaken: YesNoUnknown,
  /**
   * R-CUSTODY-3: not charged; referred to child welfare for assessment (dependency may apply) and a CSE
   * screening. Also the first of `notices`.
   */
  referralNotice: z.nullable(z.string()),
  facts: z.record(z.string(), z.string()),
  informationReceivedAt: z.string(),
  receivedAtAssumed: z.boolean(),
  duties: z.array(Duty),
  notices: z.array(z.string()),
});
export type CriteriaResult = z.infer<typeof CriteriaResult>;
export type ParentContact = z.infer<typeof ParentContact>;
export type IndicatorsRecorded = z.infer<typeof IndicatorsRecorded>;
export type CustodyCheckOutcome = z.infer<typeof CustodyCheckOutcome>;
