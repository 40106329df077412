import * as z from 'zod/mini';

/**
 * When a reporting task is chased: reminders to its owner before the due time, escalations to the
 * supervisor after it. Configuration, not code: a county sets its own offsets (per task type if it wants).
 */
export const ReminderPolicy = z.strictObject({
  remindBeforeHours: z.array(z.number().check(z.gt(0), z.lte(24 * 60))).check(z.maxLength(10)),
  escalateAfterHours: z.array(z.number().check(z.gte(0), z.lte(24 * 60))).check(z.maxLength(10)),
});
export type ReminderPolicy = z.infer<typeof ReminderPolicy>;

export const ReminderPolicies = z.strictObject({
  default: ReminderPolicy,
  byTaskType: z.optional(z.record(z.string(), ReminderPolicy)),
});
export type ReminderPolicies = z.infer<typeof ReminderPolicies>;

/** A 24-hour report is reminded 12 h and 2 h before it is due, and escalated when due and a day later. */
export const defaultReminderPolicies: ReminderPolicies = {
  default: { remindBeforeHours: [12, 2], escalateAfterHours: [0, 24] },
};

export function policyFor(policies: ReminderPolicies, taskType: string): ReminderPolicy {
  return policies.byTaskType?.[taskType] ?? policies.default;
}

export interface PlannedAction {
  /** Stable per task, e.g. `remind-12h`: a notification's identity, so it is sent once however often it is tried. */
  id: string;
  kind: 'reminder' | 'escalation';
  at: string;
}

const HOUR_MS = 3_600_000;

/**
 * Every reminder and escalation a task will get, in time order. Reminders whose time had already passed
 * when the task was opened are left out (they would only arrive together); escalations never are.
 */
export function planActions(
  task: { createdAt: string; dueAt: string },
  policy: ReminderPolicy,
): PlannedAction[] {
  const due = Date.parse(task.dueAt);
  const created = Date.parse(task.createdAt);
  const reminders = policy.remindBeforeHours
    .map((hours) => ({ id: `remind-${hours}h`, kind: 'reminder' as const, ms: due - hours * HOUR_MS }))
    .filter((action) => action.ms > created);
  const escalations = policy.escalateAfterHours.map((hours) => ({
    id: `escalate-${hours}h`,
    kind: 'escalation' as const,
    ms: due + hours * HOUR_MS,
  }));
  return [...reminders, ...escalations]
    .sort((a, b) => a.ms - b.ms)
    .map(({ id, kind, ms }) => ({ id, kind, at: new Date(ms).toISOString() }));
}

/** The next action not yet taken, or undefined when the task has nothing more to chase. */
export function nextActionAt(plan: readonly PlannedAction[], done: readonly string[]): string | undefined {
  return plan.find((action) => !done.includes(action.id))?.at;
}

/**
 * The actions due by `now` and not yet taken. When a sweep comes late and several are due at once, only the
 * latest is sent (the others are marked done unsent): one message that says where things stand, not a burst.
 */
export function dueActions(
  plan: readonly PlannedAction[],
  done: readonly string[],
  now: Date,
): { send: PlannedAction[]; skip: PlannedAction[] } {
  const due = plan.filter((action) => !done.includes(action.id) && Date.parse(action.at) <= now.getTime());
  return { send: due.slice(-1), skip: due.slice(0, -1) };
}
