import { dutiesFor } from '../duties.ts';
import type { DutyRule } from '../duty-rule.ts';
import type { FlowDefinition } from '../engine.ts';
import { createFormFlow } from '../form/form-flow.ts';
import { factsFrom, receivedAtFrom } from './facts.ts';
import { noticesFor } from './notices.ts';
import type { MissingFromCareOutcome } from './outcome.ts';
import { missingFromCareSteps } from './steps.ts';
import { summaryOf } from './summary.ts';

export type { MissingFromCareOutcome } from './outcome.ts';

export const MISSING_FROM_CARE_FLOW_ID = 'missing-from-care';
/** Bumped whenever the steps change; a conversation keeps the version it started with. */
export const MISSING_FROM_CARE_FLOW_VERSION = '1';

/**
 * A caseworker reports a youth in care missing or abducted: the R-REPORT-2 reports (law enforcement for
 * NCIC entry, and NCMEC) when they are owed, the R-RUN-2 locate task always, and one summary to file from.
 */
export function createMissingFromCareFlow(
  dutyRules: readonly DutyRule[],
): FlowDefinition<MissingFromCareOutcome> {
  return createFormFlow<MissingFromCareOutcome>({
    id: MISSING_FROM_CARE_FLOW_ID,
    version: MISSING_FROM_CARE_FLOW_VERSION,
    steps: missingFromCareSteps,
    outcome: (answers, startedAt, locale) => {
      const facts = factsFrom(answers);
      const { informationReceivedAt, receivedAtAssumed } = receivedAtFrom(answers, startedAt);
      // R-REPORT-2: due times run from receipt of the information, never from the end of the conversation.
      const duties = dutiesFor(MISSING_FROM_CARE_FLOW_ID, facts, informationReceivedAt, dutyRules, locale);
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
