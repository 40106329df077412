import * as z from 'zod/mini';
import { determinationOutcomeShape } from '../cse-screening/outcome.ts';

export const RUNAWAY_RETURN_FLOW_ID = 'runaway-return';

const AnswerStatus = z.enum(['answered', 'unknown', 'skipped']);

/** The choices made, with the labels the youth saw (in the conversation's language). */
const Selection = z.object({
  status: AnswerStatus,
  choices: z.array(z.object({ id: z.string(), label: z.string() })),
});

const InOwnWords = z.object({ status: AnswerStatus, text: z.nullable(z.string()) });

export const SafetyAnswer = z.enum(['yes', 'no', 'unknown', 'skipped']);

/**
 * What a completed runaway-return interview produces: the four R-RUN-2 determinations, the embedded CSE
 * screening (R-RUN-1) with its proposal and the interviewer's determination (R-ADMIN-1), and the duties
 * owed. The flow builds it; this schema documents it in OpenAPI.
 */
export const RunawayReturnOutcome = z.object({
  flow: z.literal(RUNAWAY_RETURN_FLOW_ID),
  /** R-RUN-2: the primary factors that contributed to the absence. */
  factors: z.object({ chosen: Selection, anythingElse: InOwnWords }),
  /** R-RUN-2: the youth's experience while absent. */
  experience: z.object({ stayed: Selection, feltSafe: Selection, needsNow: Selection }),
  /** R-RUN-2: what would help in the next placement. */
  whatWouldHelp: z.object({ chosen: Selection, anythingElse: InOwnWords }),
  /** R-RUN-1: the CSE screening questions as the youth answered them. */
  screening: z.array(
    z.object({ id: z.string(), citation: z.string(), answer: SafetyAnswer, note: z.optional(z.string()) }),
  ),
  ...determinationOutcomeShape,
  /** The youth is back, so their open `locate` task (R-RUN-2, opened by the missing-from-care flow) is settled. */
  closesTaskTypes: z.tuple([z.literal('locate')]),
});
export type SafetyAnswer = z.infer<typeof SafetyAnswer>;
export type RunawayReturnOutcome = z.infer<typeof RunawayReturnOutcome>;
