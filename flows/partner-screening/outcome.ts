import * as z from 'zod/mini';
import { screeningOutcomeShape } from '../cse-screening/outcome.ts';
import { Determination } from '../duties.ts';
import { PARTNER_SCREENING_FLOW_ID } from './flow.ts';

const Labelled = z.object({ id: z.string(), label: z.string() });

/**
 * R-HANDOFF-1: exactly what the county needs from a partner's screening, and nothing else: no notes, no free
 * text, no override reason, no answers. Labels are in the conversation's language.
 */
export const Handoff = z.object({
  /** True when the determination is identified or at risk, or the exchange indicator is present. */
  owed: z.boolean(),
  determination: Determination,
  /** R-OVERRIDE-1: the county's R-REPORT-1 reads it (`handoffDuties`). */
  exchangeIndicator: z.enum(['present', 'absent']),
  indicatorsPresent: z.array(Labelled),
  servicesWanted: z.array(Labelled),
  /** When the partner received the information; the county's own duties run from when it receives the hand-off. */
  informationReceivedAt: z.string(),
});
export type Handoff = z.infer<typeof Handoff>;

/** A partner's screening: everything a screening produces, plus the hand-off to the county. */
export const PartnerScreeningOutcome = z.object({
  flow: z.literal(PARTNER_SCREENING_FLOW_ID),
  ...screeningOutcomeShape,
  handoff: Handoff,
});
export type PartnerScreeningOutcome = z.infer<typeof PartnerScreeningOutcome>;
