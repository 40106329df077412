import * as z from 'zod/mini';
import type { DutyRule } from './duty-rule.ts';

export const Determination = z.enum(['identified', 'at_risk', 'neither']);
export type Determination = z.infer<typeof Determination>;

export const YesNoUnknown = z.enum(['yes', 'no', 'unknown']);
export type YesNoUnknown = z.infer<typeof YesNoUnknown>;

/**
 * R-ROUTE-1: who a duty belongs to, as the law names them, not whoever was at the keyboard.
 * `screener`: whoever ran the conversation (a shelter's own mandated-reporter tasks, an officer's follow-ups);
 * `caseworker`: the youth's caseworker, who owns the reports; `placement_worker`: the youth's placement worker;
 * `county_intake`: the county's intake unit (hand-offs, an officer's WIC § 305 notice); `supervisor`: co-signs.
 */
export const AssigneeRole = z.enum([
  'screener',
  'caseworker',
  'placement_worker',
  'county_intake',
  'supervisor',
]);
export type AssigneeRole = z.infer<typeof AssigneeRole>;

/** Whether a duty itself comes from statute or is county policy (independent of where its deadline comes from). */
export const Obligation = z.enum(['statute', 'policy']);
export type Obligation = z.infer<typeof Obligation>;

export const Duty = z.object({
  ruleId: z.string(),
  taskType: z.string(),
  requirementId: z.string(),
  citation: z.string(),
  title: z.string(),
  description: z.string(),
  /** Lines the assignee needs beyond the description (chosen labels, flags), in the conversation's language. */
  details: z.optional(z.array(z.string())),
  assigneeRole: AssigneeRole,
  obligation: Obligation,
  receivedAt: z.string(),
  dueAt: z.string(),
  deadlineBasis: z.enum(['statute', 'policy']),
  /** R-SVC-2: the partner organisations a referral goes to. */
  referTo: z.optional(z.array(z.object({ org: z.string(), name: z.string() }))),
});
export type Duty = z.infer<typeof Duty>;

/** What an outcome says about the case, as plain strings the duty rules can match (e.g. `determination: "identified"`). */
export type DutyFacts = Readonly<Record<string, string>>;

const HOUR_MS = 3_600_000;

/** A rule applies when every fact it names has one of the values it lists. */
export function ruleApplies(rule: DutyRule, facts: DutyFacts): boolean {
  return Object.entries(rule.when).every(([fact, values]) => values.includes(facts[fact] ?? 'unknown'));
}

/** Pure: due times come from when the information was received, never from when the conversation ended. */
export function dutiesFor(
  flowId: string,
  facts: DutyFacts,
  informationReceivedAt: string,
  rules: readonly DutyRule[],
  locale: 'en' | 'es',
): Duty[] {
  const receivedMs = Date.parse(informationReceivedAt);
  return rules
    .filter((rule) => rule.flow === flowId && ruleApplies(rule, facts))
    .map((rule) => ({
      ruleId: rule.id,
      taskType: rule.taskType,
      requirementId: rule.requirementId,
      citation: rule.citation,
      title: rule.title[locale],
      description: rule.description[locale],
      assigneeRole: rule.assigneeRole,
      // A rule that does not say is a statutory duty: the safer reading when a county omits it.
      obligation: rule.obligation ?? 'statute',
      receivedAt: new Date(receivedMs).toISOString(),
      dueAt: new Date(receivedMs + rule.due.withinHours * HOUR_MS).toISOString(),
      deadlineBasis: rule.due.basis,
    }));
}

/**
 * Adds lines to the duties of one task type. Rules are data and cannot know what a conversation found
 * (the factors a youth chose, a CSE flag for NCMEC), so the flow adds them after `dutiesFor`.
 */
export function withDetails(duties: readonly Duty[], taskType: string, lines: readonly string[]): Duty[] {
  if (lines.length === 0) return [...duties];
  return duties.map((duty) =>
    duty.taskType === taskType ? { ...duty, details: [...(duty.details ?? []), ...lines] } : duty,
  );
}
