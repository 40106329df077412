import * as z from 'zod/mini';
import { Duty } from '#flows/duties.ts';
import { ConversationEvent, Instant } from '#flows/events.ts';
import { Locale } from '#flows/i18n.ts';

/** Items are parsed on the way out of the table too: a corrupted item fails loudly instead of flowing on. */
export const ConversationStatus = z.enum(['active', 'paused', 'completed']);

const Hash = z.string().check(z.regex(/^[0-9a-f]{64}$/));
export const ChainHead = z.object({ seq: z.int().check(z.gte(0)), hash: Hash });
export type ChainHead = z.infer<typeof ChainHead>;

export const ConversationRecord = z.object({
  kind: z.literal('conversation'),
  id: z.string(),
  flow: z.string(),
  flowVersion: z.string(),
  instrument: z.object({ id: z.string(), version: z.string() }),
  locale: Locale,
  subjectRef: z.string(),
  org: z.string(),
  unit: z.string(),
  owner: z.string(),
  status: ConversationStatus,
  /** Counts accepted events; a turn states the version it expects and a mismatch is a conflict. */
  version: z.int().check(z.gte(0)),
  state: z.object({ value: z.string(), context: z.record(z.string(), z.unknown()) }),
  /** The conversation's data key, wrapped by KMS (or the local key), once a sensitive answer needed it. */
  dataKey: z.optional(z.string()),
  /** The head of the audit hash chain: the last event's position and hash (the genesis hash before any). */
  chain: ChainHead,
  createdAt: Instant,
  updatedAt: Instant,
  /** Epoch seconds when DynamoDB's TTL removes an abandoned conversation; absent once it is completed. */
  expiresAt: z.optional(z.int()),
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
  /** The audit hash chain: the previous event's hash (the genesis hash for the first) and this one's. */
  prevHash: Hash,
  hash: Hash,
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
  /** Each entry is a link of the task's audit hash chain. */
  seq: z.int().check(z.gt(0)),
  prevHash: Hash,
  hash: Hash,
});
export type TaskHistoryEntry = z.infer<typeof TaskHistoryEntry>;

/** A task is a duty (what the law asks, by when) plus whose it is and what happened to it. */
export const TaskRecord = z.extend(Duty, {
  kind: z.literal('task'),
  id: z.string(),
  conversationId: z.string(),
  subjectRef: z.string(),
  org: z.string(),
  unit: z.string(),
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
  unit: z.string(),
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

/** Who read a case, when, through which route: reads of a child's record are attributable too. */
export const ReadRecord = z.object({
  kind: z.literal('read'),
  conversationId: z.string(),
  org: z.string(),
  actor: z.string(),
  route: z.string(),
  at: Instant,
  requestId: z.string(),
});
export type ReadRecord = z.infer<typeof ReadRecord>;

/**
 * What stays after a lawful deletion: that it happened, who asked, why, and how much went. The subject
 * reference itself is kept only as a hash, so the record proves the deletion without undoing it.
 */
export const ErasureRecord = z.object({
  kind: z.literal('erasure'),
  id: z.string(),
  org: z.string(),
  subjectRefHash: Hash,
  requestedBy: z.string(),
  legalBasis: z.string(),
  at: Instant,
  removed: z.object({
    conversations: z.int(),
    events: z.int(),
    tasks: z.int(),
    notifications: z.int(),
    reads: z.int(),
  }),
  conversationIds: z.array(z.string()),
});
export type ErasureRecord = z.infer<typeof ErasureRecord>;
