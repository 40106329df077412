import { type Answer, answerValue, answerValues } from '../answers.ts';
import { Determination, dutiesFor, YesNoUnknown } from '../duties.ts';
import type { DutyRule } from '../duty-rule.ts';
import { type Locale, type LocalizedText, localize } from '../i18n.ts';
import { referralDuties, type Service } from '../services.ts';
import type { ConcernLevel } from './instrument.ts';
import type { DeterminationOutcome } from './outcome.ts';
import { concernLevelNames, determinationChoices } from './wording.ts';

const cwsUnknownNotice: LocalizedText = {
  en: 'Whether the youth receives child welfare services is unknown, so the law enforcement report was opened anyway. If it is not owed, cancel it with the reason.',
  es: 'Se desconoce si el joven recibe servicios de bienestar infantil, por lo que el informe a la policía se abrió de todos modos. Si no corresponde, cancélelo indicando el motivo.',
};

export interface DeterminationInputs {
  flowId: string;
  answers: Readonly<Record<string, Answer>>;
  startedAt: string;
  locale: Locale;
  proposal: { level: ConcernLevel; reasons: string[]; unansweredCount: number };
  dutyRules: readonly DutyRule[];
  services: readonly Service[];
  /** The flow's own words for a received time it had to assume (the start of its screening or interview). */
  receivedAtAssumedNotice: LocalizedText;
}

/**
 * The part of an outcome every flow ending in a CSE determination shares (the screening, and the
 * runaway-return interview that embeds one): the screener's decision against the proposal, the facts the
 * duty rules read, the duties with their due times, and the notices that explain them.
 */
export function determinationOutcome(inputs: DeterminationInputs): DeterminationOutcome {
  const { answers, locale, proposal } = inputs;
  const determination = Determination.parse(answerValue(answers.determination));
  const overrideAnswer = answers.override_reason;
  const cws = answerValue(answers.cws);
  const receivesChildWelfareServices = cws === undefined ? 'unknown' : YesNoUnknown.parse(cws);
  const receivedValue = answerValue(answers.received_at);
  // R-REPORT-1: deadlines run from when the information was received; unknown falls back to the earliest
  // instant the flow can vouch for, its start, and says the real deadline may be earlier.
  const receivedAtAssumed = receivedValue === undefined;
  const informationReceivedAt = new Date(receivedValue ?? inputs.startedAt).toISOString();
  const facts = {
    determination,
    receivesChildWelfareServices,
    open602: answerValue(answers.open_602) ?? 'unknown',
  };
  const duties = [
    ...dutiesFor(inputs.flowId, facts, informationReceivedAt, inputs.dutyRules, locale),
    ...referralDuties(answerValues(answers.services), inputs.services, informationReceivedAt, locale),
  ];
  const notices: string[] = [];
  if (receivedAtAssumed && duties.length > 0) notices.push(localize(inputs.receivedAtAssumedNotice, locale));
  if (
    receivesChildWelfareServices === 'unknown' &&
    duties.some((duty) => duty.requirementId === 'R-REPORT-1')
  ) {
    notices.push(localize(cwsUnknownNotice, locale));
  }
  return {
    proposal: { ...proposal, label: localize(concernLevelNames[proposal.level], locale) },
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
  };
}
