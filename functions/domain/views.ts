import * as z from 'zod/mini';
import { Instant } from '#flows/events.ts';
import { Locale } from '#flows/i18n.ts';
import { PausedPrompt, Prompt } from '#flows/prompt.ts';
import { ConversationStatus, TaskRecord } from '../storage/records.ts';
import { ConversationId, EventId, TaskId } from './requests.ts';

/**
 * What the domain answers with. Domain modules import these as types only, so the schemas (built for the
 * OpenAPI document, re-exported by `api/responses.ts`) stay out of the Lambda bundles.
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
  /** Issue 16: a return interview's missing-from-care report, whose locate task it settles. */
  links: z.optional(z.object({ missingReport: ConversationId })),
  /** Issue 20: started on a device; `createdAt` is the device's start, this when the server received it. */
  deviceStart: z.optional(z.object({ receivedAt: Instant })),
});

/**
 * Issue 17: a conversation its owner has not finished, and where it stands (the prompt's section and
 * position; null while paused), so any channel can offer to resume it.
 */
export const UnfinishedConversation = z.object({
  id: ConversationId,
  flow: z.string(),
  locale: Locale,
  subjectRef: z.string(),
  status: z.enum(['active', 'paused']),
  version: z.int(),
  createdAt: Instant,
  updatedAt: Instant,
  position: z.nullable(z.object({ section: z.string(), progress: z.object({ n: z.int(), of: z.int() }) })),
});
export type UnfinishedConversation = z.infer<typeof UnfinishedConversation>;

/** A task as callers see it: without its tenancy keys, with whether it is overdue right now. */
export const TaskView = z.extend(
  z.omit(TaskRecord, { kind: true, org: true, unit: true, owner: true, dataKey: true }),
  {
    id: TaskId,
    conversationId: ConversationId,
    /** R-ROUTE-1: where the task went, without naming another user: a user, a unit's queue, or its supervisors. */
    routedTo: z.object({ kind: z.enum(['user', 'queue', 'supervisors']), unit: z.string() }),
    /** Open past its due time, as of the moment of the response. */
    overdue: z.boolean(),
    /** For a completed task: whether the report was made by the due time. */
    metDeadline: z.optional(z.boolean()),
  },
);
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
  /** R-HANDOFF-1: for a partner's screening that raised a concern, where its hand-off to the county stands. */
  handoff: z.optional(
    z.object({
      id: z.string(),
      to: z.string(),
      status: z.enum(['received', 'acknowledged']),
      receivedAt: Instant,
      acknowledgedAt: z.nullable(Instant),
    }),
  ),
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
  /** When the server received it: the record's order and audit time. */
  at: Instant,
  /** Issue 16: for a synced event, when the device says it was answered (bounded, kept as a claim). */
  claimedAt: z.optional(Instant),
  actor: z.string(),
});

export const ConversationDetail = z.extend(ConversationResponse, { events: z.array(RecordedEvent) });
export type ConversationDetail = z.infer<typeof ConversationDetail>;
