import * as z from 'zod/mini';
import { Instant } from '#flows/events.ts';
import { RecordsRequestView } from '../domain/records-requests.ts';
import { TaskView, UnfinishedConversation } from '../domain/views.ts';
import {
  ErasureRecord,
  EventRecord,
  HandoffRecord,
  LegalBasis,
  OrgProfileRecord,
  OutboxRecord,
  OutcomeRecord,
  ReadRecord,
  TaskRecord,
  TrainingRecord,
} from '../storage/records.ts';

export {
  ConversationDetail,
  ConversationResponse,
  ConversationSummary,
  RecordedEvent,
  SyncResponse,
  TaskView,
  UnfinishedConversation,
  Warning,
} from '../domain/views.ts';

/**
 * What the API answers. Handlers never parse their own responses, so these schemas exist for the OpenAPI
 * document and for the types; keeping them out of the request schemas keeps them out of the Lambda bundles.
 */

export const TaskList = z.object({ tasks: z.array(TaskView), cursor: z.nullable(z.string()) });

export const ErrorBody = z.object({
  error: z.object({ code: z.string(), message: z.string(), details: z.optional(z.unknown()) }),
});

/** Issue 17: a task as its unit's supervisors see it: with who holds it. */
export const BoardTaskView = z.extend(TaskView, { owner: z.string() });

const OnTime = z.object({ due: z.int(), onTime: z.int(), rate: z.nullable(z.number()) });

export const SupervisorBoard = z.object({
  summary: z.object({
    open: z.int(),
    overdue: z.int(),
    done: z.int(),
    cancelled: z.int(),
    /** Share of reports made by their due time; null while none has been made. */
    onTimeRate: z.nullable(z.number()),
  }),
  /** Issue 17: of the deadlines that fell in the last 30 and 90 days (cancelled aside), how many were met. */
  onTime: z.object({ last30: OnTime, last90: OnTime }),
  /** The same, week by week (weeks start on Monday, UTC), oldest first. */
  trend: z.array(z.extend(OnTime, { weekStart: z.iso.date() })),
  byRequirement: z.array(
    z.object({
      requirementId: z.string(),
      open: z.int(),
      overdue: z.int(),
      done: z.int(),
      cancelled: z.int(),
    }),
  ),
  byOwner: z.array(
    z.object({
      owner: z.string(),
      kind: z.enum(['user', 'queue', 'supervisors']),
      open: z.int(),
      overdue: z.int(),
    }),
  ),
  assignees: z.array(
    z.union([
      z.object({ kind: z.literal('user'), userId: z.string() }),
      z.object({ kind: z.literal('queue'), unit: z.string() }),
    ]),
  ),
  tasks: z.array(BoardTaskView),
});

export const UnfinishedConversationList = z.object({ conversations: z.array(UnfinishedConversation) });

export const NotificationList = z.object({ notifications: z.array(OutboxRecord) });

export const ActivityReport = z.object({
  rows: z.array(z.object({ period: z.string(), category: z.string(), count: z.int() })),
});

/** Issue 16, finding 4: a records request as administrators see it (no reference), and the organisation's list. */
export const RecordsRequestResponse = z.object({ request: RecordsRequestView });
export const RecordsRequestList = z.object({ requests: z.array(RecordsRequestView) });

/** An approved export, run: everything held about one subject reference, sensitive answers in plaintext. */
export const RecordsExport = z.object({
  requestId: z.string(),
  subjectRef: z.string(),
  legalBasis: LegalBasis,
  exportedAt: Instant,
  exportedBy: z.string(),
  /** The second administrator who approved it. */
  approvedBy: z.string(),
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
  /** R-HANDOFF-1: partners' hand-offs the county received about the subject, with the tasks they opened. */
  handoffs: z.array(
    z.object({ handoff: HandoffRecord, tasks: z.array(TaskRecord), notifications: z.array(OutboxRecord) }),
  ),
});

export const ErasureResponse = z.object({ erasure: ErasureRecord });

export const OrganisationView = z.object({ profile: z.nullable(OrgProfileRecord) });

const CountyHandoff = z.omit(HandoffRecord, { kind: true });
export const HandoffList = z.object({ handoffs: z.array(CountyHandoff) });

/** The county intake sees the hand-off and its tasks; the partner that sent it sees its status only. */
export const HandoffView = z.union([
  z.object({ handoff: CountyHandoff, tasks: z.array(TaskView) }),
  z.object({
    handoff: z.object({
      id: z.string(),
      to: z.string(),
      status: z.enum(['received', 'acknowledged']),
      receivedAt: Instant,
      acknowledgedAt: z.nullable(Instant),
    }),
  }),
]);

export const TrainingRecorded = z.object({ training: TrainingRecord });

export const TrainingView = z.object({
  training: z.array(TrainingRecord),
  standing: z.array(
    z.object({
      type: z.string(),
      state: z.enum(['current', 'lapsed', 'missing']),
      completedOn: z.optional(z.string()),
      lapsesOn: z.optional(z.nullable(z.string())),
      lapsedOn: z.optional(z.string()),
    }),
  ),
});

/** Issue 18: the server's half of a tablet's key, and until when the tablet may keep it offline. */
export const DeviceGrant = z.object({
  deviceId: z.string(),
  half: z.string(),
  offlineUntil: Instant,
});
