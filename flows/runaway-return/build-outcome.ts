import { type Answer, answerValue, answerValues } from '../answers.ts';
import { concernLevelNames, determinationChoices } from '../cse-screening/wording.ts';
import { Determination, dutiesFor, YesNoUnknown } from '../duties.ts';
import type { DutyRule } from '../duty-rule.ts';
import type { Answers } from '../form/form-flow.ts';
import { fill, type Locale, type LocalizedText, localize } from '../i18n.ts';
import { defaultServiceCatalogue, referralDuties } from '../services.ts';
import { RUNAWAY_RETURN_FLOW_ID, type RunawayReturnOutcome, type SafetyAnswer } from './outcome.ts';
import { propose, reasonsFor } from './proposal.ts';
import { safetyQuestions } from './safety-questions.ts';
import {
  feltSafeChoices,
  leavingFactorChoices,
  needsNowChoices,
  outcomeNotices,
  placementHelpChoices,
  stayedChoices,
} from './wording.ts';

/** The youth's steps are never branched around, so a missing answer can only have been skipped. */
const statusOf = (answer: Answer | undefined) => answer?.status ?? 'skipped';

/** The labels go with the ids so the placement worker reads what the youth chose, in the youth's language. */
function selection(answer: Answer | undefined, words: Record<string, LocalizedText>, locale: Locale) {
  return {
    status: statusOf(answer),
    choices: answerValues(answer).map((id) => ({ id, label: words[id] ? localize(words[id], locale) : id })),
  };
}

function inOwnWords(answer: Answer | undefined) {
  return { status: statusOf(answer), text: answerValue(answer) ?? null };
}

function safetyAnswer(answer: Answer | undefined): SafetyAnswer {
  if (answer === undefined) return 'skipped';
  if (answer.status === 'answered') return answer.value === 'yes' ? 'yes' : 'no';
  return answer.status;
}

/** Built from the answers on the path taken, so an abandoned override reason never reaches the outcome. */
export function buildOutcome(
  answers: Answers,
  startedAt: string,
  locale: Locale,
  dutyRules: readonly DutyRule[],
): RunawayReturnOutcome {
  const proposal = propose(answers);
  const determination = Determination.parse(answerValue(answers.determination));
  const overrideAnswer = answers.override_reason;
  const cws = answerValue(answers.cws);
  const receivesChildWelfareServices = cws === undefined ? 'unknown' : YesNoUnknown.parse(cws);
  const receivedValue = answerValue(answers.received_at);
  // R-REPORT-1: deadlines run from when the information was received; unknown falls back to the
  // earliest instant the flow can vouch for, the start of the interview, and says so.
  const receivedAtAssumed = receivedValue === undefined;
  const informationReceivedAt = new Date(receivedValue ?? startedAt).toISOString();
  const facts = {
    determination,
    receivesChildWelfareServices,
    open602: answerValue(answers.open_602) ?? 'unknown',
  };
  const neededServices = answerValues(answers.services);
  const duties = [
    ...dutiesFor(RUNAWAY_RETURN_FLOW_ID, facts, informationReceivedAt, dutyRules, locale),
    ...referralDuties(neededServices, defaultServiceCatalogue, informationReceivedAt, locale),
  ];

  const needsNow = selection(answers.away_needs_now, needsNowChoices, locale);
  const notices: string[] = [];
  // R-PURPOSE: safety and well-being first; what the youth needs now is put in front of the interviewer.
  const pressingNeeds = needsNow.choices.filter((choice) => choice.id !== 'nothing_right_now');
  if (pressingNeeds.length > 0) {
    notices.push(
      fill(localize(outcomeNotices.needsNow, locale), {
        needs: pressingNeeds.map((choice) => choice.label).join(', '),
      }),
    );
  }
  if (receivedAtAssumed && duties.length > 0)
    notices.push(localize(outcomeNotices.receivedAtAssumed, locale));
  if (
    receivesChildWelfareServices === 'unknown' &&
    duties.some((duty) => duty.requirementId === 'R-REPORT-1')
  ) {
    notices.push(localize(outcomeNotices.cwsUnknown, locale));
  }

  return {
    flow: RUNAWAY_RETURN_FLOW_ID,
    factors: {
      chosen: selection(answers.leaving_factors, leavingFactorChoices, locale),
      anythingElse: inOwnWords(answers.leaving_anything_else),
    },
    experience: {
      stayed: selection(answers.away_stayed, stayedChoices, locale),
      feltSafe: selection(answers.away_felt_safe, feltSafeChoices, locale),
      needsNow,
    },
    whatWouldHelp: {
      chosen: selection(answers.placement_helps, placementHelpChoices, locale),
      anythingElse: inOwnWords(answers.placement_anything_else),
    },
    screening: safetyQuestions.map((question) => {
      const answer = answers[question.id];
      const note = answer?.status === 'answered' ? answer.note : undefined;
      return {
        id: question.id,
        citation: question.citation,
        answer: safetyAnswer(answer),
        ...(note === undefined ? {} : { note }),
      };
    }),
    proposal: {
      level: proposal.level,
      label: localize(concernLevelNames[proposal.level], locale),
      reasons: reasonsFor(proposal, locale),
      unansweredCount: proposal.unansweredCount,
    },
    determination,
    determinationLabel: localize(determinationChoices[determination], locale),
    override: overrideAnswer !== undefined,
    overrideReason: answerValue(overrideAnswer) ?? null,
    receivesChildWelfareServices,
    facts,
    informationReceivedAt,
    receivedAtAssumed,
    duties,
    notices,
    // R-RUN-2: the youth is back, so the locate task the missing-from-care flow opened is settled.
    closesTaskTypes: ['locate'],
  };
}
