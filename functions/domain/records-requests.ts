import * as z from 'zod/mini';
import { Instant } from '#flows/events.ts';
import type { Locale } from '#flows/i18n.ts';
import type { KeyProvider } from '../crypto/key-provider.ts';
import { RecordsRequestConflictError } from '../storage/errors.ts';
import {
  type ConversationRecord,
  ErasedCounts,
  type ErasureRecord,
  type EventRecord,
  type HandoffRecord,
  LegalBasis,
  type OutboxRecord,
  type OutcomeRecord,
  type ReadRecord,
  RecordsRequestKind,
  type RecordsRequestRecord,
  type RecordsRequestStatus,
  type TaskRecord,
} from '../storage/records.ts';
import type { ItemKey, Store } from '../storage/store.ts';
import { keys } from '../storage/table.ts';
import { requireRole } from './access.ts';
import type { ReadContext } from './conversations.ts';
import { ConflictError, DomainError, NotFoundError, UnprocessableError } from './errors.ts';
import type { Principal } from './principal.ts';
import { revealSensitive, revealTasks } from './sensitive.ts';
import type { Services } from './services.ts';
import { taskIdOf } from './tasks.ts';

/**
 * Records requests about one subject reference, handled by an organisation's administrators (the custodians
 * of records): an export of everything held, and a lawful erasure that leaves only a record that it happened.
 *
 * Issue 16, finding 4: neither runs on one administrator's say. One opens a request (the reference, the kind,
 * a lawful basis from a fixed list); a second administrator of the same organisation approves it (typing the
 * reference again) or refuses it within 24 hours; the first then runs it, once, within 24 hours of the
 * approval. The reference is never stored with the request, only its keyed hash, and never travels in a URL
 * (finding 7): requests are named by a random id. The request record, and an erasure's own record, stay in
 * partitions that no erasure deletes; the owners of the subject's conversations are told when one runs.
 */

/** How long a request waits for its second administrator, and how long an approved one may wait to run. */
export const RECORDS_REQUEST_WINDOW_HOURS = { approve: 24, execute: 24 } as const;
const HOUR_MS = 3_600_000;

interface BasisSpec {
  label: string;
  citation: string;
  /** `statute` where a law or an order requires it; `policy` where the county's own rules do. */
  basis: 'statute' | 'policy';
  kinds: readonly RecordsRequestKind[];
}

/**
 * The lawful bases, each with the kinds of request it can support: a court's order may require either; a
 * sealing order, a record opened in error or an ended retention period only an erasure; an inspection by the
 * youth or their counsel, or an oversight review, only an export. County counsel should confirm the list.
 */
export const legalBases: Record<LegalBasis, BasisSpec> = {
  court_order: {
    label: 'An order of the juvenile court',
    citation: 'Welf. & Inst. Code § 827',
    basis: 'statute',
    kinds: ['export', 'erase'],
  },
  records_sealing_order: {
    label: 'An order sealing the juvenile records',
    citation: 'Welf. & Inst. Code §§ 389, 781, 786',
    basis: 'statute',
    kinds: ['erase'],
  },
  entered_in_error: {
    label: 'Opened about the wrong youth, or in error',
    citation: 'County records policy',
    basis: 'policy',
    kinds: ['erase'],
  },
  retention_period_ended: {
    label: 'The retention period for these records has ended',
    citation: 'County records retention schedule',
    basis: 'policy',
    kinds: ['erase'],
  },
  youth_or_counsel_inspection: {
    label: 'Inspection by the youth or their attorney',
    citation: 'Welf. & Inst. Code § 827(a)(1)',
    basis: 'statute',
    kinds: ['export'],
  },
  oversight_review: {
    label: 'Review by a state oversight agency',
    citation: 'Welf. & Inst. Code § 10850',
    basis: 'statute',
    kinds: ['export'],
  },
};

export function basisAllows(legalBasis: LegalBasis, kind: RecordsRequestKind): boolean {
  return legalBases[legalBasis].kinds.includes(kind);
}

