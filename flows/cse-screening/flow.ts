import type { DutyRule } from '../duty-rule.ts';
import type { FlowDefinition } from '../engine.ts';
import type { LocalizedText } from '../i18n.ts';
import { defaultServiceCatalogue, type Service } from '../services.ts';
import { defaultInstrument } from './default-instrument.ts';
import { screeningDutyRules } from './duty-rules.ts';
import type { Instrument } from './instrument.ts';
import { DECISION_STEPS } from './machine.ts';
import type { ScreeningOutcome } from './outcome.ts';
import { createScreeningFlowFor } from './screening-flow.ts';
import { screeningWords } from './wording.ts';

export type { ScreeningOutcome } from './outcome.ts';

export const SCREENING_FLOW_ID = 'cse-screening';
/** Bumped whenever the machine's shape or its outcome changes; a conversation keeps the version it started with. */
export const SCREENING_FLOW_VERSION = '2';

const receivedAtAssumed = {
  en: 'The time the information was received is unknown; deadlines run from the start of this screening and the real deadline may be earlier. Report immediately.',
  es: 'Se desconoce cuándo se recibió la información; los plazos se cuentan desde el inicio de esta evaluación y el plazo real podría ser anterior. Informe de inmediato.',
} satisfies LocalizedText;

/** The county's CSE screening: the instrument, the determination, CWS and § 602 status, services, received time. */
export function createScreeningFlow(
  instrument: Instrument = defaultInstrument,
  dutyRules: readonly DutyRule[] = screeningDutyRules,
  services: readonly Service[] = defaultServiceCatalogue,
): FlowDefinition<ScreeningOutcome> {
  return createScreeningFlowFor<ScreeningOutcome>(
    {
      flowId: SCREENING_FLOW_ID,
      version: SCREENING_FLOW_VERSION,
      setting: 'county',
      decisionSteps: DECISION_STEPS,
      words: screeningWords,
      receivedAtAssumedNotice: receivedAtAssumed,
      referralServices: (catalogue) => catalogue,
      outcome: (body) => ({ flow: SCREENING_FLOW_ID, ...body }),
    },
    instrument,
    dutyRules,
    services,
  );
}
