import * as z from 'zod/mini';
import type { DutyRule } from './duty-rule.ts';

export const Determination = z.enum(['identified', 'at_risk', 'neither']);
export type Determination = z.infer<typeof Determination>;

export const YesNoUnknown = z.enum(['yes', 'no', 'unknown']);
export type YesNoUnknown = z.infer<typeof YesNoUnknown>;

/** Who a task is for: the screener's caseworker role, their supervisor, the youth's placement worker, or a county social worker. */
export const AssigneeRole = z.enum(['caseworker', 'supervisor', 'placement_worker', 'county_social_worker']);
export type AssigneeRole = z.infer<typeof AssigneeRole>;

export const Duty = z.object({
  ruleId: z.string(),
  taskType: z.string(),
  requirementId: z.string(),
  citation: z.string(),
  title: z.string(),
  description: z.string(),
  assigneeRole: AssigneeRole,
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
      receivedAt: new Date(receivedMs).toISOString(),
      dueAt: new Date(receivedMs + rule.due.withinHours * HOUR_MS).toISOString(),
      deadlineBasis: rule.due.basis,
    }));
}
