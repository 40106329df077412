import * as z from 'zod/mini';
import { Instant } from '#flows/events.ts';
import { Locale } from '#flows/i18n.ts';
import { PausedPrompt, Prompt } from '#flows/prompt.ts';
import {
  ConversationStatus,
  ErasureRecord,
  EventRecord,
  OutboxRecord,
  OutcomeRecord,
  ReadRecord,
  TaskRecord,
} from '../storage/records.ts';
import { ConversationId, EventId, TaskId } from './schemas.ts';

/**
 * What the API answers. Handlers never parse their own responses, so these schemas exist for the OpenAPI
 * document and for the types; keeping them out of the request schemas keeps them out of the Lambda bundles.
 */

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
export const TaskView = z.extend(z.omit(TaskRecord, { kind: true, org: true, unit: true, owner: true }), {
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

/** A synced queue: how many events were written, how many were already there, and where it stands. */
export const SyncResponse = z.extend(ConversationResponse, { applied: z.int(), skipped: z.int() });
export type SyncResponse = z.infer<typeof SyncResponse>;

export const RecordedEvent = z.object({
  seq: z.int(),
  eventId: EventId,
  type: z.string(),
  promptId: z.optional(z.string()),
  value: z.optional(z.union([z.string(), z.array(z.string())])),
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

export const SupervisorBoard = z.object({
  summary: z.object({
    open: z.int(),
    overdue: z.int(),
    done: z.int(),
    cancelled: z.int(),
    /** Share of reports made by their due time; null while none has been made. */
    onTimeRate: z.nullable(z.number()),
  }),
  tasks: z.array(TaskView),
});

export const NotificationList = z.object({ notifications: z.array(OutboxRecord) });

export const ActivityReport = z.object({
  rows: z.array(z.object({ period: z.string(), category: z.string(), count: z.int() })),
});

/** A records request: everything held about one subject reference, sensitive answers in plaintext. */
export const RecordsExport = z.object({
  subjectRef: z.string(),
  exportedAt: Instant,
  exportedBy: z.string(),
  conversations: z.array(
    z.object({
      conversation: z.record(z.string(), z.unknown()),
      events: z.array(EventRecord),
      outcome: z.nullable(OutcomeRecord),
      tasks: z.array(TaskRecord),
      notifications: z.array(OutboxRecord),
      reads: z.array(ReadRecord),
    }),
  ),
});

export const ErasureResponse = z.object({ erasure: ErasureRecord });
