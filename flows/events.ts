import * as z from 'zod/mini';

/** ISO-8601 instant with an explicit offset; time enters a flow only through events like these. */
export const Instant = z.iso.datetime({ offset: true });

const PromptId = z.string().check(z.minLength(1), z.maxLength(64), z.regex(/^[a-z0-9_.-]+$/));

/** Free text is bounded so one answer can never push an item towards DynamoDB's 400 KB limit. */
export const AnswerValue = z.string().check(z.minLength(1), z.maxLength(1000));
/** Several choice ids at once, for a multichoice prompt. */
export const AnswerValues = z
  .array(z.string().check(z.minLength(1), z.maxLength(64)))
  .check(z.minLength(1), z.maxLength(30));
export const AnswerNote = z.string().check(z.maxLength(1000));

const shapes = {
  answerGiven: {
    type: z.literal('answer.given'),
    promptId: PromptId,
    value: z.union([AnswerValue, AnswerValues]),
    note: z.optional(AnswerNote),
  },
  answerUnknown: { type: z.literal('answer.unknown'), promptId: PromptId },
  answerSkipped: { type: z.literal('answer.skipped'), promptId: PromptId },
  back: { type: z.literal('nav.back') },
  pause: { type: z.literal('nav.pause') },
  resume: { type: z.literal('nav.resume') },
};
const stamp = { at: Instant };

/** What a channel sends: the screener's action, before the server stamps when it was received. */
export const ClientEvent = z.discriminatedUnion('type', [
  z.strictObject(shapes.answerGiven),
  z.strictObject(shapes.answerUnknown),
  z.strictObject(shapes.answerSkipped),
  z.strictObject(shapes.back),
  z.strictObject(shapes.pause),
  z.strictObject(shapes.resume),
]);
export type ClientEvent = z.infer<typeof ClientEvent>;

/**
 * The events a conversation accepts. Dotted names per the xstate convention; every one carries `at`,
 * the instant the channel received it, so a replay never consults a clock.
 */
export const ConversationEvent = z.discriminatedUnion('type', [
  z.strictObject({ ...shapes.answerGiven, ...stamp }),
  z.strictObject({ ...shapes.answerUnknown, ...stamp }),
  z.strictObject({ ...shapes.answerSkipped, ...stamp }),
  z.strictObject({ ...shapes.back, ...stamp }),
  z.strictObject({ ...shapes.pause, ...stamp }),
  z.strictObject({ ...shapes.resume, ...stamp }),
]);
export type ConversationEvent = z.infer<typeof ConversationEvent>;
export type ConversationEventType = ConversationEvent['type'];
