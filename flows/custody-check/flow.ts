import { answerValue, answerValues } from '../answers.ts';
import { dutiesFor } from '../duties.ts';
import type { DutyRule } from '../duty-rule.ts';
import type { FlowDefinition } from '../engine.ts';
import { type Answers, createFormFlow } from '../form/form-flow.ts';
import { fill, type Locale, localize } from '../i18n.ts';
import { assessCriteria, CONDITION_STEPS, type CriteriaAssessment, yesNoUnknown } from './criteria.ts';
import { traffickingIndicators } from './indicators.ts';
import type { CustodyCheckOutcome, IndicatorsRecorded, ParentContact } from './outcome.ts';
import { custodyCheckSteps } from './steps.ts';
import { conditionWords, criteriaLabels, noticeWords, parentContactChoices, reasonWords } from './wording.ts';

export type { CustodyCheckOutcome } from './outcome.ts';

export const CUSTODY_CHECK_FLOW_ID = 'custody-check';
/** Bumped whenever the steps change; a conversation keeps the version it started with. */
export const CUSTODY_CHECK_FLOW_VERSION = '1';

/** R-CUSTODY-1: why the criteria are met, not met or undetermined, in the screener's language. */
function criteriaReasons(assessment: CriteriaAssessment, locale: Locale): string[] {
  const { reasonableCause, conditions } = assessment;
  const reasons = [
    localize(
      {
        yes: reasonWords.reasonableCauseYes,
        no: reasonWords.reasonableCauseNo,
        unknown: reasonWords.reasonableCauseUnknown,
      }[reasonableCause],
      locale,
    ),
  ];
  const present = CONDITION_STEPS.filter((id) => conditions[id] === 'yes');
  const unsettled = CONDITION_STEPS.filter((id) => conditions[id] === 'unknown');
  if (present.length > 0) {
    for (const id of present) reasons.push(localize(conditionWords[id].present, locale));
  } else if (unsettled.length === 0) {
    reasons.push(localize(reasonWords.noCondition, locale));
  } else {
    const names = unsettled.map((id) => localize(conditionWords[id].name, locale)).join('; ');
    reasons.push(fill(localize(reasonWords.conditionsUnknown, locale), { conditions: names }));
  }
  return reasons;
}

/** R-CUSTODY-2: the contact result, which the path only holds when the child was left unattended. */
function parentContactOf(answers: Answers): ParentContact {
  const answer = answers.parent_contact;
  if (answer === undefined) return 'not_asked';
  const value = answerValue(answer);
  return value !== undefined && Object.hasOwn(parentContactChoices, value)
    ? (value as ParentContact)
    : 'unknown';
}

/** R-IND-1: the indicators chosen, in the statute's order; "none observed" is a record, not an indicator. */
function indicatorsOf(answers: Answers, locale: Locale) {
  const answer = answers.trafficking_indicators;
  const chosen = new Set(answerValues(answer));
  const indicators = traffickingIndicators
    .filter((item) => chosen.has(item.id))
    .map((item) => ({ id: item.id, citation: item.citation, label: localize(item.reason, locale) }));
  let recorded: IndicatorsRecorded;
  if (answer === undefined) recorded = 'not_asked';
  else if (answer.status !== 'answered') recorded = answer.status;
  // A contradictory "none" beside chosen indicators keeps the indicators: a sign seen outweighs a blanket "none".
  else recorded = indicators.length > 0 ? 'observed' : 'none_observed';
  return { indicators, recorded };
}

function buildOutcome(
  answers: Answers,
  startedAt: string,
  locale: Locale,
  dutyRules: readonly DutyRule[],
): CustodyCheckOutcome {
  const assessment = assessCriteria(answers);
  const leftUnattended = yesNoUnknown(answers, 'left_unattended');
  const parentContact = parentContactOf(answers);
  const commercialSex = yesNoUnknown(answers, 'commercial_sex');
  const { indicators, recorded } = indicatorsOf(answers, locale);

  const receivedValue = answerValue(answers.received_at);
  const receivedAtAssumed = receivedValue === undefined;
  // Deadlines run from the contact, never from the end of the conversation; without it the start stands in,
  // and a notice says the real deadline may be earlier.
  const informationReceivedAt = new Date(receivedValue ?? startedAt).toISOString();
  const facts = { criteria: assessment.result, leftUnattended, parentContact, commercialSex };
  const duties = dutiesFor(CUSTODY_CHECK_FLOW_ID, facts, informationReceivedAt, dutyRules, locale);

  // R-CUSTODY-3: a minor who engaged in commercial sex is a victim, routed to dependency, never charged.
  const dependencyNotice = commercialSex === 'yes' ? localize(noticeWords.notCharged, locale) : null;
  const notices: string[] = [];
  if (dependencyNotice !== null) notices.push(dependencyNotice);
  // R-CUSTODY-2: without a known contact result the notice task is not opened, so say what the law asks.
  if (leftUnattended === 'yes' && parentContact === 'unknown') {
    notices.push(localize(noticeWords.parentContactUnknown, locale));
  }
  if (assessment.result === 'undetermined') notices.push(localize(noticeWords.undetermined, locale));
  if (receivedAtAssumed && duties.length > 0) notices.push(localize(noticeWords.receivedAtAssumed, locale));

  return {
    flow: CUSTODY_CHECK_FLOW_ID,
    criteria: {
      result: assessment.result,
      label: localize(criteriaLabels[assessment.result], locale),
      reasons: criteriaReasons(assessment, locale),
      reasonableCause: assessment.reasonableCause,
      conditions: assessment.conditions,
    },
    leftUnattended,
    parentContact: {
      result: parentContact,
      label: Object.hasOwn(parentContactChoices, parentContact)
        ? localize(parentContactChoices[parentContact as keyof typeof parentContactChoices], locale)
        : null,
    },
    commercialSex: { reported: commercialSex, indicatorsRecorded: recorded, indicators },
    dependencyNotice,
    facts,
    informationReceivedAt,
    receivedAtAssumed,
    duties,
    notices,
  };
}

/**
 * The WIC § 305 custody check (R-CUSTODY-1, R-CUSTODY-2, R-CUSTODY-3, R-IND-1), built with the county's
 * duty rules; only the rules whose `flow` is `custody-check` apply.
 */
export function createCustodyCheckFlow(dutyRules: readonly DutyRule[]): FlowDefinition<CustodyCheckOutcome> {
  return createFormFlow<CustodyCheckOutcome>({
    id: CUSTODY_CHECK_FLOW_ID,
    version: CUSTODY_CHECK_FLOW_VERSION,
    steps: custodyCheckSteps,
    outcome: (answers, startedAt, locale) => buildOutcome(answers, startedAt, locale, dutyRules),
  });
}
