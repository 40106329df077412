import { type Answer, answerValue, answerValues } from '../answers.ts';
import { determinationOutcome } from '../cse-screening/determination-outcome.ts';
import { exchangeIndicatorOf } from '../cse-screening/exchange.ts';
import { withDetails } from '../duties.ts';
import type { DutyRule } from '../duty-rule.ts';
import type { Answers } from '../form/form-flow.ts';
import { fill, type Locale, type LocalizedText, localize } from '../i18n.ts';
import type { Service } from '../services.ts';
import { RUNAWAY_RETURN_FLOW_ID, type RunawayReturnOutcome, type SafetyAnswer } from './outcome.ts';
import { propose, reasonsFor } from './proposal.ts';
import { safetyQuestions } from './safety-questions.ts';
import {
  feltSafeChoices,
  leavingFactorChoices,
  needsNowChoices,
  outcomeNotices,
  placementDetails,
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

/**
 * R-RUN-2, R-ROUTE-1: the placement worker's task carries what the youth chose, as the labels they saw.
 * Never the youth's own words: those are sealed answers, and the task goes to someone else.
 */
function placementLines(factors: Selection, helps: Selection, locale: Locale): string[] {
  const line = (template: LocalizedText, chosen: Selection) =>
    chosen.choices.length === 0
      ? []
      : [
          fill(localize(template, locale), {
            labels: chosen.choices.map((choice) => choice.label).join(', '),
          }),
        ];
  return [...line(placementDetails.factors, factors), ...line(placementDetails.helps, helps)];
}

type Selection = ReturnType<typeof selection>;

const exchangeIds = safetyQuestions
  .filter((question) => question.exchangeIndicator)
  .map((question) => question.id);

/** Built from the answers on the path taken, so an abandoned override reason never reaches the outcome. */
export function buildOutcome(
  answers: Answers,
  startedAt: string,
  locale: Locale,
  dutyRules: readonly DutyRule[],
  services: readonly Service[],
): RunawayReturnOutcome {
  const proposal = propose(answers);
  const decided = determinationOutcome({
    flowId: RUNAWAY_RETURN_FLOW_ID,
    setting: 'county',
    answers,
    startedAt,
    locale,
    proposal: {
      level: proposal.level,
      reasons: reasonsFor(proposal, locale),
      unansweredCount: proposal.unansweredCount,
    },
    exchangeIndicator: exchangeIndicatorOf(answers, exchangeIds, 'yes'),
    dutyRules,
    services,
    receivedAtAssumedNotice: outcomeNotices.receivedAtAssumed,
  });
  const factors = selection(answers.leaving_factors, leavingFactorChoices, locale);
  const helps = selection(answers.placement_helps, placementHelpChoices, locale);

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
      chosen: factors,
      anythingElse: inOwnWords(answers.leaving_anything_else),
    },
    experience: {
      stayed: selection(answers.away_stayed, stayedChoices, locale),
      feltSafe: selection(answers.away_felt_safe, feltSafeChoices, locale),
      needsNow,
    },
    whatWouldHelp: {
      chosen: helps,
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
    duties: withDetails(decided.duties, 'respond_in_placement', placementLines(factors, helps, locale)),
    notices: [...needsNotices, ...decided.notices],
    // R-RUN-2: the youth is back, so the locate task the missing-from-care flow opened is settled.
    closesTaskTypes: ['locate'],
  };
}
