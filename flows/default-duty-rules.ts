import { screeningDutyRules } from './cse-screening/duty-rules.ts';
import { custodyCheckDutyRules } from './custody-check/duty-rules.ts';
import type { DutyRule } from './duty-rule.ts';
import { handoffDutyRules } from './handoff.ts';
import { missingFromCareDutyRules } from './missing-from-care/duty-rules.ts';
import { partnerScreeningDutyRules } from './partner-screening/duty-rules.ts';
import { runawayReturnDutyRules } from './runaway-return/duty-rules.ts';

/** Every flow's duty rules as shipped; a county replaces or extends this list through the catalog. */
export const defaultDutyRules: readonly DutyRule[] = [
  ...screeningDutyRules,
  ...partnerScreeningDutyRules,
  ...handoffDutyRules,
  ...missingFromCareDutyRules,
  ...runawayReturnDutyRules,
  ...custodyCheckDutyRules,
];
