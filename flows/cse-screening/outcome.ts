import * as z from 'zod/mini';
import { Determination, Duty, YesNoUnknown } from '../duties.ts';
import { SCREENING_FLOW_ID } from './flow.ts';
import { ConcernLevel } from './instrument.ts';

/**
 * What a completed screening produces (R-ADMIN-1: instrument and version, indicators, proposal, the
 * screener's determination, the duties owed). The flow builds it; this schema documents it in OpenAPI.
 */
export const IndicatorAnswer = z.enum(['present', 'not_present', 'unknown', 'skipped']);

export const ScreeningOutcome = z.object({
  flow: z.literal(SCREENING_FLOW_ID),
  instrument: z.object({ id: z.string(), version: z.string() }),
  indicators: z.array(
    z.object({ id: z.string(), citation: z.string(), answer: IndicatorAnswer, note: z.optional(z.string()) }),
  ),
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
  servicesNeeded: z.array(z.object({ id: z.string(), label: z.string() })),
  informationReceivedAt: z.string(),
  receivedAtAssumed: z.boolean(),
  duties: z.array(Duty),
  notices: z.array(z.string()),
});
export type IndicatorAnswer = z.infer<typeof IndicatorAnswer>;
export type ScreeningOutcome = z.infer<typeof ScreeningOutcome>;
