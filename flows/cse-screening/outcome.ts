import * as z from 'zod/mini';
import { Determination, Duty, YesNoUnknown } from '../duties.ts';
import { SCREENING_FLOW_ID } from './flow.ts';
import { ConcernLevel } from './instrument.ts';

/**
 * What every flow that ends in a CSE determination reports (R-ADMIN-1): the screening, and the runaway-return
 * interview that embeds one (R-RUN-1). One shape for both, so the two outcomes cannot drift apart.
 */
export const determinationOutcomeShape = {
  proposal: z.object({
    level: ConcernLevel,
    label: z.string(),
    reasons: z.array(z.string()),
    unansweredCount: z.int(),
  }),
  determination: Determination,
  determinationLabel: z.string(),
  override: z.boolean(),
  overrideReason: z.nullable(z.string()),
  receivesChildWelfareServices: YesNoUnknown,
  facts: z.record(z.string(), z.string()),
  informationReceivedAt: z.string(),
  receivedAtAssumed: z.boolean(),
  duties: z.array(Duty),
  notices: z.array(z.string()),
};

export const DeterminationOutcome = z.object(determinationOutcomeShape);
export type DeterminationOutcome = z.infer<typeof DeterminationOutcome>;

export const IndicatorAnswer = z.enum(['present', 'not_present', 'unknown', 'skipped']);

/**
 * What a completed screening produces (R-ADMIN-1: instrument and version, indicators, proposal, the
 * screener's determination, the duties owed). The flow builds it; this schema documents it in OpenAPI.
 */
export const screeningOutcomeShape = {
  instrument: z.object({ id: z.string(), version: z.string() }),
  indicators: z.array(
    z.object({ id: z.string(), citation: z.string(), answer: IndicatorAnswer, note: z.optional(z.string()) }),
  ),
  servicesNeeded: z.array(z.object({ id: z.string(), label: z.string() })),
  ...determinationOutcomeShape,
};

/** What every screening produces, county or partner, before the flow adds its own id (and a partner its hand-off). */
export const ScreeningOutcomeBody = z.object(screeningOutcomeShape);
export type ScreeningOutcomeBody = z.infer<typeof ScreeningOutcomeBody>;

export const ScreeningOutcome = z.object({ flow: z.literal(SCREENING_FLOW_ID), ...screeningOutcomeShape });
export type IndicatorAnswer = z.infer<typeof IndicatorAnswer>;
export type ScreeningOutcome = z.infer<typeof ScreeningOutcome>;
