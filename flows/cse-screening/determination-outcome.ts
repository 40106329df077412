import { type Answer, answerValue, answerValues } from '../answers.ts';
import { Determination, dutiesFor, YesNoUnknown } from '../duties.ts';
import type { DutyRule } from '../duty-rule.ts';
import { type Locale, type LocalizedText, localize } from '../i18n.ts';
import { referralDuties, type Service } from '../services.ts';
import { concernFound, cseByLaw, type ExchangeIndicator } from './exchange.ts';
import type { ConcernLevel } from './instrument.ts';
import { countyNotices, partnerNotices } from './notices.ts';
import type { DeterminationOutcome } from './outcome.ts';
import { concernLevelNames, determinationChoices } from './wording.ts';

export interface DeterminationInputs {
  flowId: string;
  /** `partner`: a shelter's screening (R-MANDATED-1, R-HANDOFF-1); it never asks CWS or § 602 status. */
  setting: 'county' | 'partner';
  answers: Readonly<Record<string, Answer>>;
  startedAt: string;
  locale: Locale;
  proposal: { level: ConcernLevel; reasons: string[]; unansweredCount: number };
  /** R-OVERRIDE-1: read from the items the instrument flags, so an instrument without one changes nothing. */
  exchangeIndicator: ExchangeIndicator;
  dutyRules: readonly DutyRule[];
  /** The services a need becomes a referral for (R-SVC-1); empty where the flow refers nothing itself. */
  services: readonly Service[];
  /** The flow's own words for a received time it had to assume (the start of its screening or interview). */
  receivedAtAssumedNotice: LocalizedText;
}

function factsOf(inputs: DeterminationInputs, determination: Determination): Record<string, string> {
  const { answers, exchangeIndicator } = inputs;
  const shared = { determination, exchangeIndicator, cseByLaw: cseByLaw(determination, exchangeIndicator) };
  if (inputs.setting === 'partner') {
    return { ...shared, concernFound: concernFound(determination, exchangeIndicator), setting: 'partner' };
  }
  const cws = answerValue(answers.cws);
  return {
    ...shared,
    receivesChildWelfareServices: cws === undefined ? 'unknown' : YesNoUnknown.parse(cws),
    open602: answerValue(answers.open_602) ?? 'unknown',
  };
}

/**
 * The part of an outcome every flow ending in a CSE determination shares (the screening, the partner's
 * screening, and the runaway-return interview that embeds one): the screener's decision against the
 * proposal, the facts the duty rules read, the duties with their due times, and the notices that explain them.
 */
export function determinationOutcome(inputs: DeterminationInputs): DeterminationOutcome {
  const { answers, locale, proposal } = inputs;
  const determination = Determination.parse(answerValue(answers.determination));
  const overrideAnswer = answers.override_reason;
  const receivedValue = answerValue(answers.received_at);
  // R-REPORT-1: deadlines run from when the information was received; unknown falls back to the earliest
  // instant the flow can vouch for, its start, and says the real deadline may be earlier.
  const receivedAtAssumed = receivedValue === undefined;
  const informationReceivedAt = new Date(receivedValue ?? inputs.startedAt).toISOString();
  const facts = factsOf(inputs, determination);
  const duties = [
    ...dutiesFor(inputs.flowId, facts, informationReceivedAt, inputs.dutyRules, locale),
    ...referralDuties(answerValues(answers.services), inputs.services, informationReceivedAt, locale),
  ];
  const noticeFacts = {
    determination,
    exchangeIndicator: inputs.exchangeIndicator,
    cseByLaw: facts.cseByLaw!,
    receivesChildWelfareServices: facts.receivesChildWelfareServices ?? 'unknown',
    open602: facts.open602 ?? 'unknown',
  };
  const notices: string[] = [];
  if (receivedAtAssumed && duties.length > 0) notices.push(localize(inputs.receivedAtAssumedNotice, locale));
  notices.push(
    ...(inputs.setting === 'partner'
      ? partnerNotices(noticeFacts, facts.concernFound === 'yes', locale)
      : countyNotices(noticeFacts, duties, locale)),
  );
  return {
    proposal: { ...proposal, label: localize(concernLevelNames[proposal.level], locale) },
    determination,
    determinationLabel: localize(determinationChoices[determination], locale),
    override: overrideAnswer !== undefined,
    overrideReason: answerValue(overrideAnswer) ?? null,
    receivesChildWelfareServices: YesNoUnknown.parse(noticeFacts.receivesChildWelfareServices),
    facts,
    informationReceivedAt,
    receivedAtAssumed,
    duties,
    notices,
  };
}
