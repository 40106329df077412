import { type Answer, answerValue, answerValues } from '../answers.ts';
import { determinationOutcome } from '../cse-screening/determination-outcome.ts';
import type { DutyRule } from '../duty-rule.ts';
import type { Answers } from '../form/form-flow.ts';
import { fill, type Locale, type LocalizedText, localize } from '../i18n.ts';
import { defaultServiceCatalogue } from '../services.ts';
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
  const decided = determinationOutcome({
    flowId: RUNAWAY_RETURN_FLOW_ID,
    answers,
    startedAt,
    locale,
    proposal: {
      level: proposal.level,
      reasons: reasonsFor(proposal, locale),
      unansweredCount: proposal.unansweredCount,
    },
    dutyRules,
    services: defaultServiceCatalogue,
    receivedAtAssumedNotice: outcomeNotices.receivedAtAssumed,
  });

  const needsNow = selection(answers.away_needs_now, needsNowChoices, locale);
  // R-PURPOSE: safety and well-being first; what the youth needs now is put in front of the interviewer.
  const pressingNeeds = needsNow.choices.filter((choice) => choice.id !== 'nothing_right_now');
  const needsNotices =
    pressingNeeds.length > 0
      ? [
          fill(localize(outcomeNotices.needsNow, locale), {
            needs: pressingNeeds.map((choice) => choice.label).join(', '),
          }),
        ]
      : [];

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
    ...decided,
    notices: [...needsNotices, ...decided.notices],
    // R-RUN-2: the youth is back, so the locate task the missing-from-care flow opened is settled.
    closesTaskTypes: ['locate'],
  };
}
