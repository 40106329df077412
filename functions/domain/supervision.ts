import type { OutboxRecord, TaskRecord } from '../storage/records.ts';
import { inboxRecipient } from '../storage/table.ts';
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

/** On-time performance over a window: of the tasks due in it (cancelled ones aside), how many were met. */
export interface OnTime {
  due: number;
  onTime: number;
  /** null while nothing was due in the window. */
  rate: number | null;
}

export interface TrendPoint extends OnTime {
  /** The Monday (UTC) the week starts on. */
  weekStart: string;
}

export interface BoardTask extends TaskView {
  /** Supervisors see who holds each task of their unit: a user id, `queue:<unit>` or the supervisors. */
  owner: string;
}

export interface SupervisorBoard {
  summary: { open: number; overdue: number; done: number; cancelled: number; onTimeRate: number | null };
  onTime: { last30: OnTime; last90: OnTime };
  trend: TrendPoint[];
  byRequirement: Array<{
    requirementId: string;
    open: number;
    overdue: number;
    done: number;
    cancelled: number;
  }>;
  byOwner: Array<{ owner: string; kind: TaskView['routedTo']['kind']; open: number; overdue: number }>;
  /** Who an open task may be given to: the unit's queue and the workers who hold its tasks. */
  assignees: Array<{ kind: 'user'; userId: string } | { kind: 'queue'; unit: string }>;
  tasks: BoardTask[];
}

const DAY_MS = 86_400_000;
/** Weeks the trend chart shows. */
export const TREND_WEEKS = 13;

const rateOf = (met: number, of: number) => (of === 0 ? null : Number((met / of).toFixed(3)));

/**
 * Issue 17: a deadline met is a task due in the window that was done, with its report made by the due
 * time; one still open or done late was missed. Cancelled tasks were not owed.
 */
function onTimeBetween(tasks: readonly BoardTask[], from: number, to: number): OnTime {
  const due = tasks.filter((task) => {
    const at = Date.parse(task.dueAt);
    return task.status !== 'cancelled' && at > from && at <= to;
  });
  const onTime = due.filter((task) => task.metDeadline === true).length;
  return { due: due.length, onTime, rate: rateOf(onTime, due.length) };
}

function mondayOf(ms: number): number {
  const day = Math.floor(ms / DAY_MS) * DAY_MS;
  // 1970-01-01 was a Thursday: days since a Monday are (weekday + 6) % 7, weekday 0 being Sunday.
  return day - ((new Date(day).getUTCDay() + 6) % 7) * DAY_MS;
}

function trendOf(tasks: readonly BoardTask[], now: number): TrendPoint[] {
  const thisWeek = mondayOf(now);
  return Array.from({ length: TREND_WEEKS }, (_, index) => {
    const start = thisWeek - (TREND_WEEKS - 1 - index) * 7 * DAY_MS;
    const end = Math.min(start + 7 * DAY_MS, now);
    return { weekStart: new Date(start).toISOString().slice(0, 10), ...onTimeBetween(tasks, start, end) };
  });
}

function countBy<T>(items: readonly T[], keyOf: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) groups.set(keyOf(item), [...(groups.get(keyOf(item)) ?? []), item]);
  return groups;
}

