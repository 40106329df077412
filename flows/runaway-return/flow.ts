import type { DutyRule } from '../duty-rule.ts';
import type { FlowDefinition } from '../engine.ts';
import { createFormFlow } from '../form/form-flow.ts';
import { defaultServiceCatalogue, type Service } from '../services.ts';
import { buildOutcome } from './build-outcome.ts';
import { FIRST_INTERVIEWER_STEP, interviewerSteps } from './interviewer-steps.ts';
import { RUNAWAY_RETURN_FLOW_ID, type RunawayReturnOutcome } from './outcome.ts';
import { youthSteps } from './youth-steps.ts';

export { RUNAWAY_RETURN_FLOW_ID, type RunawayReturnOutcome } from './outcome.ts';

/** Bumped whenever the steps change; a conversation keeps the version it started with. */
export const RUNAWAY_RETURN_FLOW_VERSION = '2';

/**
 * R-RUN-1, R-RUN-2: the interview with a youth who has come back to care. One section per determination
 * (what led to leaving, the time away, what would help next, a CSE screening), spoken to the youth; then
 * the interviewer's determination and what the reporting duties need. R-SVC-2: the services offered and
 * their referrals come from the county's catalogue, with its partner organisations.
 */
export function createRunawayReturnFlow(
  dutyRules: readonly DutyRule[],
  services: readonly Service[] = defaultServiceCatalogue,
): FlowDefinition<RunawayReturnOutcome> {
  return createFormFlow<RunawayReturnOutcome>({
    id: RUNAWAY_RETURN_FLOW_ID,
    version: RUNAWAY_RETURN_FLOW_VERSION,
    // The youth answers the first part in their own words; the interviewer then records what follows.
    steps: [
      ...youthSteps(FIRST_INTERVIEWER_STEP).map((step) => ({ ...step, audience: 'youth' as const })),
      ...interviewerSteps(services),
    ],
    audience: 'professional',
    outcome: (answers, startedAt, locale) => buildOutcome(answers, startedAt, locale, dutyRules, services),
  });
}
