import * as z from 'zod/mini';
import { ClientEvent } from '#flows/events.ts';
import { Locale } from '#flows/i18n.ts';

/**
 * The shapes of what the domain is asked to do with conversations. They live with the domain, which must
 * not reach up into the API layer; `api/schemas.ts` re-exports them for the routes and the OpenAPI document.
 */

export const ConversationId = z.uuid();
export const TaskId = z.string().check(z.regex(/^[0-9a-f-]{36}\.[a-z0-9-]{1,64}$/, 'a task id'));

/** A client-made id per action, so a retried request is recognised and never applied twice. */
export const EventId = z.string().check(z.regex(/^[A-Za-z0-9_-]{8,64}$/, '8-64 letters, digits, "-" or "_"'));

/**
 * The subject is a case reference, not a name: the screening never needs to know who the youth is.
 * A reference is letters, digits and - _ . : only, so free text (a name, a sentence) cannot slip in.
 */
export const SubjectRef = z
  .string()
  .check(z.regex(/^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$/, 'a case reference, not a name'));

export const CreateConversationRequest = z.strictObject({
  flow: z.string().check(z.regex(/^[a-z0-9-]{1,64}$/)),
  locale: Locale,
  subjectRef: SubjectRef,
  instrument: z.optional(
    z.strictObject({ id: z.string().check(z.maxLength(64)), version: z.string().check(z.maxLength(32)) }),
  ),
  /**
   * Issue 16 (R-RUN-2): a return interview names the missing-from-care report it answers, by that
   * conversation's id; its outcome settles that report's `locate` task and no other. Only `runaway-return`
   * takes links.
   */
  links: z.optional(z.strictObject({ missingReport: ConversationId })),
});
export type CreateConversationRequest = z.infer<typeof CreateConversationRequest>;

export const TurnRequest = z.strictObject({
  eventId: EventId,
  expectedVersion: z.int().check(z.gte(0), z.lte(100_000)),
  event: ClientEvent,
});
export type TurnRequest = z.infer<typeof TurnRequest>;

const Digest = z.string().check(z.regex(/^[0-9a-f]{64}$/, 'a SHA-256 hex digest'));

/**
 * Issue 20: a conversation the device started itself, offline or not, under an id it made. The server
 * accepts it on the first sync that carries it: the very flow version and instrument the device ran, its
 * start time as a bounded claim, and what the device showed first (`deviceView`), so a device whose flow
 * differs from the server's is refused before anything is written.
 */
export const DeviceStart = z.strictObject({
  flow: z.string().check(z.regex(/^[a-z0-9-]{1,64}$/)),
  flowVersion: z.string().check(z.minLength(1), z.maxLength(32)),
  instrument: z.strictObject({
    id: z.string().check(z.minLength(1), z.maxLength(64)),
    version: z.string().check(z.minLength(1), z.maxLength(32)),
  }),
  locale: Locale,
  subjectRef: SubjectRef,
  /** When the interview began by the device's clock: the flow's start, so duties never run later than that. */
  startedAt: z.iso.datetime({ offset: true }),
  deviceView: Digest,
  links: z.optional(z.strictObject({ missingReport: ConversationId })),
  /**
   * Other conversations about the same youth at about the same time that the interviewer has looked at and
   * says are separate interviews (the server reported them as `possible_duplicate`). Never merged.
   */
  separateFrom: z.optional(z.array(ConversationId).check(z.maxLength(20))),
});
export type DeviceStart = z.infer<typeof DeviceStart>;

/** Issue 8: a tablet's offline queue, in order; each event says what the device saw after it (`deviceView`). */
export const SyncRequest = z
  .strictObject({
    start: z.optional(DeviceStart),
    events: z
      .array(
        z.strictObject({
          eventId: EventId,
          expectedVersion: z.int().check(z.gte(0), z.lte(100_000)),
          event: ClientEvent,
          /**
           * When the youth answered, by the device's clock: kept as the event's `claimedAt`, bounded (not before
           * the previous answer's, at most 5 minutes ahead of the server, at most the window behind it), never
           * used for order: the event's `at` is when the server received it (issue 16).
           */
          answeredAt: z.iso.datetime({ offset: true }),
          /** SHA-256 (hex) of `viewFingerprint` of the device's view after this event. */
          deviceView: Digest,
        }),
      )
      .check(z.maxLength(50)),
  })
  // A device's start may travel alone (nothing answered yet); otherwise there is something to apply.
  .check(
    z.refine((request) => request.start !== undefined || request.events.length > 0, {
      message: 'events must not be empty unless the request carries a start',
      path: ['events'],
    }),
  );
export type SyncRequest = z.infer<typeof SyncRequest>;
