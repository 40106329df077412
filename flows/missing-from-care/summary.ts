import type { Answer } from '../answers.ts';
import type { Answers } from '../form/form-flow.ts';
import { type Locale, type LocalizedText, localize } from '../i18n.ts';
import type { MissingFromCareSummary, SummaryChoices, SummaryValue } from './outcome.ts';
import { missingFromCareSteps, STEP } from './steps.ts';
import { endangermentChoices, situationChoices, summaryLabels } from './wording.ts';

const sensitiveSteps = new Set(missingFromCareSteps.filter((step) => step.sensitive).map((step) => step.id));

function statusOf(answer: Answer | undefined): SummaryValue['status'] {
  // Every step lies on the one path, so a completed report has no unanswered step; "skipped" is the safe reading.
  return answer?.status ?? 'skipped';
}

function element(promptId: string, label: LocalizedText, answers: Answers, locale: Locale) {
  return {
    promptId,
    label: localize(label, locale),
    status: statusOf(answers[promptId]),
    // Taken from the step itself, so the summary can never mark a field differently from how it was stored.
    sensitive: sensitiveSteps.has(promptId),
  };
}

/** A value exactly as answered: a sensitive one is still the stored token the API decrypts for the reader. */
function single(promptId: string, label: LocalizedText, answers: Answers, locale: Locale): SummaryValue {
  const answer = answers[promptId];
  const value = answer?.status === 'answered' && typeof answer.value === 'string' ? answer.value : null;
  return { ...element(promptId, label, answers, locale), value };
}

function choice(
  promptId: string,
  label: LocalizedText,
  words: Record<string, LocalizedText>,
  answers: Answers,
  locale: Locale,
): SummaryValue {
  const base = single(promptId, label, answers, locale);
  const chosen = base.value === null ? undefined : words[base.value];
  return chosen ? { ...base, valueLabel: localize(chosen, locale) } : base;
}

function choices(
  promptId: string,
  label: LocalizedText,
  words: Record<string, LocalizedText>,
  answers: Answers,
  locale: Locale,
): SummaryChoices {
  const answer = answers[promptId];
  const value = answer?.status === 'answered' ? [answer.value].flat() : [];
  return {
    ...element(promptId, label, answers, locale),
    value,
    valueLabels: value.flatMap((id) => (words[id] ? [localize(words[id], locale)] : [])),
  };
}

/** R-REPORT-2: every data element the NCIC and NCMEC reports ask for, so both can be filed from one place. */
export function summaryOf(answers: Answers, locale: Locale): MissingFromCareSummary {
  return {
    situation: choice(STEP.situation, summaryLabels.situation, situationChoices, answers, locale),
    lastSeenAt: single(STEP.lastSeenAt, summaryLabels.lastSeenAt, answers, locale),
    lastSeenPlace: single(STEP.lastSeenPlace, summaryLabels.lastSeenPlace, answers, locale),
    physicalDescription: single(STEP.physicalDescription, summaryLabels.physicalDescription, answers, locale),
    endangerment: choices(
      STEP.endangerment,
      summaryLabels.endangerment,
      endangermentChoices,
      answers,
      locale,
    ),
    endangermentNote: single(STEP.endangermentNote, summaryLabels.endangermentNote, answers, locale),
    companionsOrVehicle: single(STEP.companionsOrVehicle, summaryLabels.companionsOrVehicle, answers, locale),
  };
}
