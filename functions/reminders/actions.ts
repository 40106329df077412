import { appendHistory } from '../audit/chain.ts';
import { isQueueOwner, isSupervisorsOwner } from '../domain/routing.ts';
import type { TaskServices } from '../domain/services.ts';
import { TaskStatusConflictError } from '../storage/errors.ts';
import type { OutboxRecord, TaskRecord } from '../storage/records.ts';
import { DUE_SHARDS } from '../storage/table.ts';
import { dueActions, nextActionAt, type PlannedAction, planActions, policyFor } from './policy.ts';

export function planOf(services: TaskServices, task: TaskRecord): PlannedAction[] {
  return planActions(task, policyFor(services.reminders, task.taskType));
}

/** A new task with its first reminder or escalation set, so it enters the due-action index. */
export function withFirstAction(services: TaskServices, task: TaskRecord): TaskRecord {
  const next = nextActionAt(planOf(services, task), []);
  return { ...task, actionsDone: [], ...(next ? { nextActionAt: next } : {}) };
}

/** A settled task leaves the due-action index: nothing more is chased. */
export function settled(task: TaskRecord): TaskRecord {
  const { nextActionAt: _next, ...rest } = task;
  return rest;
}

/** R-ROUTE-1: a reminder follows the task's owner, whoever opened it: a user, a unit's queue, or its supervisors. */
export function ownerOf(task: TaskRecord): OutboxRecord['recipient'] {
  if (isSupervisorsOwner(task.owner)) return { role: 'supervisor' };
  if (isQueueOwner(task.owner)) return { role: task.assigneeRole, queue: true };
  return { role: task.assigneeRole, userId: task.owner };
}

/** One notification about a task, whatever its kind: the task's facts, who it goes to, and when. */
export function notificationAbout(
  task: TaskRecord,
  what: Pick<OutboxRecord, 'actionId' | 'type' | 'recipient'>,
  at: string,
): OutboxRecord {
  return {
    kind: 'notification',
    org: task.org,
    unit: task.unit,
    taskId: task.id,
    ...what,
    subjectRef: task.subjectRef,
    title: task.title,
    requirementId: task.requirementId,
    citation: task.citation,
    dueAt: task.dueAt,
    createdAt: at,
  };
}

/**
 * A reminder goes to the owner; an escalation to the unit's supervisors and, so it is never news to them,
 * to the owner too (issue 17), unless the supervisors are the owner.
 */
function notificationsFor(task: TaskRecord, action: PlannedAction, now: string): OutboxRecord[] {
  if (action.kind === 'reminder') {
    return [
      notificationAbout(task, { actionId: action.id, type: 'reminder', recipient: ownerOf(task) }, now),
    ];
  }
  const toSupervisors = notificationAbout(
    task,
    { actionId: action.id, type: action.kind, recipient: { role: 'supervisor' } },
    now,
  );
  if (isSupervisorsOwner(task.owner)) return [toSupervisors];
  return [
    toSupervisors,
    notificationAbout(
      task,
      { actionId: `${action.id}.owner`, type: 'escalation_notice', recipient: ownerOf(task) },
      now,
    ),
  ];
}

/** What a run wrote: every notification, and among them the escalations (a task past its due time). */
export interface ActionsTaken {
  notifications: number;
  /** Logged by the jobs; the deployment's overdue-tasks alarm counts them from the logs. */
  escalations: number;
}

const NOTHING: ActionsTaken = { notifications: 0, escalations: 0 };

/**
 * Takes a task's due reminders and escalations: writes their notifications and marks them done in one
 * transaction. Safe to run twice at once (scheduler and sweep): the loser's condition fails and it stops.
 */
export async function runTaskActions(
  services: TaskServices,
  task: TaskRecord,
  now: Date,
): Promise<ActionsTaken> {
  if (task.status !== 'open' || task.nextActionAt === undefined) return NOTHING;
  const plan = planOf(services, task);
  const done = task.actionsDone ?? [];
  const { send, skip } = dueActions(plan, done, now);
  if (send.length + skip.length === 0) return NOTHING;
  const at = now.toISOString();
  const actionsDone = [...done, ...send.map((a) => a.id), ...skip.map((a) => a.id)];
  const next = nextActionAt(plan, actionsDone);
  const updated: TaskRecord = {
    ...settled(task),
    actionsDone,
    ...(next ? { nextActionAt: next } : {}),
    history: [],
  };
  updated.history = appendHistory(
    { ...updated, history: task.history },
    send.map((action) => ({
      at,
      action: action.kind === 'reminder' ? 'reminded' : 'escalated',
      by: 'system',
    })),
    await services.chain.load(),
  );
  try {
    const notifications = send.flatMap((action) => notificationsFor(task, action, at));
    await services.store.recordTaskActions(updated, task.nextActionAt, notifications);
    return {
      notifications: notifications.length,
      escalations: send.filter((action) => action.kind !== 'reminder').length,
    };
  } catch (error) {
    // Completed, cancelled or already handled by a concurrent run: nothing left for this one to do.
    if (error instanceof TaskStatusConflictError) return NOTHING;
    throw error;
  }
}

/** The backstop: every open task whose next action is due, across all shards of the due-action index. */
export async function sweepDueTasks(
  services: TaskServices,
  now: Date,
  limitPerShard = 100,
): Promise<{ tasks: number } & ActionsTaken> {
  let tasks = 0;
  let notifications = 0;
  let escalations = 0;
  for (let shard = 0; shard < DUE_SHARDS; shard += 1) {
    for (const task of await services.store.listDueTasks(shard, now.toISOString(), limitPerShard)) {
      tasks += 1;
      const taken = await runTaskActions(services, task, now);
      notifications += taken.notifications;
      escalations += taken.escalations;
    }
  }
  return { tasks, notifications, escalations };
}

/** What a scheduled wake-up runs: the due actions of one task, re-read so a stale wake-up does nothing. */
export async function runScheduledTask(
  services: TaskServices,
  taskId: string,
  now: Date,
): Promise<ActionsTaken> {
  const task = await services.store.getTask(taskId);
  return task ? runTaskActions(services, task, now) : NOTHING;
}