/** A request as administrators see it: no reference, not even its keyed hash; its status as of now. */
export const RecordsRequestView = z.object({
  id: z.string(),
  kind: RecordsRequestKind,
  legalBasis: LegalBasis,
  legalBasisLabel: z.string(),
  citation: z.string(),
  basisReference: z.optional(z.string()),
  status: z.enum(['pending', 'approved', 'executed', 'refused', 'expired']),
  requestedBy: z.string(),
  requestedAt: Instant,
  approveBy: Instant,
  decidedBy: z.optional(z.string()),
  decidedAt: z.optional(Instant),
  executeBy: z.optional(Instant),
  executedAt: z.optional(Instant),
  exported: z.optional(z.object({ conversations: z.int(), handoffs: z.int() })),
  erasureId: z.optional(z.string()),
  removed: z.optional(ErasedCounts),
});
export type RecordsRequestView = z.infer<typeof RecordsRequestView>;

/** Pending past `approveBy`, or approved past `executeBy`: expired, though nothing was written to say so. */
function statusAt(request: RecordsRequestRecord, now: Date): RecordsRequestView['status'] {
  const past = (instant: string | undefined) => instant !== undefined && now.getTime() >= Date.parse(instant);
  if (request.status === 'pending' && past(request.approveBy)) return 'expired';
  if (request.status === 'approved' && past(request.executeBy)) return 'expired';
  return request.status;
}

function viewOf(request: RecordsRequestRecord, now: Date): RecordsRequestView {
  const { kind: _kind, org: _org, subjectRefHash: _hash, requestKind, status: _status, ...shown } = request;
  const basis = legalBases[request.legalBasis];
  return {
    ...shown,
    kind: requestKind,
    legalBasisLabel: basis.label,
    citation: basis.citation,
    status: statusAt(request, now),
  };
}

/**
 * Issue 16, finding 4: the subject reference as kept in request and erasure records: an HMAC under the
 * deployment's MAC key (KMS GenerateMac in AWS), so a reference of a few characters cannot be recovered by
 * hashing every candidate, as it could from a plain SHA-256.
 */
export function subjectRefHash(keyProvider: KeyProvider, org: string, subjectRef: string): Promise<string> {
  return keyProvider.mac('subject-ref', `${org}\n${subjectRef}`);
}

interface DutyRef {
  ruleId?: unknown;
}

/** A conversation's tasks are found from its outcome: their ids derive from the conversation and rule. */
async function tasksOf(store: Store, conversationId: string, outcome: OutcomeRecord | null) {
  const duties = Array.isArray(outcome?.outcome.duties) ? (outcome.outcome.duties as DutyRef[]) : [];
  const ruleIds = duties.flatMap((duty) => (typeof duty.ruleId === 'string' ? [duty.ruleId] : []));
  const tasks = await Promise.all(ruleIds.map((ruleId) => store.getTask(taskIdOf(conversationId, ruleId))));
  return tasks.filter((task): task is TaskRecord => task !== null);
}

interface HeldAboutConversation {
  conversation: ConversationRecord;
  events: EventRecord[];
  outcome: OutcomeRecord | null;
  tasks: TaskRecord[];
  notifications: OutboxRecord[];
  reads: ReadRecord[];
}

async function heldAbout(store: Store, conversation: ConversationRecord): Promise<HeldAboutConversation> {
  const [events, outcome, reads] = await Promise.all([
    store.listEvents(conversation.id),
    store.getOutcome(conversation.id),
    store.listReads(conversation.id),
  ]);
  const tasks = await tasksOf(store, conversation.id, outcome);
  const notifications = (
    await Promise.all(tasks.map((task) => store.listOutboxOfTask(conversation.org, task.id)))
  ).flat();
  return { conversation, events, outcome, tasks, notifications, reads };
}

/** R-HANDOFF-1: a hand-off the county received about the subject, with the county tasks it opened. */
interface HeldAboutHandoff {
  handoff: HandoffRecord;
  tasks: TaskRecord[];
  notifications: OutboxRecord[];
}

async function handoffTasks(store: Store, handoff: HandoffRecord): Promise<TaskRecord[]> {
  return (await Promise.all(handoff.taskIds.map((id) => store.getTask(id)))).filter(
    (task): task is TaskRecord => task !== null,
  );
}

async function heldAboutHandoff(store: Store, handoff: HandoffRecord): Promise<HeldAboutHandoff> {
  const tasks = await handoffTasks(store, handoff);
  const notifications = (
    await Promise.all(tasks.map((task) => store.listOutboxOfTask(task.org, task.id)))
  ).flat();
  return { handoff, tasks, notifications };
}

