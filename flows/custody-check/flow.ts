import { answerValue, answerValues } from '../answers.ts';
import { type Duty, dutiesFor } from '../duties.ts';
import type { DutyRule } from '../duty-rule.ts';
import type { FlowDefinition } from '../engine.ts';
import { type Answers, createFormFlow } from '../form/form-flow.ts';
import { fill, type Locale, localize } from '../i18n.ts';
import { assessCriteria, CONDITION_STEPS, type CriteriaAssessment, yesNoUnknown } from './criteria.ts';
import { OFFICER_NOTICE_DUTY_FLOW } from './duty-rules.ts';
import { traffickingIndicators } from './indicators.ts';
import type { CustodyCheckOutcome, IndicatorsRecorded, ParentContact } from './outcome.ts';
import { custodyCheckSteps } from './steps.ts';
import { conditionWords, criteriaLabels, noticeWords, parentContactChoices, reasonWords } from './wording.ts';

export type { CustodyCheckOutcome } from './outcome.ts';

export const CUSTODY_CHECK_FLOW_ID = 'custody-check';
/** Bumped whenever the steps change; a conversation keeps the version it started with. */
export const CUSTODY_CHECK_FLOW_VERSION = '2';

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

/** R-CUSTODY-2: the officer's notice, on the path only when the contact result calls for one. */
function officerNoticeOf(answers: Answers) {
  if (answers.officer_name === undefined) return null;
  return {
    officer: answerValue(answers.officer_name) ?? null,
    agency: answerValue(answers.officer_agency) ?? null,
    noticeAt: answerValue(answers.officer_notice_at) ?? null,
  };
}

interface Situation {
  facts: Record<string, string>;
  parentContact: ParentContact;
  officerNotice: ReturnType<typeof officerNoticeOf>;
  receivedAtAssumed: boolean;
  duties: readonly Duty[];
}

/** Why a duty the officer or caseworker may expect was opened on an unknown, or not opened at all. */
function noticesFor(
  { facts, parentContact, officerNotice, receivedAtAssumed, duties }: Situation,
  locale: Locale,
) {
  const say = (key: keyof typeof noticeWords) => localize(noticeWords[key], locale);
  const notices: string[] = [];
  // R-CUSTODY-3: a minor who engaged in commercial sex is a victim, referred to child welfare, never charged.
  if (facts.commercialSex === 'yes') notices.push(say('notCharged'));
  // R-CUSTODY-2: without a known contact result no notice is recorded, so say what the law asks.
  if (facts.leftUnattended === 'yes' && parentContact === 'unknown')
    notices.push(say('parentContactUnknown'));
  if (parentContact === 'can_assume_custody') notices.push(say('releaseToParent'));
  if (officerNotice && officerNotice.noticeAt === null) notices.push(say('noticeTimeUnknown'));
  // R-REPORT-1
  if (
    facts.receivesChildWelfareServices === 'unknown' &&
    duties.some((d) => d.requirementId === 'R-REPORT-1')
  )
    notices.push(say('cwsUnknown'));
  if (facts.receivesChildWelfareServices === 'no') notices.push(say('notInCws'));
  // R-CUSTODY-4
  if (facts.custodyTaken === 'unknown') notices.push(say('custodyUnknown'));
  if (facts.custodyTaken === 'no' && facts.criteria === 'met') notices.push(say('notInCustody'));
  if (facts.criteria === 'undetermined') notices.push(say('undetermined'));
  if (receivedAtAssumed && duties.length > 0) notices.push(say('receivedAtAssumed'));
  return notices;
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
  const receivesChildWelfareServices = answers.cws === undefined ? 'not_asked' : yesNoUnknown(answers, 'cws');
  const custodyTaken = yesNoUnknown(answers, 'custody_taken');
  const officerNotice = officerNoticeOf(answers);

  const receivedValue = answerValue(answers.received_at);
  const receivedAtAssumed = receivedValue === undefined;
  // Deadlines run from the contact, never from the end of the conversation; without it the start stands in,
  // and a notice says the real deadline may be earlier.
  const informationReceivedAt = new Date(receivedValue ?? startedAt).toISOString();
  // R-CUSTODY-2: the county's response runs from the officer's notice; unknown, from the contact.
  const noticeAt = new Date(officerNotice?.noticeAt ?? informationReceivedAt).toISOString();
  const facts = {
    criteria: assessment.result,
    leftUnattended,
    parentContact,
    commercialSex,
    receivesChildWelfareServices,
    custodyTaken,
  };
  const duties = [
    ...dutiesFor(OFFICER_NOTICE_DUTY_FLOW, facts, noticeAt, dutyRules, locale),
    ...dutiesFor(CUSTODY_CHECK_FLOW_ID, facts, informationReceivedAt, dutyRules, locale),
  ];
  const notices = noticesFor({ facts, parentContact, officerNotice, receivedAtAssumed, duties }, locale);

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
    officerNotice,
    commercialSex: { reported: commercialSex, indicatorsRecorded: recorded, indicators },
    receivesChildWelfareServices,
    custodyTaken,
    referralNotice: commercialSex === 'yes' ? localize(noticeWords.notCharged, locale) : null,
    facts,
    informationReceivedAt,
    receivedAtAssumed,
    duties,
    notices,
  };
}

/**
 * The WIC § 305 custody check (R-CUSTODY-1..4, R-REPORT-1, R-IND-1), built with the county's duty rules;
 * the rules whose `flow` is `custody-check` (from the contact) or `custody-officer-notice` (from the
 * officer's notice to the county) apply.
 */
export function createCustodyCheckFlow(dutyRules: readonly DutyRule[]): FlowDefinition<CustodyCheckOutcome> {
  return createFormFlow<CustodyCheckOutcome>({
    id: CUSTODY_CHECK_FLOW_ID,
    version: CUSTODY_CHECK_FLOW_VERSION,
    steps: custodyCheckSteps,
    audience: 'professional',
    outcome: (answers, startedAt, locale) => buildOutcome(answers, startedAt, locale, dutyRules),
  });
}
