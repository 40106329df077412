import type { OutboxRecord, TaskRecord } from '../storage/records.ts';
import { requireCaseRole, requireRole } from './access.ts';
import { hasRole, type Principal } from './principal.ts';
import { revealTasks } from './sensitive.ts';
import type { TaskServices } from './services.ts';
import { taskView } from './tasks.ts';
import type { TaskView } from './views.ts';

/** A board is read whole; past this many tasks a unit needs paging by due window, not one list. */
const BOARD_LIMIT = 1000;

async function allTasksOfUnit(services: TaskServices, org: string, unit: string): Promise<TaskRecord[]> {
  const tasks: TaskRecord[] = [];
  let cursor: Record<string, unknown> | undefined;
  do {
    const page = await services.store.listTasks(org, {
      limit: 100,
      scope: { unit },
      ...(cursor ? { cursor } : {}),
    });
    tasks.push(...page.tasks);
    cursor = page.cursor;
  } while (cursor && tasks.length < BOARD_LIMIT);
  return tasks;
}

export interface SupervisorBoard {
  summary: { open: number; overdue: number; done: number; cancelled: number; onTimeRate: number | null };
  tasks: TaskView[];
}

/**
 * The supervisors' board: every task of the unit, overdue ones first, then open ones by due time, then the
 * settled ones; and the on-time rate of the reports that were made (done with evidence by their due time).
 */
export async function supervisorBoard(
  services: TaskServices,
  principal: Principal,
): Promise<SupervisorBoard> {
  requireRole(principal, 'supervisor');
  const now = services.clock();
  const tasks = await revealTasks(
    services.keys,
    await allTasksOfUnit(services, principal.org, principal.unit),
  );
  const views = tasks.map((task) => taskView(task, now));
  const rank = (task: TaskView) => (task.overdue ? 0 : task.status === 'open' ? 1 : 2);
  views.sort((a, b) => rank(a) - rank(b) || a.dueAt.localeCompare(b.dueAt));
  const withEvidence = views.filter((task) => task.metDeadline !== undefined);
  return {
    summary: {
      open: views.filter((task) => task.status === 'open').length,
      overdue: views.filter((task) => task.overdue).length,
      done: views.filter((task) => task.status === 'done').length,
      cancelled: views.filter((task) => task.status === 'cancelled').length,
      onTimeRate:
        withEvidence.length === 0
          ? null
          : Number((withEvidence.filter((task) => task.metDeadline).length / withEvidence.length).toFixed(3)),
    },
    tasks: views,
  };
}

/** R-ROUTE-1: a user's own reminders, their unit queue's, and for supervisors the unit's escalations. */
function isFor(principal: Principal, notification: OutboxRecord): boolean {
  const { recipient } = notification;
  if (recipient.userId !== undefined) return recipient.userId === principal.userId;
  if (recipient.queue) return notification.unit === principal.unit;
  return hasRole(principal, 'supervisor') && notification.unit === principal.unit;
}

/** Reminders addressed to the caller, and escalations for the supervisors of the task's unit. */
export async function notificationsFor(
  services: TaskServices,
  principal: Principal,
): Promise<OutboxRecord[]> {
  requireCaseRole(principal);
  const outbox = await services.store.listOutbox(principal.org, 200);
  return outbox
    .filter((notification) => isFor(principal, notification))
    .sort((a, b) => b.createdAt.localeCompare(a.createdAt));
}
