import { z } from 'zod';
import { ClientEvent, Instant } from '#flows/events.ts';
import { Locale } from '#flows/i18n.ts';
import { PausedPrompt, Prompt } from '#flows/prompt.ts';
import { ConversationStatus, TaskEvidence, TaskRecord, TaskStatus } from '../storage/records.ts';

/** Schemas first: handlers parse with these, and the OpenAPI document is generated from them. */

export const ConversationId = z.uuid();
export const TaskId = z.string().regex(/^[0-9a-f-]{36}\.[a-z0-9-]{1,64}$/, 'a task id');

/** A client-made id per action, so a retried request is recognised and never applied twice. */
export const EventId = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, '8-64 letters, digits, "-" or "_"');

/**
 * The subject is a case reference, not a name: the screening never needs to know who the youth is.
 * A reference is letters, digits and - _ . : only, so free text (a name, a sentence) cannot slip in.
 */
export const SubjectRef = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$/, 'a case reference, not a name');

export const CreateConversationRequest = z.strictObject({
  flow: z.string().regex(/^[a-z0-9-]{1,64}$/),
  locale: Locale,
  subjectRef: SubjectRef,
  instrument: z.strictObject({ id: z.string().max(64), version: z.string().max(32) }).optional(),
});
export type CreateConversationRequest = z.infer<typeof CreateConversationRequest>;

export const TurnRequest = z.strictObject({
  eventId: EventId,
  expectedVersion: z.number().int().nonnegative().max(100_000),
  event: ClientEvent,
});
export type TurnRequest = z.infer<typeof TurnRequest>;

export const CompleteTaskRequest = z.strictObject({ evidence: TaskEvidence });
export type CompleteTaskRequest = z.infer<typeof CompleteTaskRequest>;

export const CancelTaskRequest = z.strictObject({ reason: z.string().trim().min(1).max(1000) });
export type CancelTaskRequest = z.infer<typeof CancelTaskRequest>;

export const ListTasksQuery = z.strictObject({
  status: TaskStatus.optional(),
  limit: z.coerce.number().int().min(1).max(100).optional(),
  cursor: z.string().max(2048).optional(),
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
  version: z.number().int(),
  createdAt: Instant,
  updatedAt: Instant,
});

/** A task as callers see it: without its tenancy keys, with whether it is overdue right now. */
export const TaskView = TaskRecord.omit({ kind: true, org: true, owner: true }).extend({
  id: TaskId,
  conversationId: ConversationId,
  /** Open past its due time, as of the moment of the response. */
  overdue: z.boolean(),
  /** For a completed task: whether the report was made by the due time. */
  metDeadline: z.boolean().optional(),
});
export type TaskView = z.infer<typeof TaskView>;

export const Warning = z.object({ code: z.string(), message: z.string(), taskId: TaskId.optional() });
export type Warning = z.infer<typeof Warning>;

export const ConversationResponse = z.object({
  conversation: ConversationSummary,
  prompt: Prompt.nullable(),
  paused: PausedPrompt.nullable(),
  /** The flow's outcome (for a screening: indicators, proposal, determination, duties). */
  outcome: z.record(z.string(), z.unknown()).nullable(),
  tasks: z.array(TaskView),
  warnings: z.array(Warning),
  /** True when this reply answers a retried event id: nothing was written. */
  replayed: z.boolean(),
});
export type ConversationResponse = z.infer<typeof ConversationResponse>;

export const RecordedEvent = z.object({
  seq: z.number().int(),
  eventId: EventId,
  type: z.string(),
  promptId: z.string().optional(),
  value: z.string().optional(),
  note: z.string().optional(),
  at: Instant,
  actor: z.string(),
});

export const ConversationDetail = ConversationResponse.extend({ events: z.array(RecordedEvent) });
export type ConversationDetail = z.infer<typeof ConversationDetail>;

export const TaskList = z.object({ tasks: z.array(TaskView), cursor: z.string().nullable() });

export const ErrorBody = z.object({
  error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() }),
});
