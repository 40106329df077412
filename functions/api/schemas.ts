import * as z from 'zod/mini';
import { SubjectRef } from '../domain/requests.ts';
import { TaskEvidence, TaskStatus } from '../storage/records.ts';

export {
  ConversationId,
  CreateConversationRequest,
  EventId,
  SubjectRef,
  SyncRequest,
  TaskId,
  TurnRequest,
} from '../domain/requests.ts';

/** Schemas first: handlers parse with these, and the OpenAPI document is generated from them. */

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