/**
 * What the organisation holds about one subject: its conversations, and (for a county) the partners'
 * hand-offs it received under that case reference, which have no county conversation of their own.
 */
async function subjectRecords(store: Store, org: string, subjectRef: string) {
  const [conversations, handoffs] = await Promise.all([
    store.listConversationsOfSubject(org, subjectRef),
    store.listHandoffsOfCase(org, subjectRef),
  ]);
  return { conversations, handoffs };
}

const isOwed = (task: TaskRecord) => task.status === 'open' && task.obligation === 'statute';

function refuseWhileOwed(owed: readonly TaskRecord[]): void {
  // A youth whose statutory reports are still owed is not erased; the reports come first.
  if (owed.length > 0) {
    throw new ConflictError(
      'statutory_tasks_open',
      'Statutory reports about this youth are still open; complete or cancel them before erasing. Nothing was erased.',
      { taskIds: owed.map((task) => task.id) },
    );
  }
}

/** Every item a conversation left in the table: its own partition, its reads, its tasks and their notifications. */
export async function keysOfConversation(store: Store, conversationId: string, org: string) {
  const [own, reads, outcome] = await Promise.all([
    store.listPartitionKeys(keys.conversation(conversationId).pk),
    store.listPartitionKeys(keys.reads(conversationId)),
    store.getOutcome(conversationId),
  ]);
  const tasks = await tasksOf(store, conversationId, outcome);
  const notifications = (await Promise.all(tasks.map((task) => store.listOutboxOfTask(org, task.id)))).flat();
  return {
    openStatutory: tasks.filter(isOwed),
    own,
    reads,
    tasks: tasks.map((task) => keys.task(task.id)),
    notifications: notifications.map((n) => keys.outbox(n.org, n.taskId, n.actionId)),
  };
}

export interface OpenRecordsRequest {
  subjectRef: string;
  kind: RecordsRequestKind;
  legalBasis: LegalBasis;
  basisReference?: string | undefined;
}

/**
 * Opens a request. Nothing held about the subject is `404`, and an erasure of a youth whose statutory reports
 * are still open is refused at once (`409 statutory_tasks_open`); both are checked again when it runs.
 */
export async function openRecordsRequest(
  services: Services,
  principal: Principal,
  input: OpenRecordsRequest,
): Promise<RecordsRequestView> {
  requireRole(principal, 'administrator');
  if (!basisAllows(input.legalBasis, input.kind)) {
    throw new UnprocessableError(
      'legal_basis_not_for_kind',
      `That legal basis does not support ${input.kind === 'export' ? 'an export' : 'an erasure'}.`,
    );
  }
  const { store } = services;
  const { conversations, handoffs } = await subjectRecords(store, principal.org, input.subjectRef);
  if (conversations.length === 0 && handoffs.length === 0) {
    throw new NotFoundError('records for that subject reference');
  }
  if (input.kind === 'erase') {
    const tasks = await Promise.all([
      ...conversations.map(async (c) => tasksOf(store, c.id, await store.getOutcome(c.id))),
      ...handoffs.map((handoff) => handoffTasks(store, handoff)),
    ]);
    refuseWhileOwed(tasks.flat().filter(isOwed));
  }
  const now = services.clock();
  const request: RecordsRequestRecord = {
    kind: 'records_request',
    id: services.newId(),
    org: principal.org,
    requestKind: input.kind,
    legalBasis: input.legalBasis,
    ...(input.basisReference === undefined ? {} : { basisReference: input.basisReference }),
    subjectRefHash: await subjectRefHash(services.keys, principal.org, input.subjectRef),
    status: 'pending',
    requestedBy: principal.userId,
    requestedAt: now.toISOString(),
    approveBy: new Date(now.getTime() + RECORDS_REQUEST_WINDOW_HOURS.approve * HOUR_MS).toISOString(),
  };
  await store.putRecordsRequest(request);
  return viewOf(request, now);
}

/** The organisation's requests, newest first: the audit of every export and erasure, without references. */
export async function listRecordsRequests(
  services: Pick<Services, 'store' | 'clock'>,
  principal: Principal,
): Promise<RecordsRequestView[]> {
  requireRole(principal, 'administrator');
  const now = services.clock();
  const requests = await services.store.listRecordsRequests(principal.org);
  return requests
    .sort((a, b) => b.requestedAt.localeCompare(a.requestedAt) || b.id.localeCompare(a.id))
    .map((request) => viewOf(request, now));
}

