import * as z from 'zod/mini';
import type { Duty } from '#flows/duties.ts';
import { fill, type Locale, localize } from '#flows/i18n.ts';
import { appendHistory } from '../audit/chain.ts';
import { chainKeyOf } from '../audit/chain-key.ts';
import { notificationAbout, ownerOf, settled, withFirstAction } from '../reminders/actions.ts';
import { TaskStatusConflictError } from '../storage/errors.ts';
import type {
  ConversationRecord,
  OrgProfileRecord,
  OutboxRecord,
  TaskEvidence,
  TaskHistoryEntry,
  TaskRecord,
  TaskStatus,
} from '../storage/records.ts';
import { keys } from '../storage/table.ts';
import {
  mayClaim,
  maySee,
  maySettle,
  requireCaseRole,
  requireRole,
  taskScopeOf,
  visibleOr404,
} from './access.ts';
import { ConflictError, InvalidInputError, UnprocessableError } from './errors.ts';
import type { Principal } from './principal.ts';
import { isQueueOwner, isSupervisorsOwner, queueOwner, resolveOwner, type Screener } from './routing.ts';
import { revealTasks, sealTaskText } from './sensitive.ts';
import type { TaskServices } from './services.ts';
import type { TaskView, Warning } from './views.ts';
import { domainWords } from './wording.ts';

/** A task id is derived from its conversation and rule, so the same duty can never be opened twice. */
export const taskIdOf = (conversationId: string, ruleId: string) => `${conversationId}.${ruleId}`;

/**
 * Where a set of duties opens: the record they come from (a conversation, or a partner's hand-off), the
 * organisation they open in with its routing, and who ran the conversation there (none for a hand-off).
 */
export interface TaskSource {
  id: string;
  subjectRef: string;
  org: string;
  profile: OrgProfileRecord | null;
  screener: Screener | null;
  handoffId?: string;
}

export function sourceOfConversation(
  conversation: ConversationRecord,
  profile: OrgProfileRecord | null,
): TaskSource {
  return {
    id: conversation.id,
    subjectRef: conversation.subjectRef,
    org: conversation.org,
    profile,
    screener: { userId: conversation.owner, unit: conversation.unit },
  };
}

/** R-ROUTE-1: each duty becomes a task owned by whoever its assignee role resolves to, not the creator. */
export function tasksForDuties(
  services: TaskServices,
  source: TaskSource,
  duties: readonly Duty[],
  openedAt: string,
  openedBy: string,
): TaskRecord[] {
  return duties.map((duty) => {
    const routed = resolveOwner(duty.assigneeRole, source.profile, source.screener);
    const task: TaskRecord = {
      kind: 'task',
      id: taskIdOf(source.id, duty.ruleId),
      conversationId: source.id,
      subjectRef: source.subjectRef,
      org: source.org,
      unit: routed.unit,
      owner: routed.owner,
      ...(routed.fallback ? { standIn: true } : {}),
      ...(source.handoffId ? { handoffId: source.handoffId } : {}),
      ruleId: duty.ruleId,
      taskType: duty.taskType,
      requirementId: duty.requirementId,
      citation: duty.citation,
      title: duty.title,
      description: duty.description,
      ...(duty.details ? { details: duty.details } : {}),
      assigneeRole: duty.assigneeRole,
      obligation: duty.obligation,
      receivedAt: duty.receivedAt,
      dueAt: duty.dueAt,
      deadlineBasis: duty.deadlineBasis,
      ...(duty.referTo ? { referTo: duty.referTo } : {}),
      status: 'open',
      createdAt: openedAt,
      history: [],
    };
    return withFirstAction(services, {
      ...task,
      history: appendHistory(
        task,
        [{ at: openedAt, action: 'opened', by: openedBy }],
        chainKeyOf(services.chain),
      ),
    });
  });
}

/** R-ROUTE-1: a task whose role names nobody in this organisation is held by the screener, and they are told. */
export function standInWarnings(tasks: readonly TaskRecord[], locale: Locale): Warning[] {
  return tasks
    .filter((task) => task.standIn)
    .map((task) => ({
      code: 'routed_to_stand_in',
      taskId: task.id,
      message: fill(localize(domainWords.standIn, locale), { role: task.assigneeRole }),
    }));
}

/** What a youth's return does to the locate task of the report it is linked to (R-RUN-2, issue 16). */
export interface ReturnSettlement {
  /** Tasks closed by the return, each written only if still open and still the same owner's. */
  closes: TaskRecord[];
  /** Create-only, in the same transaction: the owner told of a closure, or asked to close. */
  notifications: OutboxRecord[];
  warnings: Warning[];
}

