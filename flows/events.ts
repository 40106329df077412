import { z } from 'zod';

/** ISO-8601 instant with an explicit offset; time enters a flow only through events like these. */
export const Instant = z.iso.datetime({ offset: true });

const PromptId = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[a-z0-9_.-]+$/);

/** Free text is bounded so one answer can never push an item towards DynamoDB's 400 KB limit. */
export const AnswerValue = z.string().min(1).max(1000);
export const AnswerNote = z.string().max(1000);

/**
 * The events a conversation accepts. Dotted names per the xstate convention; every one carries `at`,
 * the instant the channel received it, so a replay never consults a clock.
 */
export const ConversationEvent = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('answer.given'),
    promptId: PromptId,
    value: AnswerValue,
    note: AnswerNote.optional(),
    at: Instant,
  }),
  z.strictObject({ type: z.literal('answer.unknown'), promptId: PromptId, at: Instant }),
  z.strictObject({ type: z.literal('answer.skipped'), promptId: PromptId, at: Instant }),
  z.strictObject({ type: z.literal('nav.back'), at: Instant }),
  z.strictObject({ type: z.literal('nav.pause'), at: Instant }),
  z.strictObject({ type: z.literal('nav.resume'), at: Instant }),
]);
export type ConversationEvent = z.infer<typeof ConversationEvent>;
export type ConversationEventType = ConversationEvent['type'];
