import * as z from 'zod/mini';
import { AssigneeRole, Determination, YesNoUnknown } from './duties.ts';
import { LocalizedText } from './i18n.ts';

/**
 * A duty rule maps the facts of an outcome to a reporting task. Rules are data so a county can add its
 * own (for example: notify the youth's attorney) without code.
 */
export const DutyRule = z.strictObject({
  id: z.string().check(z.regex(/^[a-z0-9-]+$/)),
  taskType: z.string().check(z.regex(/^[a-z0-9_]+$/)),
  requirementId: z.string().check(z.regex(/^R-[A-Z]+-\d+$/)),
  citation: z.string().check(z.minLength(1)),
  title: LocalizedText,
  description: LocalizedText,
  assigneeRole: AssigneeRole,
  when: z.strictObject({
    determination: z.array(Determination).check(z.minLength(1)),
    receivesChildWelfareServices: z.optional(z.array(YesNoUnknown).check(z.minLength(1))),
  }),
  due: z.strictObject({
    withinHours: z.int().check(z.gt(0), z.lte(24 * 366)),
    /** `statute` when the law sets the deadline; `policy` when it is a county default the law leaves open. */
    basis: z.enum(['statute', 'policy']),
  }),
});
export type DutyRule = z.infer<typeof DutyRule>;
