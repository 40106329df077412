import * as z from 'zod/mini';
import { AssigneeRole, Duty } from '#flows/duties.ts';
import { ConversationEvent, Instant } from '#flows/events.ts';
import { Locale } from '#flows/i18n.ts';
import { Role } from '../domain/principal.ts';

/** Items are parsed on the way out of the table too: a corrupted item fails loudly instead of flowing on. */
export const ConversationStatus = z.enum(['active', 'paused', 'completed']);

const Hash = z.string().check(z.regex(/^[0-9a-f]{64}$/));
/**
 * Issue 16: a keyed hash (HMAC-SHA-256) from the key port, tagged with its provider (`kms:v1:`, `local:v1:`):
 * unlike a plain hash of a low-entropy reference, it cannot be reversed by trying every reference.
 */
const KeyedHash = z.string().check(z.regex(/^(kms|local):v1:[0-9a-f]{64}$/));
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
  /**
   * Issue 16: records this conversation was linked to when it started, checked then (a return interview's
   * missing-from-care report, whose `locate` task its outcome settles). Part of the genesis hash.
   */
  links: z.optional(z.object({ missingReport: z.string() })),
  /**
   * Issue 16: when the last event was answered: the device's claim for a synced event, the server's receipt
   * for an online turn. A device's next claim may not be earlier. Absent before any event, or on records
   * written before issue 16 (then `updatedAt` is that time).
   */
  answeredAt: z.optional(Instant),
  /**
   * Issue 20: a conversation a device started (offline or not): `createdAt` is then the device's bounded
   * claim of when the interview began, and this is when the server received the start. Part of the genesis hash.
   */
  deviceStart: z.optional(z.object({ receivedAt: Instant })),
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
  /**
   * Issue 16: when the device says it was answered (a synced event), bounded but never trusted for order:
   * `event.at` is the server's receipt. Part of the event's hash. Absent for an online turn.
   */
  claimedAt: z.optional(Instant),
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
/** As stored: agency and reference number are sealed (issue 16), so longer than what a caller may send. */
const StoredTaskEvidence = z.object({
  agency: z.string().check(z.maxLength(2000)),
  referenceNumber: z.string().check(z.maxLength(2000)),
  reportedAt: Instant,
});

