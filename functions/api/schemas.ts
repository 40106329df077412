import * as z from 'zod/mini';
import { ClientEvent } from '#flows/events.ts';
import { Locale } from '#flows/i18n.ts';
import { TaskEvidence, TaskStatus } from '../storage/records.ts';

/** Schemas first: handlers parse with these, and the OpenAPI document is generated from them. */

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
});
export type CreateConversationRequest = z.infer<typeof CreateConversationRequest>;

export const TurnRequest = z.strictObject({
  eventId: EventId,
  expectedVersion: z.int().check(z.gte(0), z.lte(100_000)),
  event: ClientEvent,
});
export type TurnRequest = z.infer<typeof TurnRequest>;

/** Issue 8: a tablet's offline queue, in order; each event says what the device saw after it (`deviceView`). */
export const SyncRequest = z.strictObject({
  events: z
    .array(
      z.strictObject({
        eventId: EventId,
        expectedVersion: z.int().check(z.gte(0), z.lte(100_000)),
        event: ClientEvent,
        /** When the youth answered, by the device's clock; it becomes the event's `at`. */
        answeredAt: z.iso.datetime({ offset: true }),
        /** SHA-256 (hex) of `viewFingerprint` of the device's view after this event. */
        deviceView: z.string().check(z.regex(/^[0-9a-f]{64}$/, 'a SHA-256 hex digest')),
      }),
    )
    .check(z.minLength(1), z.maxLength(50)),
});
export type SyncRequest = z.infer<typeof SyncRequest>;

export const CompleteTaskRequest = z.strictObject({ evidence: TaskEvidence });
export type CompleteTaskRequest = z.infer<typeof CompleteTaskRequest>;

export const CancelTaskRequest = z.strictObject({
  reason: z.string().check(z.trim(), z.minLength(1), z.maxLength(1000)),
});
export type CancelTaskRequest = z.infer<typeof CancelTaskRequest>;

export const ListTasksQuery = z.strictObject({
  status: z.optional(TaskStatus),
  limit: z.optional(
    z.coerce.number().check(z.refine(Number.isInteger, 'a whole number'), z.gte(1), z.lte(100)),
  ),
  cursor: z.optional(z.string().check(z.maxLength(2048))),
});
export type ListTasksQuery = z.infer<typeof ListTasksQuery>;

export const ActivityQuery = z
  .strictObject({
    from: z.iso.datetime({ offset: true }),
    to: z.iso.datetime({ offset: true }),
    format: z.optional(z.enum(['json', 'csv'])),
  })
  .check(
    z.refine((range) => Date.parse(range.from) < Date.parse(range.to), {
      message: '`from` must be before `to`',
    }),
    z.refine((range) => Date.parse(range.to) - Date.parse(range.from) <= 400 * 86_400_000, {
      message: 'at most 400 days at a time',
    }),
  );
export type ActivityQuery = z.infer<typeof ActivityQuery>;

export const EraseRecordsRequest = z.strictObject({
  /** The law or order that requires the erasure; kept in the erasure record. */
  legalBasis: z.string().check(z.trim(), z.minLength(3), z.maxLength(500)),
  /** Typed again by the administrator, so a slip of the path never erases the wrong youth's records. */
  confirmSubjectRef: SubjectRef,
});
export type EraseRecordsRequest = z.infer<typeof EraseRecordsRequest>;