/** Another organisation's request, or none, is `404` alike; a request of another kind is not this route's. */
async function loadRequest(
  services: Services,
  principal: Principal,
  id: string,
  kind?: RecordsRequestKind,
): Promise<RecordsRequestRecord> {
  const request = await services.store.getRecordsRequest(principal.org, id);
  if (!request || (kind !== undefined && request.requestKind !== kind)) {
    throw new NotFoundError(kind === undefined ? 'records request' : `${kind} request`);
  }
  return request;
}

/** The reference typed again must be the one the request was opened for: its keyed hash says so. */
async function requireSameSubject(
  services: Services,
  request: RecordsRequestRecord,
  subjectRef: string,
): Promise<void> {
  if ((await subjectRefHash(services.keys, request.org, subjectRef)) !== request.subjectRefHash) {
    throw new UnprocessableError(
      'confirmation_mismatch',
      'That subject reference is not the one this request was opened for; nothing was done.',
    );
  }
}

function refuseExpired(status: RecordsRequestView['status']): void {
  if (status === 'expired') {
    throw new ConflictError(
      'request_expired',
      'This request has expired; open a new one if it is still needed.',
      { status },
    );
  }
}

export type RecordsDecision = { decision: 'approve'; subjectRef: string } | { decision: 'refuse' };

/**
 * The second administrator's decision. The requester may not decide their own request (`403 own_request`);
 * a request already decided (`409 request_already_decided`) or expired (`409 request_expired`) stays as it is.
 * Two administrators deciding at once: the write is conditional on the request still pending, so one wins.
 */
export async function decideRecordsRequest(
  services: Services,
  principal: Principal,
  id: string,
  decision: RecordsDecision,
): Promise<RecordsRequestView> {
  requireRole(principal, 'administrator');
  const request = await loadRequest(services, principal, id);
  if (request.requestedBy === principal.userId) {
    throw new DomainError(
      'forbidden',
      'own_request',
      'You opened this request: a second administrator of your organisation must decide it.',
    );
  }
  const now = services.clock();
  const status = statusAt(request, now);
  refuseExpired(status);
  const alreadyDecided = () =>
    new ConflictError('request_already_decided', 'This request has already been decided.', {
      status: statusAt(request, now),
    });
  if (status !== 'pending') throw alreadyDecided();
  if (decision.decision === 'approve') await requireSameSubject(services, request, decision.subjectRef);
  const at = now.toISOString();
  const decided: RecordsRequestRecord = {
    ...request,
    status: decision.decision === 'approve' ? 'approved' : 'refused',
    decidedBy: principal.userId,
    decidedAt: at,
    ...(decision.decision === 'approve'
      ? { executeBy: new Date(now.getTime() + RECORDS_REQUEST_WINDOW_HOURS.execute * HOUR_MS).toISOString() }
      : {}),
  };
  await commitOrConflict(services, decided, 'pending', {}, () => alreadyDecided());
  return viewOf(decided, now);
}

async function commitOrConflict(
  services: Services,
  request: RecordsRequestRecord,
  expected: RecordsRequestStatus,
  with_: Parameters<Store['commitRecordsRequest']>[2],
  conflict: () => ConflictError,
): Promise<void> {
  try {
    await services.store.commitRecordsRequest(request, expected, with_);
  } catch (error) {
    if (error instanceof RecordsRequestConflictError) throw conflict();
    throw error;
  }
}

/**
 * An approved request of this kind, run by the administrator who opened it, within its window, for the
 * reference it was opened for. Nothing is read about the subject before all of that holds.
 */
