import type { DutyRule } from '../duty-rule.ts';

/** Typed here and validated against the schema by the tests, so a cold start does not re-check them. */
/**
 * The duties a CSE determination owes (R-REPORT-1, R-PLAN-1, R-DEF-1), for any flow that ends in one:
 * the screening, and the runaway-return interview that embeds a screening (R-RUN-1).
 */
export function determinationDutyRules(flow: string, idPrefix = ''): DutyRule[] {
  return determinationRules.map((rule) => ({ ...rule, id: `${idPrefix}${rule.id}`, flow }));
}

const determinationRules: readonly DutyRule[] = [
  {
    // R-REPORT-1. An unknown CWS status still opens the task: a report that turns out not to be owed
    // can be cancelled with a reason; a missed 24-hour report cannot be undone.
    id: 'report-law-enforcement',
    flow: 'cse-screening',
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
    id: 'interagency-case-planning',
    flow: 'cse-screening',
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
    // R-DEF-1. The law sets no deadline for telling counsel; 72 hours is a county-policy default.
    id: 'advise-trafficking-defense',
    flow: 'cse-screening',
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

export const screeningDutyRules: readonly DutyRule[] = determinationDutyRules('cse-screening');
