import * as z from 'zod/mini';
// Aliased: biome reads a bare `answerValue` binding as shadowing Object.prototype.valueOf.
import { answerValue as answeredValue } from '../answers.ts';
import { YesNoUnknown } from '../duties.ts';
import type { Answers } from '../form/form-flow.ts';
import { STEP } from './steps.ts';

export const Situation = z.enum(['missing', 'abducted', 'unknown']);
export type Situation = z.infer<typeof Situation>;

/** R-REPORT-2 turns on a reasonable belief, not on a determination: "victim" or "at risk" both count. */
export const BelievedCse = z.enum(['victim', 'at_risk', 'no', 'unknown']);
export type BelievedCse = z.infer<typeof BelievedCse>;

/** The facts the duty rules read; anything not answered is "unknown", which the rules treat as owed. */
export const MissingFromCareFacts = z.object({
  receivesChildWelfareServices: YesNoUnknown,
  believedCse: BelievedCse,
  situation: Situation,
});
export type MissingFromCareFacts = z.infer<typeof MissingFromCareFacts>;

function factOf<T extends string>(schema: z.ZodMiniType<T>, value: string | undefined): T | 'unknown' {
  const parsed = schema.safeParse(value);
  return parsed.success ? parsed.data : 'unknown';
}

export function factsFrom(answers: Answers): MissingFromCareFacts {
  return {
    receivesChildWelfareServices: factOf(YesNoUnknown, answeredValue(answers[STEP.cws])),
    believedCse: factOf(BelievedCse, answeredValue(answers[STEP.believedCse])),
    situation: factOf(Situation, answeredValue(answers[STEP.situation])),
  };
}

/**
 * R-REPORT-2: the 24 hours run from receipt of the information. When that time is unknown the
 * conversation's start is the latest it can have been, so deadlines are never later than the law allows.
 */
export function receivedAtFrom(
  answers: Answers,
  startedAt: string,
): { informationReceivedAt: string; receivedAtAssumed: boolean } {
  const received = answeredValue(answers[STEP.receivedAt]);
  return {
    informationReceivedAt: new Date(received ?? startedAt).toISOString(),
    receivedAtAssumed: received === undefined,
  };
}
