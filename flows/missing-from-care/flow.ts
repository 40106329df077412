import { dutiesFor, withDetails } from '../duties.ts';
import type { DutyRule } from '../duty-rule.ts';
import type { FlowDefinition } from '../engine.ts';
import { createFormFlow } from '../form/form-flow.ts';
import { localize } from '../i18n.ts';
import { factsFrom, receivedAtFrom } from './facts.ts';
import { noticesFor } from './notices.ts';
import type { MissingFromCareOutcome } from './outcome.ts';
import { missingFromCareSteps } from './steps.ts';
import { summaryOf } from './summary.ts';
import { ncmecFlags } from './wording.ts';

export type { MissingFromCareOutcome } from './outcome.ts';

export const MISSING_FROM_CARE_FLOW_ID = 'missing-from-care';
/** Bumped whenever the steps change; a conversation keeps the version it started with. */
export const MISSING_FROM_CARE_FLOW_VERSION = '2';

/**
 * A caseworker reports a youth in care missing or abducted: the R-REPORT-2 reports (law enforcement for
 * NCIC entry, and NCMEC) and the R-RUN-2 locate task, always; a believed or at-risk CSE victim is flagged
 * on the NCMEC task; one summary to file from.
 */
export function createMissingFromCareFlow(
  dutyRules: readonly DutyRule[],
): FlowDefinition<MissingFromCareOutcome> {
  return createFormFlow<MissingFromCareOutcome>({
    id: MISSING_FROM_CARE_FLOW_ID,
    version: MISSING_FROM_CARE_FLOW_VERSION,
    steps: missingFromCareSteps,
    audience: 'professional',
    outcome: (answers, startedAt, locale) => {
      const facts = factsFrom(answers);
      const { informationReceivedAt, receivedAtAssumed } = receivedAtFrom(answers, startedAt);
      // R-REPORT-2: due times run from receipt of the information, never from the end of the conversation.
      const opened = dutiesFor(MISSING_FROM_CARE_FLOW_ID, facts, informationReceivedAt, dutyRules, locale);
      const believed =
        facts.believedCse === 'victim' || facts.believedCse === 'at_risk' ? facts.believedCse : null;
      const flag = believed === null ? [] : [localize(ncmecFlags[believed], locale)];
      const duties = withDetails(opened, 'report_missing_to_ncmec', flag);
      return {
        flow: MISSING_FROM_CARE_FLOW_ID,
        facts,
        informationReceivedAt,
        receivedAtAssumed,
        summary: summaryOf(answers, locale),
        duties,
        notices: noticesFor({ facts, receivedAtAssumed, startedAt, duties }, locale),
      };
    },
  });
}
