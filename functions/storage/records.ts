import * as z from 'zod/mini';
import { Duty } from '#flows/duties.ts';
import { ConversationEvent, Instant } from '#flows/events.ts';
import { Locale } from '#flows/i18n.ts';

/** Items are parsed on the way out of the table too: a corrupted item fails loudly instead of flowing on. */
export const ConversationStatus = z.enum(['active', 'paused', 'completed']);

export const ConversationRecord = z.object({
  kind: z.literal('conversation'),
  id: z.string(),
  flow: z.string(),
  flowVersion: z.string(),
  instrument: z.object({ id: z.string(), version: z.string() }),
  locale: Locale,
  subjectRef: z.string(),
  org: z.string(),
  owner: z.string(),
  status: ConversationStatus,
  /** Counts accepted events; a turn states the version it expects and a mismatch is a conflict. */
  version: z.int().check(z.gte(0)),
  state: z.object({ value: z.string(), context: z.record(z.string(), z.unknown()) }),
  /** The conversation's data key, wrapped by KMS (or the local key), once a sensitive answer needed it. */
  dataKey: z.optional(z.string()),
  createdAt: Instant,
  updatedAt: Instant,
});
export type ConversationRecord = z.infer<typeof ConversationRecord>;

export const EventRecord = z.object({
  kind: z.literal('event'),
  conversationId: z.string(),
  eventId: z.string(),
  /** Position in the conversation (1-based); the version the conversation reached with this event. */
  seq: z.int().check(z.gt(0)),
  event: ConversationEvent,
  actor: z.string(),
});
export type EventRecord = z.infer<typeof EventRecord>;

export const OutcomeRecord = z.object({
  kind: z.literal('outcome'),
  conversationId: z.string(),
  org: z.string(),
  flow: z.string(),
  /** The facts the duty rules read; activity reports (R-FUND-1) count these. */
  facts: z.record(z.string(), z.string()),
  outcome: z.record(z.string(), z.unknown()),
  completedAt: Instant,
});
export type OutcomeRecord = z.infer<typeof OutcomeRecord>;

export const TaskStatus = z.enum(['open', 'done', 'cancelled']);
export type TaskStatus = z.infer<typeof TaskStatus>;

export const TaskEvidence = z.strictObject({
  agency: z.string().check(z.trim(), z.minLength(1), z.maxLength(200)),
  referenceNumber: z.string().check(z.trim(), z.minLength(1), z.maxLength(100)),
  reportedAt: Instant,
});
export type TaskEvidence = z.infer<typeof TaskEvidence>;

export const TaskHistoryEntry = z.object({
  at: Instant,
  action: z.enum(['opened', 'completed', 'cancelled', 'closed', 'reminded', 'escalated']),
  by: z.string(),
});

/** A task is a duty (what the law asks, by when) plus whose it is and what happened to it. */
export const TaskRecord = z.extend(Duty, {
  kind: z.literal('task'),
  id: z.string(),
  conversationId: z.string(),
  subjectRef: z.string(),
  org: z.string(),
  owner: z.string(),
  receivedAt: Instant,
  dueAt: Instant,
  status: TaskStatus,
  createdAt: Instant,
  evidence: z.optional(TaskEvidence),
  cancelReason: z.optional(z.string()),
  /** A task settled by another outcome rather than by a report (a youth's return closes `locate`). */
  closure: z.optional(z.object({ reason: z.literal('youth_returned'), conversationId: z.string() })),
  history: z.array(TaskHistoryEntry),
  /** When the next reminder or escalation is due; absent once the task is settled or nothing is left to chase. */
  nextActionAt: z.optional(Instant),
  /** Reminders and escalations already taken (sent, or skipped as superseded). */
  actionsDone: z.optional(z.array(z.string())),
});
export type TaskRecord = z.infer<typeof TaskRecord>;

/** A notification waiting for a channel to deliver it (Teams, the widget): one per task and action. */
export const OutboxRecord = z.object({
  kind: z.literal('notification'),
  org: z.string(),
  taskId: z.string(),
  actionId: z.string(),
  type: z.enum(['reminder', 'escalation']),
  /** Reminders go to the task's owner; escalations to the supervisors of the organisation. */
  recipient: z.object({ role: z.string(), userId: z.optional(z.string()) }),
  subjectRef: z.string(),
  title: z.string(),
  requirementId: z.string(),
  citation: z.string(),
  dueAt: Instant,
  createdAt: Instant,
});
export type OutboxRecord = z.infer<typeof OutboxRecord>;