/**
 * The supervisors' board: every task of the unit, overdue ones first, then open ones by due time, then the
 * settled ones; counts by requirement and by owner; the on-time rate of the reports that were made, and
 * (issue 17) of the deadlines that fell in the last 30 and 90 days, week by week for the chart.
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
  const views: BoardTask[] = tasks.map((task) => ({ ...taskView(task, now), owner: task.owner }));
  const rank = (task: TaskView) => (task.overdue ? 0 : task.status === 'open' ? 1 : 2);
  views.sort((a, b) => rank(a) - rank(b) || a.dueAt.localeCompare(b.dueAt));
  const withEvidence = views.filter((task) => task.metDeadline !== undefined);
  const open = views.filter((task) => task.status === 'open');
  const nowMs = now.getTime();
  return {
    summary: {
      open: open.length,
      overdue: views.filter((task) => task.overdue).length,
      done: views.filter((task) => task.status === 'done').length,
      cancelled: views.filter((task) => task.status === 'cancelled').length,
      onTimeRate: rateOf(withEvidence.filter((task) => task.metDeadline).length, withEvidence.length),
    },
    onTime: {
      last30: onTimeBetween(views, nowMs - 30 * DAY_MS, nowMs),
      last90: onTimeBetween(views, nowMs - 90 * DAY_MS, nowMs),
    },
    trend: trendOf(views, nowMs),
    byRequirement: [...countBy(views, (task) => task.requirementId)]
      .map(([requirementId, group]) => ({
        requirementId,
        open: group.filter((task) => task.status === 'open').length,
        overdue: group.filter((task) => task.overdue).length,
        done: group.filter((task) => task.status === 'done').length,
        cancelled: group.filter((task) => task.status === 'cancelled').length,
      }))
      .sort(
        (a, b) => b.overdue - a.overdue || b.open - a.open || a.requirementId.localeCompare(b.requirementId),
      ),
    byOwner: [...countBy(open, (task) => task.owner)]
      .map(([owner, group]) => ({
        owner,
        kind: group[0]!.routedTo.kind,
        open: group.length,
        overdue: group.filter((task) => task.overdue).length,
      }))
      .sort((a, b) => b.overdue - a.overdue || b.open - a.open || a.owner.localeCompare(b.owner)),
    assignees: [
      { kind: 'queue', unit: principal.unit },
      ...[...new Set(views.filter((task) => task.routedTo.kind === 'user').map((task) => task.owner))]
        .sort()
        .map((userId) => ({ kind: 'user' as const, userId })),
    ],
    tasks: views,
  };
}

/** A spreadsheet cell: quoted, and never read as a formula (a cell starting = + - @ is prefixed). */
function cell(value: string | number | boolean | undefined): string {
  const text = value === undefined ? '' : String(value);
  const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return `"${safe.replace(/"/g, '""')}"`;
}

const CSV_COLUMNS = [
  'task',
  'requirement',
  'title',
  'citation',
  'case reference',
  'owner',
  'status',
  'received',
  'due',
  'overdue',
  'reported',
  'met deadline',
] as const;

/** Issue 17: the board's tasks as CSV for a spreadsheet; evidence text and reasons stay out. */
export function boardCsv(board: SupervisorBoard): string {
  const rows = board.tasks.map((task) =>
    [
      task.id,
      task.requirementId,
      task.title,
      task.citation,
      task.subjectRef,
      task.owner,
      task.status,
      task.receivedAt,
      task.dueAt,
      task.overdue,
      task.evidence?.reportedAt,
      task.metDeadline,
    ]
      .map(cell)
      .join(','),
  );
  return `${[CSV_COLUMNS.map(cell).join(','), ...rows].join('\r\n')}\r\n`;
}

/** R-ROUTE-1: a user's own inbox, their unit queue's, and for supervisors the unit's escalations. */
export function inboxesOf(principal: Principal): string[] {
  return [
    inboxRecipient.user(principal.userId),
    inboxRecipient.queue(principal.unit),
    ...(hasRole(principal, 'supervisor') ? [inboxRecipient.supervisors(principal.unit)] : []),
  ];
}

/** How many notifications one read returns: the newest of each inbox, merged. */
export const NOTIFICATIONS_LIMIT = 100;

/**
 * Reminders addressed to the caller, their unit's queue and, for supervisors, the unit's escalations: each
 * inbox read by its own index partition (issue 17), so a busy organisation's outbox never crowds them out.
 */
export async function notificationsFor(
  services: TaskServices,
  principal: Principal,
): Promise<OutboxRecord[]> {
  requireCaseRole(principal);
  const inboxes = await Promise.all(
    inboxesOf(principal).map((inbox) => services.store.listInbox(principal.org, inbox, NOTIFICATIONS_LIMIT)),
  );
  return inboxes
    .flat()
    .sort((a, b) => b.createdAt.localeCompare(a.createdAt))
    .slice(0, NOTIFICATIONS_LIMIT);
}