/** A notice to a task's owner (as a reminder goes: a user, a queue's unit, or the unit's supervisors). */
function ownerNotice(
  task: TaskRecord,
  type: 'closure_requested' | 'task_closed',
  actionId: string,
  at: string,
): OutboxRecord {
  return notificationAbout(task, { actionId, type, recipient: ownerOf(task) }, at);
}

/**
 * R-RUN-2, issue 16: a youth's return settles only the tasks of the missing-from-care report the interview
 * was linked to (`linked`: that report's tasks of the types the outcome names), and only those its
 * interviewer may settle; the owner is told. A task they may not settle (another worker's) stays open and
 * its owner is asked to close it. Without a link nothing is closed, and the reply says so.
 */
export function settleOnReturn(
  services: TaskServices,
  principal: Principal,
  conversation: ConversationRecord,
  linked: readonly TaskRecord[] | null,
  at: string,
): ReturnSettlement {
  const locale = conversation.locale;
  if (linked === null) {
    return {
      closes: [],
      notifications: [],
      warnings: [
        { code: 'no_missing_report_linked', message: localize(domainWords.noMissingReportLinked, locale) },
      ],
    };
  }
  const open = linked.filter((task) => task.status === 'open');
  if (open.length === 0) {
    return {
      closes: [],
      notifications: [],
      warnings: [{ code: 'no_open_locate_task', message: localize(domainWords.noOpenLocateTask, locale) }],
    };
  }
  const settlement: ReturnSettlement = { closes: [], notifications: [], warnings: [] };
  for (const task of open) {
    if (!maySettle(principal, task)) {
      // One request per interview, so a second return interview asks again rather than colliding.
      settlement.notifications.push(
        ownerNotice(task, 'closure_requested', `closure-requested.${conversation.id}`, at),
      );
      settlement.warnings.push({
        code: 'locate_closure_requested',
        taskId: task.id,
        message: localize(domainWords.locateClosureRequested, locale),
      });
      continue;
    }
    settlement.closes.push(
      withEntry(
        services,
        {
          ...settled(task),
          status: 'done' as const,
          closure: { reason: 'youth_returned' as const, conversationId: conversation.id },
        },
        { at, action: 'closed', by: principal.userId },
      ),
    );
    // The owner is told, unless they closed it themselves.
    if (task.owner !== principal.userId)
      settlement.notifications.push(ownerNotice(task, 'task_closed', 'closed', at));
  }
  return settlement;
}

/**
 * The task as it stands after an action, with the action chained onto its history: the entry commits to
 * the new status, owner, evidence and reason (issue 16), under the chain key.
 */
export function withEntry(
  services: TaskServices,
  after: TaskRecord,
  ...entries: Array<Pick<TaskHistoryEntry, 'at' | 'action' | 'by'>>
): TaskRecord {
  return { ...after, history: appendHistory(after, entries, chainKeyOf(services.chain)) };
}

export function taskView(task: TaskRecord, now: Date): TaskView {
  const due = Date.parse(task.dueAt);
  const { kind: _kind, org: _org, unit: _unit, owner: _owner, dataKey: _dataKey, ...visible } = task;
  return {
    ...visible,
    // Where the task went (R-ROUTE-1), without naming another user.
    routedTo: {
      kind: isQueueOwner(task.owner) ? 'queue' : isSupervisorsOwner(task.owner) ? 'supervisors' : 'user',
      unit: task.unit,
    },
    overdue: task.status === 'open' && due <= now.getTime(),
    ...(task.evidence ? { metDeadline: Date.parse(task.evidence.reportedAt) <= due } : {}),
  };
}

/** R-REPORT-1: a task whose information arrived more than its window ago is opened overdue, and the reply says so. */
export function overdueWarnings(tasks: readonly TaskRecord[], openedAt: Date, locale: Locale): Warning[] {
  return tasks
    .filter((task) => Date.parse(task.dueAt) <= openedAt.getTime())
    .map((task) => {
      const hours = Math.round((Date.parse(task.dueAt) - Date.parse(task.receivedAt)) / 3_600_000);
      // A duty the law wants done at once (a phone report, a cross-report) is not late: it is due now.
      return hours === 0
        ? {
            code: 'task_due_immediately',
            taskId: task.id,
            message: fill(localize(domainWords.dueImmediately, locale), { title: task.title }),
          }
        : {
            code: 'task_overdue_on_creation',
            taskId: task.id,
            message: fill(localize(domainWords.overdueOnCreation, locale), { hours }),
          };
    });
}

