import { screeningDutyRules } from './cse-screening/duty-rules.ts';
import type { DutyRule } from './duty-rule.ts';

/** Every flow's duty rules as shipped; a county replaces or extends this list through the catalog. */
export const defaultDutyRules: readonly DutyRule[] = [...screeningDutyRules];
