import * as z from 'zod/mini';
import { AssigneeRole, Obligation } from './duties.ts';
import { LocalizedText } from './i18n.ts';

const Slug = z.string().check(z.regex(/^[a-z0-9_]+$/));

/**
 * A duty rule maps the facts of a flow's outcome to a task. Rules are data so a county can add its own
 * (for example: notify the youth's attorney within 24 hours) without code.
 */
export const DutyRule = z.strictObject({
  id: z.string().check(z.regex(/^[a-z0-9-]+$/)),
  /** The flow whose outcomes this rule reads. */
  flow: z.string().check(z.regex(/^[a-z0-9-]+$/)),
  taskType: Slug,
  requirementId: z.string().check(z.regex(/^R-[A-Z]+-\d+$/)),
  citation: z.string().check(z.minLength(1)),
  title: LocalizedText,
  description: LocalizedText,
  assigneeRole: AssigneeRole,
  /**
   * Whether the duty itself comes from statute or is county policy (R-PLAN-1 applied to at-risk youth is
   * policy). Absent means `statute`. Independent of `due.basis`, which says where the deadline comes from.
   */
  obligation: z.optional(Obligation),
  /** Every named fact must have one of the listed values; a fact the outcome lacks counts as "unknown". */
  when: z.record(z.string().check(z.regex(/^[A-Za-z0-9_]+$/)), z.array(z.string()).check(z.minLength(1))),
  due: z.strictObject({
    /** 0 means due immediately (for example the county's response to an officer's WIC § 305 notice). */
    withinHours: z.int().check(z.gte(0), z.lte(24 * 366)),
    /** `statute` when the law sets the deadline; `policy` when it is a county default the law leaves open. */
    basis: z.enum(['statute', 'policy']),
  }),
});
export type DutyRule = z.infer<typeof DutyRule>;
