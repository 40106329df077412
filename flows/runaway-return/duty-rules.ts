import { determinationDutyRules, overrideDutyRules } from '../cse-screening/duty-rules.ts';
import type { DutyRule } from '../duty-rule.ts';

/** Typed here and validated against the schema by the tests, so a cold start does not re-check them. */
export const runawayReturnDutyRules: readonly DutyRule[] = [
  {
    // R-RUN-2: every return owes a response to the factors in the next placement, whatever the screening
    // found. The law sets no deadline; 72 hours is a county-policy default, labelled as such, so the
    // factors are in front of the placement worker while the next placement is still being decided.
    // The citation is the seed's; WIC § 16501.35(b)(2) states the same determinations (outside the seed).
    id: 'runaway-respond-in-placement',
    flow: 'runaway-return',
    taskType: 'respond_in_placement',
    requirementId: 'R-RUN-2',
    citation: 'County Fiscal Letter No. 16/17-73',
    title: {
      en: 'Respond in the next placement to the factors that led to the absence',
      es: 'Atender en la próxima colocación los factores que llevaron a la ausencia',
    },
    description: {
      en: 'A youth who was missing from care has returned. Review the factors they named as leading to the absence and what they said would help (listed with this task), and respond to them in the next placement.',
      es: 'Un joven que estaba ausente de su colocación ha regresado. Revise los factores que mencionó como causa de la ausencia y lo que dijo que le ayudaría (indicados en esta tarea), y atiéndalos en la próxima colocación.',
    },
    assigneeRole: 'placement_worker',
    // WIC § 16501.35(b)(2) asks for the response itself; only the 72 hours are county policy.
    obligation: 'statute',
    when: {},
    due: { withinHours: 72, basis: 'policy' },
  },
  ...determinationDutyRules('runaway-return', 'return-'),
  ...overrideDutyRules('runaway-return', 'return-'),
];
