import * as z from 'zod/mini';
import { DeviceId, PinVerifier } from '../domain/devices.ts';
import { SubjectRef } from '../domain/requests.ts';
import { LegalBasis, OrgSettings, RecordsRequestKind, TaskEvidence, TaskStatus } from '../storage/records.ts';

export { DeviceId } from '../domain/devices.ts';
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
  /** Issue 17: `mine`, the caller's own tasks and their unit queue's (their inbox), whatever their role. */
  scope: z.optional(z.enum(['mine'])),
  limit: z.optional(
    z.coerce.number().check(z.refine(Number.isInteger, 'a whole number'), z.gte(1), z.lte(100)),
  ),
  cursor: z.optional(z.string().check(z.maxLength(2048))),
});
export type ListTasksQuery = z.infer<typeof ListTasksQuery>;

/** Issue 17: only unfinished conversations are listed (a finished one is found through its tasks). */
export const ListConversationsQuery = z.strictObject({
  status: z.enum(['unfinished']),
  /** The widget asks whether the case reference it holds has a screening to resume. */
  subjectRef: z.optional(SubjectRef),
  flow: z.optional(z.string().check(z.regex(/^[a-z0-9-]{1,64}$/))),
});
export type ListConversationsQuery = z.infer<typeof ListConversationsQuery>;

/** Issue 17: a supervisor gives an open task of their unit to a worker, or back to the unit's queue. */
export const ReassignTaskRequest = z.strictObject({
  to: z.discriminatedUnion('kind', [
    z.strictObject({
      kind: z.literal('user'),
      userId: z
        .string()
        .check(z.trim(), z.minLength(1), z.maxLength(128), z.regex(/^[^:\s]+$/, 'a user id, not a queue')),
    }),
    z.strictObject({ kind: z.literal('queue') }),
  ]),
});
export type ReassignTaskRequest = z.infer<typeof ReassignTaskRequest>;

/** Issue 17: the board as JSON (default) or as a CSV file of its tasks. */
export const BoardQuery = z.strictObject({ format: z.optional(z.enum(['json', 'csv'])) });

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

/**
 * Issue 16, findings 4 and 7: records requests. The subject reference travels only in bodies (never in a
 * URL, which access logs keep); a request is then named by its random id.
 */
export const RecordsRequestId = z.uuid();

export const OpenRecordsRequestBody = z.strictObject({
  subjectRef: SubjectRef,
  kind: RecordsRequestKind,
  /**
   * One of a fixed list of lawful bases, never free text; each supports an export, an erasure or both (else
   * `422 legal_basis_not_for_kind`).
   */
  legalBasis: LegalBasis,
  /** The order's or case's number at the court or agency: letters, digits and - _ . : / only, no names. */
  basisReference: z.optional(
    z.string().check(z.regex(/^[A-Za-z0-9][A-Za-z0-9_.:/-]{0,63}$/, 'a reference number, not a name')),
  ),
});
export type OpenRecordsRequestBody = z.infer<typeof OpenRecordsRequestBody>;

/** The second administrator approves (typing the reference again, from the order they checked) or refuses. */
export const DecideRecordsRequestBody = z.discriminatedUnion('decision', [
  z.strictObject({ decision: z.literal('approve'), subjectRef: SubjectRef }),
  z.strictObject({ decision: z.literal('refuse') }),
]);
export type DecideRecordsRequestBody = z.infer<typeof DecideRecordsRequestBody>;

/** The requester runs the approved request, typing the reference again (checked against its keyed hash). */
export const RunRecordsRequestBody = z.strictObject({ subjectRef: SubjectRef });
export type RunRecordsRequestBody = z.infer<typeof RunRecordsRequestBody>;

/** R-ROUTE-1: an administrator's organisation settings, replacing the version they last read (0: none yet). */
export const PutOrganisationRequest = z.strictObject({
  settings: OrgSettings,
  expectedVersion: z.int().check(z.gte(0), z.lte(1_000_000)),
});
export type PutOrganisationRequest = z.infer<typeof PutOrganisationRequest>;

const UserRef = z.string().check(z.minLength(1), z.maxLength(128), z.regex(/^[^:]+$/, 'a user id'));

/** R-TRAIN-1: a training completed (type, date); for someone else only by an administrator. */
export const RecordTrainingRequest = z.strictObject({
  userId: z.optional(UserRef),
  type: z.string().check(z.regex(/^[a-z0-9_]{1,64}$/)),
  completedOn: z.iso.date(),
});
export type RecordTrainingRequest = z.infer<typeof RecordTrainingRequest>;

export const TrainingQuery = z.strictObject({ userId: z.optional(UserRef) });
export type TrainingQuery = z.infer<typeof TrainingQuery>;

/** Issue 18: a tablet enrolled for the server's half of its key: its random id and the PIN's verifier. */
export const EnrolDeviceRequest = z.strictObject({ deviceId: DeviceId, verifier: PinVerifier });
export type EnrolDeviceRequest = z.infer<typeof EnrolDeviceRequest>;

/** Issue 18: the PIN's verifier, for the half back. */
export const UnlockDeviceRequest = z.strictObject({ verifier: PinVerifier });
export type UnlockDeviceRequest = z.infer<typeof UnlockDeviceRequest>;
