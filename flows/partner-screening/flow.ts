import type { Answer } from '../answers.ts';
import { defaultInstrument } from '../cse-screening/default-instrument.ts';
import type { Instrument } from '../cse-screening/instrument.ts';
import { PARTNER_DECISION_STEPS } from '../cse-screening/machine.ts';
import type { ScreeningOutcomeBody } from '../cse-screening/outcome.ts';
import { createScreeningFlowFor } from '../cse-screening/screening-flow.ts';
import type { DutyRule } from '../duty-rule.ts';
import type { FlowDefinition } from '../engine.ts';
import { type Locale, localize } from '../i18n.ts';
import { defaultServiceCatalogue, type Service } from '../services.ts';
import { partnerScreeningDutyRules } from './duty-rules.ts';
import type { Handoff, PartnerScreeningOutcome } from './outcome.ts';
import { partnerWords } from './wording.ts';

export type { Handoff, PartnerScreeningOutcome } from './outcome.ts';

export const PARTNER_SCREENING_FLOW_ID = 'partner-cse-screening';
/** Bumped whenever the machine's shape or its outcome changes; a conversation keeps the version it started with. */
export const PARTNER_SCREENING_FLOW_VERSION = '1';

/** R-HANDOFF-1: labels only, built from the instrument and the catalogue, never from what staff typed. */
function handoffOf(
  body: ScreeningOutcomeBody,
  instrument: Instrument,
  answers: Readonly<Record<string, Answer>>,
  locale: Locale,
): Handoff {
  return {
    owed: body.facts.concernFound === 'yes',
    determination: body.determination,
    exchangeIndicator: body.facts.exchangeIndicator === 'present' ? 'present' : 'absent',
    indicatorsPresent: instrument.items
      .filter((item) => {
        const answer = answers[item.id];
        return answer?.status === 'answered' && answer.value === 'present';
      })
      .map((item) => ({ id: item.id, label: localize(item.reason, locale) })),
    servicesWanted: body.servicesNeeded.map(({ id, label }) => ({ id, label })),
    informationReceivedAt: body.informationReceivedAt,
  };
}

/**
 * The screening a partner organisation (a homeless-youth shelter) runs: the same instrument, proposal,
 * determination and override reason as the county's, without the questions staff cannot answer (CWS and
 * § 602 status). It opens only the shelter's own mandated-reporter tasks (R-MANDATED-1) and carries the
 * hand-off the county receives (R-HANDOFF-1).
 */
export function createPartnerScreeningFlow(
  instrument: Instrument = defaultInstrument,
  dutyRules: readonly DutyRule[] = partnerScreeningDutyRules,
  services: readonly Service[] = defaultServiceCatalogue,
): FlowDefinition<PartnerScreeningOutcome> {
  return createScreeningFlowFor<PartnerScreeningOutcome>(
    {
      flowId: PARTNER_SCREENING_FLOW_ID,
      version: PARTNER_SCREENING_FLOW_VERSION,
      setting: 'partner',
      decisionSteps: PARTNER_DECISION_STEPS,
      words: partnerWords,
      receivedAtAssumedNotice: partnerWords.receivedAtAssumed,
      // The shelter refers nothing itself: the services the youth wants go to the county in the hand-off.
      referralServices: () => [],
      outcome: (body, answers, locale) => ({
        flow: PARTNER_SCREENING_FLOW_ID,
        ...body,
        handoff: handoffOf(body, instrument, answers, locale),
      }),
    },
    instrument,
    dutyRules,
    services,
  );
}
