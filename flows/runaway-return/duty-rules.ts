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
      en: 'A youth who was missing from care has returned. Review the factors they named as leading to the absence and what they said would help (see the runaway-return interview), and respond to them in the next placement.',
      es: 'Un joven que estaba ausente de su colocación ha regresado. Revise los factores que mencionó como causa de la ausencia y lo que dijo que le ayudaría (vea la entrevista de regreso), y atiéndalos en la próxima colocación.',
    },
    assigneeRole: 'placement_worker',
    when: {},
    due: { withinHours: 72, basis: 'policy' },
  },
  {
    // R-REPORT-1. An unknown CWS status still opens the task: a report that turns out not to be owed
    // can be cancelled with a reason; a missed 24-hour report cannot be undone.
    id: 'runaway-report-law-enforcement',
    flow: 'runaway-return',
    taskType: 'report_to_law_enforcement',
    requirementId: 'R-REPORT-1',
    citation: 'Penal Code § 11166(j)',
    title: {
      en: 'Report to the law enforcement agency with jurisdiction',
      es: 'Informar a la agencia policial con jurisdicción',
    },
    description: {
      en: 'A youth receiving child welfare services has been identified as a victim of commercial sexual exploitation. Report immediately, and in no case more than 24 hours after the information was received.',
      es: 'Un joven que recibe servicios de bienestar infantil ha sido identificado como víctima de explotación sexual comercial. Informe de inmediato y, en ningún caso, más de 24 horas después de recibir la información.',
    },
    assigneeRole: 'caseworker',
    when: { determination: ['identified'], receivesChildWelfareServices: ['yes', 'unknown'] },
    due: { withinHours: 24, basis: 'statute' },
  },
  {
    // R-PLAN-1. The statute sets no deadline; 30 days is a county-policy default, labelled as such.
    id: 'runaway-interagency-case-planning',
    flow: 'runaway-return',
    taskType: 'interagency_case_planning',
    requirementId: 'R-PLAN-1',
    citation: 'Welf. & Inst. Code § 16524.7',
    title: {
      en: 'Interagency case planning: mental health, probation, public health, substance use disorder services',
      es: 'Planificación interinstitucional del caso: salud mental, libertad condicional, salud pública, servicios para trastornos por consumo de sustancias',
    },
    description: {
      en: 'Involve representatives of mental health, probation, public health and substance use disorder services in case planning, and link the youth to the services in the case plan.',
      es: 'Incluya a representantes de salud mental, libertad condicional, salud pública y servicios para trastornos por consumo de sustancias en la planificación del caso, y vincule al joven con los servicios del plan.',
    },
    assigneeRole: 'caseworker',
    when: { determination: ['identified', 'at_risk'] },
    due: { withinHours: 24 * 30, basis: 'policy' },
  },
  {
    // R-DEF-1, as in the screening. The law sets no deadline for telling counsel; 72 hours is a county-policy default.
    id: 'return-advise-trafficking-defense',
    flow: 'runaway-return',
    taskType: 'advise_trafficking_defense',
    requirementId: 'R-DEF-1',
    citation: 'Penal Code § 236.23; Welf. & Inst. Code § 786',
    title: {
      en: 'Tell the case team and counsel: the trafficking-victim defense and WIC § 786 relief may apply',
      es: 'Informar al equipo del caso y al abogado: pueden aplicar la defensa de víctima de trata y el alivio del WIC § 786',
    },
    description: {
      en: 'The youth is identified as, or at risk of being, a victim of commercial sexual exploitation and has an open WIC § 602 matter. A trafficking victim coerced into an offense has an affirmative defense (Penal Code § 236.23), and the court may dismiss with relief under WIC § 786.',
      es: 'El joven ha sido identificado como víctima, o en riesgo de serlo, de explotación sexual comercial y tiene un caso abierto bajo el WIC § 602. Una víctima de trata obligada a cometer un delito tiene una defensa afirmativa (Código Penal § 236.23), y el tribunal puede desestimar con el alivio del WIC § 786.',
    },
    assigneeRole: 'caseworker',
    when: { determination: ['identified', 'at_risk'], open602: ['yes'] },
    due: { withinHours: 72, basis: 'policy' },
  },
];
