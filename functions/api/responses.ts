import * as z from 'zod/mini';
import { Instant } from '#flows/events.ts';
import { RecordsRequestView } from '../domain/records-requests.ts';
import { TaskView } from '../domain/views.ts';
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
