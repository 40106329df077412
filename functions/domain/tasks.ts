import * as z from 'zod/mini';
import type { Duty } from '#flows/duties.ts';
import { fill, type Locale, localize } from '#flows/i18n.ts';
import { appendHistory } from '../audit/chain.ts';
import { settled, withFirstAction } from '../reminders/actions.ts';
import { TaskStatusConflictError } from '../storage/errors.ts';
import type { ConversationRecord, TaskEvidence, TaskRecord, TaskStatus } from '../storage/records.ts';
import { keys } from '../storage/table.ts';
import { maySettle, requireCaseRole, taskScopeOf, visibleOr404 } from './access.ts';
import { ConflictError, InvalidInputError, UnprocessableError } from './errors.ts';
import type { Principal } from './principal.ts';
import type { TaskServices } from './services.ts';
import type { TaskView, Warning } from './views.ts';
import { domainWords } from './wording.ts';

/** A task id is derived from its conversation and rule, so the same duty can never be opened twice. */
export const taskIdOf = (conversationId: string, ruleId: string) => `${conversationId}.${ruleId}`;

export function tasksForDuties(
  services: TaskServices,
  conversation: ConversationRecord,
  duties: readonly Duty[],
  openedAt: string,
  openedBy: string,
): TaskRecord[] {
  return duties.map((duty) => {
    const task: TaskRecord = {
      kind: 'task',
      id: taskIdOf(conversation.id, duty.ruleId),
      conversationId: conversation.id,
      subjectRef: conversation.subjectRef,
      org: conversation.org,
      unit: conversation.unit,
      owner: conversation.owner,
      ruleId: duty.ruleId,
      taskType: duty.taskType,
      requirementId: duty.requirementId,
      citation: duty.citation,
      title: duty.title,
      description: duty.description,
      assigneeRole: duty.assigneeRole,
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
      history: appendHistory(task, { at: openedAt, action: 'opened', by: openedBy }),
    });
  });
}

/** R-RUN-2: a youth's return settles their open tasks of the types the outcome names (their `locate` task). */
export async function tasksClosedBy(
  services: TaskServices,
  conversation: ConversationRecord,
  taskTypes: readonly string[],
  at: string,
  by: string,
): Promise<TaskRecord[]> {
  if (taskTypes.length === 0) return [];
  const open: TaskRecord[] = [];
  let cursor: Record<string, unknown> | undefined;
  do {
    const page = await services.store.listTasks(conversation.org, {
      status: 'open',
      limit: 100,
      ...(cursor ? { cursor } : {}),
    });
    open.push(...page.tasks);
    cursor = page.cursor;
  } while (cursor);
  return open
    .filter((task) => task.subjectRef === conversation.subjectRef && taskTypes.includes(task.taskType))
    .map((task) => ({
      ...settled(task),
      status: 'done' as const,
      closure: { reason: 'youth_returned' as const, conversationId: conversation.id },
      history: appendHistory(task, { at, action: 'closed', by }),
    }));
}

export function taskView(task: TaskRecord, now: Date): TaskView {
  const due = Date.parse(task.dueAt);
  const { kind: _kind, org: _org, unit: _unit, owner: _owner, ...visible } = task;
  return {
    ...visible,
    overdue: task.status === 'open' && due <= now.getTime(),
    ...(task.evidence ? { metDeadline: Date.parse(task.evidence.reportedAt) <= due } : {}),
  };
}

/** R-REPORT-1: a task whose information arrived more than its window ago is opened overdue, and the reply says so. */
export function overdueWarnings(tasks: readonly TaskRecord[], openedAt: Date, locale: Locale): Warning[] {
  return tasks
    .filter((task) => Date.parse(task.dueAt) <= openedAt.getTime())
    .map((task) => ({
      code: 'task_overdue_on_creation',
      taskId: task.id,
      message: fill(localize(domainWords.overdueOnCreation, locale), {
        hours: Math.round((Date.parse(task.dueAt) - Date.parse(task.receivedAt)) / 3_600_000),
      }),
    }));
}

async function loadTask(services: TaskServices, principal: Principal, taskId: string): Promise<TaskRecord> {
  requireCaseRole(principal);
  return visibleOr404(await services.store.getTask(taskId), maySettle, principal, 'task');
}

async function changeStatus(services: TaskServices, task: TaskRecord, next: TaskRecord): Promise<TaskView> {
  if (task.status !== 'open') {
    throw new ConflictError('task_not_open', `This task is already ${task.status}.`, { status: task.status });
  }
  try {
    await services.store.updateTask(next, 'open');
  } catch (error) {
    if (error instanceof TaskStatusConflictError) {
      throw new ConflictError('task_not_open', 'This task was changed by someone else a moment ago.');
    }
    throw error;
  }
  return taskView(next, services.clock());
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
  return changeStatus(services, task, {
    ...settled(task),
    status: 'done',
    evidence,
    history: appendHistory(task, { at, action: 'completed', by: principal.userId }),
  });
}

export async function cancelTask(
  services: TaskServices,
  principal: Principal,
  taskId: string,
  reason: string,
): Promise<TaskView> {
  const task = await loadTask(services, principal, taskId);
  const at = services.clock().toISOString();
  return changeStatus(services, task, {
    ...settled(task),
    status: 'cancelled',
    cancelReason: reason,
    history: appendHistory(task, { at, action: 'cancelled', by: principal.userId }),
  });
}

export async function getTasksOfConversation(
  services: TaskServices,
  conversationId: string,
  ruleIds: readonly string[],
) {
  const tasks = await Promise.all(
    ruleIds.map((ruleId) => services.store.getTask(taskIdOf(conversationId, ruleId))),
  );
  return tasks.filter((task): task is TaskRecord => task !== null);
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
  query: { status?: TaskStatus; limit?: number; cursor?: string },
): Promise<{ tasks: TaskView[]; cursor: string | null }> {
  requireCaseRole(principal);
  const page = await services.store.listTasks(principal.org, {
    limit: query.limit ?? 50,
    scope: taskScopeOf(principal),
    ...(query.status ? { status: query.status } : {}),
    ...(query.cursor ? { cursor: decodeCursor(query.cursor, principal.org, query.status) } : {}),
  });
  const now = services.clock();
  return { tasks: page.tasks.map((task) => taskView(task, now)), cursor: encodeCursor(page.cursor) };
}
