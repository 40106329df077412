import { answerValue } from '../answers.ts';
import type { YesNoUnknown } from '../duties.ts';
import type { Answers } from '../form/form-flow.ts';
import type { CriteriaResult } from './outcome.ts';

/** The three immediate conditions of WIC § 305, by the id of the step that asks each one. */
export const CONDITION_STEPS = ['medical_need', 'abuse_danger', 'environment_threat'] as const;
export type ConditionStep = (typeof CONDITION_STEPS)[number];

export interface CriteriaAssessment {
  result: CriteriaResult;
  reasonableCause: YesNoUnknown;
  conditions: Record<ConditionStep, YesNoUnknown>;
}

/** "Unknown" and "skipped" weigh the same here: either way the fact is not established. */
export function yesNoUnknown(answers: Answers, stepId: string): YesNoUnknown {
  const value = answerValue(answers[stepId]);
  return value === 'yes' || value === 'no' ? value : 'unknown';
}

/**
 * R-CUSTODY-1: reasonable cause under WIC § 300 AND at least one immediate condition. A definite "no" on
 * either side settles it; otherwise an unknown answer is what stands in the way, so it stays undetermined.
 */
export function assessCriteria(answers: Answers): CriteriaAssessment {
  const reasonableCause = yesNoUnknown(answers, 'reasonable_cause');
  const conditions = Object.fromEntries(
    CONDITION_STEPS.map((id) => [id, yesNoUnknown(answers, id)]),
  ) as Record<ConditionStep, YesNoUnknown>;
  const values = Object.values(conditions);
  let result: CriteriaResult;
  if (reasonableCause === 'no' || values.every((value) => value === 'no')) result = 'not_met';
  else if (reasonableCause === 'yes' && values.includes('yes')) result = 'met';
  else result = 'undetermined';
  return { result, reasonableCause, conditions };
}
