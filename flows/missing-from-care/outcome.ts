import * as z from 'zod/mini';
import { Duty } from '../duties.ts';
import { MissingFromCareFacts } from './facts.ts';
import { MISSING_FROM_CARE_FLOW_ID } from './flow.ts';

/**
 * What a completed missing-from-care report produces (R-REPORT-2, R-RUN-2). The flow builds it; this
 * schema documents it in OpenAPI.
 */
export const AnswerStatus = z.enum(['answered', 'unknown', 'skipped']);

const elementShape = {
  /** The step that asked: the field id a sensitive value was encrypted under, which the API decrypts with. */
  promptId: z.string(),
  /** The element's name in the conversation's language. */
  label: z.string(),
  status: AnswerStatus,
  /** The value identifies the child: stored encrypted, decrypted by the API for the reader. */
  sensitive: z.boolean(),
};

/** One value exactly as answered (a time keeps the offset it was given with); `null` when not answered. */
export const SummaryValue = z.object({
  ...elementShape,
  value: z.nullable(z.string()),
  /** For a choice: the chosen label, in the conversation's language. */
  valueLabel: z.optional(z.string()),
});
export type SummaryValue = z.infer<typeof SummaryValue>;

export const SummaryChoices = z.object({
  ...elementShape,
  value: z.array(z.string()),
  valueLabels: z.array(z.string()),
});
export type SummaryChoices = z.infer<typeof SummaryChoices>;

/** Every data element the NCIC and NCMEC reports ask for, so the worker files both from one summary. */
export const MissingFromCareSummary = z.object({
  situation: SummaryValue,
  lastSeenAt: SummaryValue,
  lastSeenPlace: SummaryValue,
  physicalDescription: SummaryValue,
  endangerment: SummaryChoices,
  endangermentNote: SummaryValue,
  companionsOrVehicle: SummaryValue,
});
export type MissingFromCareSummary = z.infer<typeof MissingFromCareSummary>;

export const MissingFromCareOutcome = z.object({
  flow: z.literal(MISSING_FROM_CARE_FLOW_ID),
  facts: MissingFromCareFacts,
  informationReceivedAt: z.string(),
  /** The received time was unknown, so the conversation's start was used: the real deadline may be earlier. */
  receivedAtAssumed: z.boolean(),
  summary: MissingFromCareSummary,
  duties: z.array(Duty),
  notices: z.array(z.string()),
});
export type MissingFromCareOutcome = z.infer<typeof MissingFromCareOutcome>;