export const TaskHistoryEntry = z.object({
  at: Instant,
  action: z.enum([
    'opened',
    'completed',
    'cancelled',
    'closed',
    'reminded',
    'escalated',
    'claimed',
    'reassigned',
  ]),
  by: z.string(),
  /** Each entry is a link of the task's audit hash chain. */
  seq: z.int().check(z.gt(0)),
  /** Issue 16: the hash of the task's status, owner, evidence, reason and closure after this entry. */
  factsHash: z.optional(Hash),
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
  evidence: z.optional(StoredTaskEvidence),
  cancelReason: z.optional(z.string()),
  /** Issue 16: the task's own data key (wrapped), once typed text (evidence, a cancel reason) was sealed. */
  dataKey: z.optional(z.string()),
  /** R-ROUTE-1: no route names anyone for the role, so the screener holds the task until one is set. */
  standIn: z.optional(z.boolean()),
  /** R-HANDOFF-1: the partner's hand-off this county task came from (absent for a task of a conversation). */
  handoffId: z.optional(z.string()),
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
  /**
   * `cancellation`: a statutory report was cancelled, and the unit's supervisors are told (R-OVERRIDE-1).
   * `closure_requested`: a youth's return interview was linked to this task's report but its interviewer may
   * not settle the task, so its owner is asked to (issue 16). `task_closed`: a return interview closed the
   * task, and its owner is told. `escalation_notice`: the owner of an escalated task is told it went to
   * their supervisors (issue 17). `assignment`: a supervisor gave the task to its new owner (issue 17).
   */
  type: z.enum([
    'reminder',
    'escalation',
    'cancellation',
    'closure_requested',
    'task_closed',
    'records_request',
    'escalation_notice',
    'assignment',
  ]),
  /**
   * Reminders go to the task's owner (R-ROUTE-1): a user (`userId`), or every member of the unit whose queue
   * holds the task (`queue`); escalations and cancellations to the supervisors of the task's unit; a closure
   * request or a closure to the task's owner, as a reminder.
   */
  recipient: z.object({ role: z.string(), userId: z.optional(z.string()), queue: z.optional(z.boolean()) }),
  /** Absent on a `records_request` notification: it outlives an erasure, so it never names the subject. */
  subjectRef: z.optional(z.string()),
  title: z.string(),
  requirementId: z.string(),
  citation: z.string(),
  dueAt: Instant,
  createdAt: Instant,
  /**
   * Issue 16, finding 4 (`records_request`): an export or an erasure of a youth whose conversations the
   * recipient holds was carried out. The request, its legal basis and the recipient's own conversations it
   * covered (by id: the recipient opens them to see the reference, while they still exist); no reference.
   * Its `taskId` is `records-request.<request id>`, which no task id can be.
   */
  recordsRequest: z.optional(
    z.object({
      id: z.string(),
      kind: z.enum(['export', 'erase']),
      legalBasis: z.string(),
      conversationIds: z.array(z.string()),
    }),
  ),
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

/** What an erasure removed, by kind of item. */
export const ErasedCounts = z.object({
  conversations: z.int(),
  events: z.int(),
  tasks: z.int(),
  notifications: z.int(),
  reads: z.int(),
  /** R-HANDOFF-1: partners' hand-offs about the subject that the county received (with their tasks above). */
  handoffs: z.optional(z.int()),
});

/**
 * What stays after a lawful deletion: that it happened, who asked, who approved, why, and how much went. The
 * subject reference itself is kept only as a keyed hash (issue 16; records before it hold a plain SHA-256), so
 * the record proves the deletion without undoing it. It lives in its own partition (`ERASURES#<org>`), which
 * no erasure deletes.
 */
export const ErasureRecord = z.object({
  kind: z.literal('erasure'),
  id: z.string(),
  org: z.string(),
  subjectRefHash: z.union([KeyedHash, Hash]),
  requestedBy: z.string(),
  /** Issue 16, finding 4: the records request it carried out, and the second administrator who approved it. */
  requestId: z.optional(z.string()),
  approvedBy: z.optional(z.string()),
  approvedAt: z.optional(Instant),
  /** One of `LegalBasis` since issue 16 (free text before). */
  legalBasis: z.string(),
  basisReference: z.optional(z.string()),
  at: Instant,
  removed: ErasedCounts,
  conversationIds: z.array(z.string()),
});
export type ErasureRecord = z.infer<typeof ErasureRecord>;

/** Issue 16, finding 4: what a records request asks for: everything held about a subject, or its erasure. */
export const RecordsRequestKind = z.enum(['export', 'erase']);
export type RecordsRequestKind = z.infer<typeof RecordsRequestKind>;

/**
 * The lawful bases a records request may rest on: a fixed list, never free text (which could carry a name).
 * Which kinds each allows, with its label and citation, is in functions/domain/records-requests.ts.
 */
export const LegalBasis = z.enum([
  'court_order',
  'records_sealing_order',
  'entered_in_error',
  'retention_period_ended',
  'youth_or_counsel_inspection',
  'oversight_review',
]);
export type LegalBasis = z.infer<typeof LegalBasis>;

/**
 * As stored. `expired` is never written: a pending request past `approveBy`, or an approved one past
 * `executeBy`, reads as expired (so no job has to sweep them, and a late refusal writes nothing).
 */
export const RecordsRequestStatus = z.enum(['pending', 'approved', 'executed', 'refused']);
export type RecordsRequestStatus = z.infer<typeof RecordsRequestStatus>;

/**
 * Issue 16, finding 4: an administrator's request to export or erase everything about one subject, which a
 * second administrator of the organisation approves (or refuses) before it runs. Kept in `RECORDSREQ#<org>`,
 * which no erasure deletes: who asked, on what basis, who decided, when it ran and what it covered. The
 * reference is never stored, only its keyed hash: whoever approves or runs the request types it again.
 */
export const RecordsRequestRecord = z.object({
  kind: z.literal('records_request'),
  /** Random (the id generator's), never derived from the reference: it travels in URLs. */
  id: z.string(),
  org: z.string(),
  requestKind: RecordsRequestKind,
  legalBasis: LegalBasis,
  /** The order's or case's number at the court or agency (letters, digits and - _ . : / only). */
  basisReference: z.optional(z.string()),
  subjectRefHash: KeyedHash,
  status: RecordsRequestStatus,
  requestedBy: z.string(),
  requestedAt: Instant,
  /** Not decided by then, the request has expired. */
  approveBy: Instant,
  /** The second administrator's decision: approved or refused. */
  decidedBy: z.optional(z.string()),
  decidedAt: z.optional(Instant),
  /** Approved, it must run by then. */
  executeBy: z.optional(Instant),
  executedAt: z.optional(Instant),
  /** An export: how much it returned. */
  exported: z.optional(z.object({ conversations: z.int(), handoffs: z.int() })),
  /** An erasure: its erasure record, and what it removed. */
  erasureId: z.optional(z.string()),
  removed: z.optional(ErasedCounts),
});
export type RecordsRequestRecord = z.infer<typeof RecordsRequestRecord>;

const Slug = z.string().check(z.regex(/^[a-z0-9-]{1,64}$/));
const UserId = z
  .string()
  .check(z.minLength(1), z.maxLength(128), z.regex(/^[^:]+$/, 'a user id, not a queue'));

/**
 * R-ROUTE-1: where a duty's assignee role goes in an organisation. `screener`: whoever ran the conversation;
 * `user`: one named user (and the unit whose supervisors watch them); `queue`: a unit's shared queue, which
 * any member of the unit may see and claim; `supervisors`: the supervisors of the screener's unit.
 */
export const Route = z.discriminatedUnion('to', [
  z.strictObject({ to: z.literal('screener') }),
  z.strictObject({ to: z.literal('user'), userId: UserId, unit: Slug }),
  z.strictObject({ to: z.literal('queue'), unit: Slug }),
  z.strictObject({ to: z.literal('supervisors') }),
]);
export type Route = z.infer<typeof Route>;

/** R-TRAIN-1: a training a role must have, and how long it counts (absent: it does not lapse). */
export const TrainingRequirement = z.strictObject({
  type: z.string().check(z.regex(/^[a-z0-9_]{1,64}$/)),
  label: z.string().check(z.trim(), z.minLength(1), z.maxLength(200)),
  roles: z.array(Role).check(z.minLength(1)),
  validForMonths: z.optional(z.int().check(z.gte(1), z.lte(120))),
  citation: z.string().check(z.trim(), z.minLength(1), z.maxLength(200)),
  basis: z.enum(['statute', 'policy']),
});
export type TrainingRequirement = z.infer<typeof TrainingRequirement>;

/** What an administrator sets for their organisation: its kind, where its concerns go, routing and training. */
export const OrgSettings = z
  .strictObject({
    name: z.string().check(z.trim(), z.minLength(1), z.maxLength(200)),
    type: z.enum(['county', 'partner']),
    /** A partner's county: where its concerns are handed off (R-HANDOFF-1). */
    handoffTo: z.optional(Slug),
    /** How the county reaches the partner's desk about a hand-off: a desk phone or address, never a youth's. */
    contact: z.optional(z.string().check(z.trim(), z.minLength(1), z.maxLength(200))),
    /** Task titles and descriptions opened in this organisation by a hand-off are written in this language. */
    locale: z.optional(Locale),
    routes: z.optional(z.partialRecord(AssigneeRole, Route)),
    training: z.optional(z.array(TrainingRequirement).check(z.maxLength(20))),
  })
  .check(
    z.refine((settings) => settings.type === 'partner' || settings.handoffTo === undefined, {
      message: 'only a partner organisation hands concerns off to a county',
      path: ['handoffTo'],
    }),
  );
export type OrgSettings = z.infer<typeof OrgSettings>;

export const OrgProfileRecord = z.extend(OrgSettings, {
  kind: z.literal('org_profile'),
  org: Slug,
  version: z.int().check(z.gte(1)),
  updatedAt: Instant,
  updatedBy: z.string(),
});
export type OrgProfileRecord = z.infer<typeof OrgProfileRecord>;

export const HandoffStatus = z.enum(['received', 'acknowledged']);
export type HandoffStatus = z.infer<typeof HandoffStatus>;

const Labelled = z.object({ id: z.string(), label: z.string() });

/**
 * R-HANDOFF-1: a partner's concern as the county receives it, and nothing more: the case reference, the
 * determination, the indicators present, the services wanted, and how to reach the partner. No notes, no
 * free text, no answers. Its id is the partner's conversation id, so a concern is handed off once.
 */
export const HandoffRecord = z.object({
  kind: z.literal('handoff'),
  id: z.string(),
  fromOrg: z.string(),
  fromOrgName: z.string(),
  fromContact: z.nullable(z.string()),
  toOrg: z.string(),
  toOrgName: z.string(),
  /** The county unit whose intake queue received it. */
  toUnit: z.string(),
  caseRef: z.string(),
  determination: z.string(),
  exchangeIndicator: z.enum(['present', 'absent']),
  indicatorsPresent: z.array(Labelled),
  servicesWanted: z.array(Labelled),
  /** When the partner received the information (its own duties run from here). */
  partnerReceivedAt: Instant,
  /** When the county received the hand-off: the county's duties run from here. */
  receivedAt: Instant,
  /** Why each county task was or was not opened, and what to confirm (CWS and § 602 status), in its language. */
  notices: z.array(z.string()),
  status: HandoffStatus,
  acknowledgedAt: z.optional(Instant),
  acknowledgedBy: z.optional(z.string()),
  /** The county tasks it opened. */
  taskIds: z.array(z.string()),
});
export type HandoffRecord = z.infer<typeof HandoffRecord>;

/** R-TRAIN-1: one training a user completed, as recorded by them or an administrator. */
export const TrainingRecord = z.object({
  kind: z.literal('training'),
  org: z.string(),
  userId: z.string(),
  type: z.string(),
  completedOn: z.iso.date(),
  recordedBy: z.string(),
  recordedAt: Instant,
});
export type TrainingRecord = z.infer<typeof TrainingRecord>;

/**
 * Issue 18: a tablet enrolled for the server-held half of its key. `secret` is the half and the PIN's
 * verifier, sealed together under the record's own data key (wrapped by KMS, `dataKey`), so the table alone
 * opens neither. `failedAttempts` counts every attempt since the last right PIN (charged before the check);
 * at `DEVICE_MAX_ATTEMPTS` the device is locked for good and must be enrolled again, with a new half.
 */
export const DeviceRecord = z.object({
  kind: z.literal('device'),
  org: z.string(),
  owner: z.string(),
  deviceId: z.string(),
  enrolledAt: Instant,
  dataKey: z.string(),
  secret: z.string(),
  failedAttempts: z.int(),
  /** No attempt is taken before this instant (each wrong PIN past the free ones doubles the wait). */
  waitUntil: z.optional(Instant),
  /** Every write moves it on, so a reset after a right PIN never erases a concurrent wrong attempt. */
  version: z.int(),
});
export type DeviceRecord = z.infer<typeof DeviceRecord>;