async function runnable(
  services: Services,
  principal: Principal,
  id: string,
  kind: RecordsRequestKind,
  subjectRef: string,
): Promise<{ request: RecordsRequestRecord; now: Date }> {
  requireRole(principal, 'administrator');
  const request = await loadRequest(services, principal, id, kind);
  if (request.requestedBy !== principal.userId) {
    throw new DomainError(
      'forbidden',
      'not_requester',
      'Only the administrator who opened this request may run it.',
    );
  }
  const now = services.clock();
  const status = statusAt(request, now);
  refuseExpired(status);
  if (status === 'pending')
    throw new ConflictError(
      'request_not_approved',
      'A second administrator has not approved this request yet.',
      { status },
    );
  if (status === 'refused')
    throw new ConflictError('request_refused', 'A second administrator refused this request.', { status });
  if (status === 'executed')
    throw new ConflictError('request_already_executed', 'This request has already been carried out.', {
      status,
    });
  await requireSameSubject(services, request, subjectRef);
  return { request, now };
}

const alreadyExecuted = () =>
  new ConflictError('request_already_executed', 'This request has already been carried out.', {
    status: 'executed',
  });

const ownerTitles: Record<Locale, Record<RecordsRequestKind, string>> = {
  en: {
    export:
      'Records request: everything held about a youth whose case you hold was exported, approved by a second administrator.',
    erase:
      'Records request: everything held about a youth whose case you held was lawfully erased, approved by a second administrator.',
  },
  es: {
    export:
      'Solicitud de registros: se exportó todo lo que se guarda sobre un joven cuyo caso usted lleva, con la aprobación de un segundo administrador.',
    erase:
      'Solicitud de registros: se borró legalmente todo lo que se guardaba sobre un joven cuyo caso usted llevaba, con la aprobación de un segundo administrador.',
  },
};

/**
 * Issue 16, finding 4: the owner of each of the subject's conversations is told, once per request, which of
 * their conversations it covered (by id) and on what basis; never the reference, which an erasure removes.
 */
function ownersTold(
  request: RecordsRequestRecord,
  conversations: readonly ConversationRecord[],
  at: string,
): OutboxRecord[] {
  const byOwner = new Map<string, ConversationRecord[]>();
  for (const conversation of conversations) {
    byOwner.set(conversation.owner, [...(byOwner.get(conversation.owner) ?? []), conversation]);
  }
  const basis = legalBases[request.legalBasis];
  return [...byOwner].map(([owner, held]) => {
    const first = held[0]!;
    return {
      kind: 'notification',
      org: first.org,
      unit: first.unit,
      taskId: `records-request.${request.id}`,
      actionId: `owner:${owner}`,
      type: 'records_request',
      recipient: { role: 'owner', userId: owner },
      title: ownerTitles[first.locale][request.requestKind],
      requirementId: basis.label,
      citation: basis.citation,
      dueAt: at,
      createdAt: at,
      recordsRequest: {
        id: request.id,
        kind: request.requestKind,
        legalBasis: request.legalBasis,
        conversationIds: held.map((conversation) => conversation.id),
      },
    };
  });
}

/**
 * Runs an approved export: everything held about the subject, sensitive answers in plain text, for the
 * administrator who asked. Before anything leaves, the request is marked run (once: a second run, or a
 * concurrent one, is `409 request_already_executed`), the case owners are told, and every case read is on record.
 */
export async function exportRecords(
  services: Services,
  principal: Principal,
  id: string,
  subjectRef: string,
  context: ReadContext,
) {
  const { request, now } = await runnable(services, principal, id, 'export', subjectRef);
  const { store } = services;
  const { conversations, handoffs } = await subjectRecords(store, principal.org, subjectRef);
  const [held, handoffsHeld] = await Promise.all([
    Promise.all(conversations.map((conversation) => heldAbout(store, conversation))),
    Promise.all(handoffs.map((handoff) => heldAboutHandoff(store, handoff))),
  ]);
  const revealed = await Promise.all(
    held.map(async ({ conversation, tasks, ...rest }) => {
      const { dataKey: _dataKey, state: _state, ...record } = conversation;
      return revealSensitive(services.keys, conversation, {
        conversation: record,
        tasks: await shownTasks(services, tasks),
        ...rest,
      });
    }),
  );
  const at = now.toISOString();
  const executed: RecordsRequestRecord = {
    ...request,
    status: 'executed',
    executedAt: at,
    exported: { conversations: conversations.length, handoffs: handoffs.length },
  };
  await commitOrConflict(
    services,
    executed,
    'approved',
    { notifications: ownersTold(request, conversations, at) },
    alreadyExecuted,
  );
  // An export is a read of every case in it, and is on record before anything leaves.
  await Promise.all(
    conversations.map((conversation) =>
      store.recordRead({
        kind: 'read',
        conversationId: conversation.id,
        org: conversation.org,
        actor: principal.userId,
        route: context.route,
        at,
        requestId: context.requestId,
      }),
    ),
  );
  return {
    requestId: request.id,
    subjectRef,
    legalBasis: request.legalBasis,
    exportedAt: at,
    exportedBy: principal.userId,
    approvedBy: request.decidedBy!,
    conversations: revealed,
    handoffs: await Promise.all(
      handoffsHeld.map(async ({ tasks, ...rest }) => ({ ...rest, tasks: await shownTasks(services, tasks) })),
    ),
  };
}

