import * as z from 'zod/mini';
import { ClientEvent, Instant } from '#flows/events.ts';
import { Locale } from '#flows/i18n.ts';
import { PausedPrompt, Prompt } from '#flows/prompt.ts';
import { ConversationStatus, TaskEvidence, TaskRecord, TaskStatus } from '../storage/records.ts';

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

export const CompleteTaskRequest = z.strictObject({ evidence: TaskEvidence });
export type CompleteTaskRequest = z.infer<typeof CompleteTaskRequest>;

export const CancelTaskRequest = z.strictObject({
  reason: z.string().check(z.trim(), z.minLength(1), z.maxLength(1000)),
});
export type CancelTaskRequest = z.infer<typeof CancelTaskRequest>;

export const ListTasksQuery = z.strictObject({
  status: z.optional(TaskStatus),
  limit: z.optional(z.coerce.number().check(z.gte(1), z.lte(100))),
  cursor: z.optional(z.string().check(z.maxLength(2048))),
});
export type ListTasksQuery = z.infer<typeof ListTasksQuery>;

export const ConversationSummary = z.object({
  id: ConversationId,
  flow: z.string(),
  flowVersion: z.string(),
  instrument: z.object({ id: z.string(), version: z.string() }),
  locale: Locale,
  subjectRef: z.string(),
  status: ConversationStatus,
  version: z.int(),
  createdAt: Instant,
  updatedAt: Instant,
});

/** A task as callers see it: without its tenancy keys, with whether it is overdue right now. */
export const TaskView = z.extend(z.omit(TaskRecord, { kind: true, org: true, owner: true }), {
  id: TaskId,
  conversationId: ConversationId,
  /** Open past its due time, as of the moment of the response. */
  overdue: z.boolean(),
  /** For a completed task: whether the report was made by the due time. */
  metDeadline: z.optional(z.boolean()),
});
export type TaskView = z.infer<typeof TaskView>;

export const Warning = z.object({ code: z.string(), message: z.string(), taskId: z.optional(TaskId) });
export type Warning = z.infer<typeof Warning>;

export const ConversationResponse = z.object({
  conversation: ConversationSummary,
  prompt: z.nullable(Prompt),
  paused: z.nullable(PausedPrompt),
  /** The flow's outcome (for a screening: indicators, proposal, determination, duties). */
  outcome: z.nullable(z.record(z.string(), z.unknown())),
  tasks: z.array(TaskView),
  warnings: z.array(Warning),
  /** True when this reply answers a retried event id: nothing was written. */
  replayed: z.boolean(),
});
export type ConversationResponse = z.infer<typeof ConversationResponse>;

export const RecordedEvent = z.object({
  seq: z.int(),
  eventId: EventId,
  type: z.string(),
  promptId: z.optional(z.string()),
  value: z.optional(z.string()),
  note: z.optional(z.string()),
  at: Instant,
  actor: z.string(),
});

export const ConversationDetail = z.extend(ConversationResponse, { events: z.array(RecordedEvent) });
export type ConversationDetail = z.infer<typeof ConversationDetail>;

export const TaskList = z.object({ tasks: z.array(TaskView), cursor: z.nullable(z.string()) });

export const ErrorBody = z.object({
  error: z.object({ code: z.string(), message: z.string(), details: z.optional(z.unknown()) }),
});