async function loadTask(services: TaskServices, principal: Principal, taskId: string): Promise<TaskRecord> {
  await services.chain.load();
  requireCaseRole(principal);
  return visibleOr404(await services.store.getTask(taskId), maySettle, principal, 'task');
}

/**
 * Settles an open task: its typed text (evidence, reason) sealed, the action chained onto its history
 * (committing to the sealed facts), written only if it is still open; the reply shows the text as typed.
 */
async function settleTask(
  services: TaskServices,
  task: TaskRecord,
  typed: TaskRecord,
  entry: Pick<TaskHistoryEntry, 'at' | 'action' | 'by'>,
  notifications: readonly OutboxRecord[] = [],
): Promise<TaskView> {
  if (task.status !== 'open') {
    throw new ConflictError('task_not_open', `This task is already ${task.status}.`, { status: task.status });
  }
  const sealed = await sealTaskText(services.keys, typed, ['cancelReason', 'evidence']);
  const next = withEntry(services, sealed, entry);
  try {
    await services.store.updateTask(next, 'open', notifications);
  } catch (error) {
    if (error instanceof TaskStatusConflictError) {
      throw new ConflictError('task_not_open', 'This task was changed by someone else a moment ago.');
    }
    throw error;
  }
  const { cancelReason, evidence } = typed;
  return taskView(
    { ...next, ...(cancelReason !== undefined ? { cancelReason } : {}), ...(evidence ? { evidence } : {}) },
    services.clock(),
  );
}

/** Evidence up to five minutes ahead is accepted, for clocks that run a little fast. */
const EVIDENCE_SKEW_MS = 5 * 60_000;

export async function completeTask(
  services: TaskServices,
  principal: Principal,
  taskId: string,
  evidence: TaskEvidence,
): Promise<TaskView> {
  const task = await loadTask(services, principal, taskId);
  const now = services.clock();
  if (Date.parse(evidence.reportedAt) > now.getTime() + EVIDENCE_SKEW_MS) {
    throw new UnprocessableError('evidence_in_future', 'The report time is in the future.');
  }
  if (Date.parse(evidence.reportedAt) < Date.parse(task.receivedAt)) {
    throw new UnprocessableError(
      'evidence_before_information',
      'The report time is before the information was received.',
    );
  }
  const at = now.toISOString();
  return settleTask(
    services,
    task,
    { ...settled(task), status: 'done', evidence },
    { at, action: 'completed', by: principal.userId },
  );
}

/**
 * R-OVERRIDE-1: a statutory report is a decision a supervisor must see when it is dropped. Cancelling one
 * writes, in the same transaction, a notice to the supervisors of the task's unit.
 */
function cancellationNotice(task: TaskRecord, at: string): OutboxRecord {
  return notificationAbout(
    task,
    { actionId: 'cancelled', type: 'cancellation', recipient: { role: 'supervisor' } },
    at,
  );
}

export async function cancelTask(
  services: TaskServices,
  principal: Principal,
  taskId: string,
  reason: string,
): Promise<TaskView> {
  const task = await loadTask(services, principal, taskId);
  const at = services.clock().toISOString();
  return settleTask(
    services,
    task,
    { ...settled(task), status: 'cancelled', cancelReason: reason },
    { at, action: 'cancelled', by: principal.userId },
    task.obligation === 'statute' ? [cancellationNotice(task, at)] : [],
  );
}

/** Taking a task from the unit's queue makes it the caller's: their list, their reminders (R-ROUTE-1). */
export async function claimTask(
  services: TaskServices,
  principal: Principal,
  taskId: string,
): Promise<TaskView> {
  requireCaseRole(principal);
  const [stored] = await Promise.all([services.store.getTask(taskId), services.chain.load()]);
  const task = visibleOr404(stored, maySee, principal, 'task');
  const notQueued = () =>
    new ConflictError('task_not_queued', "This task is not waiting in your unit's queue.");
  if (task.status !== 'open') {
    throw new ConflictError('task_not_open', `This task is already ${task.status}.`, { status: task.status });
  }
  if (!mayClaim(principal, task)) throw notQueued();
  const at = services.clock().toISOString();
  const claimed = withEntry(
    services,
    { ...task, owner: principal.userId },
    { at, action: 'claimed', by: principal.userId },
  );
  try {
    await services.store.claimTask(claimed, task.owner);
  } catch (error) {
    if (error instanceof TaskStatusConflictError) throw notQueued();
    throw error;
  }
  return taskView(claimed, services.clock());
}

/** Issue 17: where a supervisor may send a task: a named worker, or back to the unit's shared queue. */
export type ReassignTarget = { kind: 'user'; userId: string } | { kind: 'queue' };