/**
 * Runs an approved erasure: removes the subject's conversations, events, outcomes, tasks, notifications, read
 * records and received hand-offs. Refused while a statutory report about the youth is open. The request
 * (marked run) and the erasure record (who asked, who approved, the basis, the keyed hash, counts) are written
 * together, with the owners' notifications, before anything is deleted, in partitions no erasure deletes: an
 * erasure interrupted halfway is on record, and a new request finishes it.
 */
export async function eraseRecords(
  services: Services,
  principal: Principal,
  id: string,
  subjectRef: string,
): Promise<ErasureRecord> {
  const { request, now } = await runnable(services, principal, id, 'erase', subjectRef);
  const { store } = services;
  const { conversations, handoffs: received } = await subjectRecords(store, principal.org, subjectRef);
  const [found, handoffs] = await Promise.all([
    Promise.all(
      conversations.map((conversation) => keysOfConversation(store, conversation.id, conversation.org)),
    ),
    Promise.all(received.map((handoff) => heldAboutHandoff(store, handoff))),
  ]);
  refuseWhileOwed([
    ...found.flatMap((f) => f.openStatutory),
    ...handoffs.flatMap((held) => held.tasks).filter(isOwed),
  ]);
  const all = (pick: (f: (typeof found)[number]) => ItemKey[]) => found.flatMap(pick);
  const own = all((f) => f.own);
  const handoffTaskKeys = handoffs.flatMap((held) => held.tasks.map((task) => keys.task(task.id)));
  const handoffNotifications = handoffs.flatMap((held) =>
    held.notifications.map((n) => keys.outbox(n.org, n.taskId, n.actionId)),
  );
  const at = now.toISOString();
  const removed = {
    conversations: conversations.length,
    events: own.filter((key) => key.sk.startsWith(keys.eventPrefix)).length,
    tasks: all((f) => f.tasks).length + handoffTaskKeys.length,
    notifications: all((f) => f.notifications).length + handoffNotifications.length,
    reads: all((f) => f.reads).length,
    handoffs: handoffs.length,
  };
  const erasure: ErasureRecord = {
    kind: 'erasure',
    id: services.newId(),
    org: principal.org,
    subjectRefHash: request.subjectRefHash,
    requestedBy: request.requestedBy,
    requestId: request.id,
    ...(request.decidedBy === undefined ? {} : { approvedBy: request.decidedBy }),
    ...(request.decidedAt === undefined ? {} : { approvedAt: request.decidedAt }),
    legalBasis: request.legalBasis,
    ...(request.basisReference === undefined ? {} : { basisReference: request.basisReference }),
    at,
    removed,
    conversationIds: conversations.map((conversation) => conversation.id),
  };
  const executed: RecordsRequestRecord = {
    ...request,
    status: 'executed',
    executedAt: at,
    erasureId: erasure.id,
    removed,
  };
  await commitOrConflict(
    services,
    executed,
    'approved',
    { erasure, notifications: ownersTold(request, conversations, at) },
    alreadyExecuted,
  );
  await store.deleteItems([
    ...all((f) => f.notifications),
    ...handoffNotifications,
    ...all((f) => f.tasks),
    ...handoffTaskKeys,
    ...all((f) => f.reads),
    ...own,
    ...handoffs.map((held) => keys.handoff(held.handoff.id)),
  ]);
  return erasure;
}

/** Tasks as an export shows them: typed text as typed (issue 16), the wrapped data key left out. */
async function shownTasks(services: Services, tasks: readonly TaskRecord[]) {
  return (await revealTasks(services.keys, tasks)).map(({ dataKey: _dataKey, ...task }) => task);
}