/**
 * Issue 17: a supervisor gives an open task of their own unit to a worker or to the unit's queue. The new
 * owner is told (an `assignment` notification, in the same transaction), and the change is a link of the
 * task's chain; written only if nobody settled, claimed or reassigned it since it was read.
 */
export async function reassignTask(
  services: TaskServices,
  principal: Principal,
  taskId: string,
  to: ReassignTarget,
): Promise<TaskView & { owner: string }> {
  requireRole(principal, 'supervisor');
  const [stored] = await Promise.all([services.store.getTask(taskId), services.chain.load()]);
  const task = visibleOr404(
    stored,
    (caller, record) => maySee(caller, record) && record.unit === caller.unit,
    principal,
    'task',
  );
  if (task.status !== 'open') {
    throw new ConflictError('task_not_open', `This task is already ${task.status}.`, { status: task.status });
  }
  const owner = to.kind === 'queue' ? queueOwner(task.unit) : to.userId;
  if (owner === task.owner) {
    throw new ConflictError('task_already_assigned', 'This task is already theirs.');
  }
  const at = services.clock().toISOString();
  const { standIn: _standIn, ...rest } = task;
  const moved = withEntry(services, { ...rest, owner }, { at, action: 'reassigned', by: principal.userId });
  const seq = moved.history.at(-1)!.seq;
  const notice = notificationAbout(
    moved,
    { actionId: `assigned-${seq}`, type: 'assignment', recipient: ownerOf(moved) },
    at,
  );
  try {
    await services.store.reassignTask(moved, task.owner, [notice]);
  } catch (error) {
    if (error instanceof TaskStatusConflictError) {
      throw new ConflictError('task_changed', 'This task was changed by someone else a moment ago.');
    }
    throw error;
  }
  // Only an open task is moved, and nothing of an open task is sealed: it is shown as stored.
  return { ...taskView(moved, services.clock()), owner };
}

export async function getTasksOfConversation(
  services: TaskServices,
  conversationId: string,
  ruleIds: readonly string[],
) {
  const tasks = await Promise.all(
    ruleIds.map((ruleId) => services.store.getTask(taskIdOf(conversationId, ruleId))),
  );
  return revealTasks(
    services.keys,
    tasks.filter((task): task is TaskRecord => task !== null),
  );
}

const KeyPart = z.string().check(z.minLength(1), z.maxLength(512));
const Cursor = z.strictObject({ pk: KeyPart, sk: KeyPart, gsi1pk: KeyPart, gsi1sk: KeyPart });

function encodeCursor(key: Record<string, unknown> | undefined): string | null {
  return key ? Buffer.from(JSON.stringify(key)).toString('base64url') : null;
}

/**
 * A cursor is the caller's input: it must decode to a key inside the caller's own organisation, and inside
 * the status the query asks for (DynamoDB refuses a start key outside the key condition).
 */
function decodeCursor(cursor: string, org: string, status: TaskStatus | undefined): Record<string, unknown> {
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidInputError('invalid_cursor', 'The cursor is not one this API issued.');
  }
  const key = Cursor.safeParse(decoded);
  if (
    !key.success ||
    key.data.gsi1pk !== keys.tasksOfOrg(org) ||
    !key.data.pk.startsWith('TASK#') ||
    key.data.sk !== 'TASK' ||
    (status !== undefined && !key.data.gsi1sk.startsWith(`${status}#`))
  ) {
    throw new InvalidInputError('invalid_cursor', 'The cursor is not one this API issued.');
  }
  return key.data;
}

export async function listTasks(
  services: TaskServices,
  principal: Principal,
  query: { status?: TaskStatus; limit?: number; cursor?: string; scope?: 'mine' },
): Promise<{ tasks: TaskView[]; cursor: string | null }> {
  requireCaseRole(principal);
  const page = await services.store.listTasks(principal.org, {
    limit: query.limit ?? 50,
    // Issue 17: the inbox: the caller's own tasks and their unit queue's, whatever else their role sees.
    scope:
      query.scope === 'mine'
        ? { owners: [principal.userId, queueOwner(principal.unit)] }
        : taskScopeOf(principal),
    ...(query.status ? { status: query.status } : {}),
    ...(query.cursor ? { cursor: decodeCursor(query.cursor, principal.org, query.status) } : {}),
  });
  const now = services.clock();
  const shown = await revealTasks(services.keys, page.tasks);
  return { tasks: shown.map((task) => taskView(task, now)), cursor: encodeCursor(page.cursor) };
}
