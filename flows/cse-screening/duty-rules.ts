import type { DutyRule } from '../duty-rule.ts';

/*
 * Typed here and validated against the schema by the tests, so a cold start does not re-check them.
 * The order of the rules is the order the duties are listed in an outcome.
 */

const identifiedOrAtRisk = ['identified', 'at_risk'];

const determinationRules: readonly DutyRule[] = [
  {
    // R-REPORT-1. Reads `cseByLaw` (identified, or the exchange indicator present: R-OVERRIDE-1), so an
    // override cannot drop it. An unknown CWS status still opens the task: a report that turns out not to
    // be owed can be cancelled with a reason; a missed 24-hour report cannot be undone.
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
      en: 'A youth receiving child welfare services has been identified as a victim of commercial sexual exploitation (by the determination, or by law because sexual acts were exchanged for something of value). Report immediately, and in no case more than 24 hours after the information was received. Record the agency, the report number and the time of the report.',
      es: 'Un joven que recibe servicios de bienestar infantil ha sido identificado como víctima de explotación sexual comercial (por la determinación, o por ley porque se intercambiaron actos sexuales por algo de valor). Informe de inmediato y, en ningún caso, más de 24 horas después de recibir la información. Anote la agencia, el número de informe y la hora del informe.',
    },
    assigneeRole: 'caseworker',
    obligation: 'statute',
    when: { cseByLaw: ['yes'], receivesChildWelfareServices: ['yes', 'unknown'] },
    due: { withinHours: 24, basis: 'statute' },
  },
  {
    // R-REPORT-3: the county's cross-report of known or suspected abuse (CSE is abuse, § 11165.1).
    id: 'cross-report-law-enforcement',
    flow: 'cse-screening',
    taskType: 'cross_report_law_enforcement',
    requirementId: 'R-REPORT-3',
    citation: 'Penal Code §§ 11165.1, 11166',
    title: {
      en: 'Cross-report to the law enforcement agency with jurisdiction',
      es: 'Informe cruzado a la agencia policial con jurisdicción',
    },
    description: {
      en: 'The youth has been identified as a victim of commercial sexual exploitation, which is child abuse (Penal Code § 11165.1). Cross-report to the law enforcement agency with jurisdiction immediately, by telephone or electronically. Record the agency, the reference number and the time of the report.',
      es: 'El joven ha sido identificado como víctima de explotación sexual comercial, que es abuso infantil (Código Penal § 11165.1). Haga de inmediato el informe cruzado a la agencia policial con jurisdicción, por teléfono o por vía electrónica. Anote la agencia, el número de referencia y la hora del informe.',
    },
    assigneeRole: 'caseworker',
    obligation: 'statute',
    when: { determination: ['identified'] },
    due: { withinHours: 0, basis: 'statute' },
  },
  {
    // R-REPORT-3: the same cross-report goes to the district attorney.
    id: 'cross-report-district-attorney',
    flow: 'cse-screening',
    taskType: 'cross_report_district_attorney',
    requirementId: 'R-REPORT-3',
    citation: 'Penal Code §§ 11165.1, 11166',
    title: {
      en: 'Cross-report to the district attorney’s office',
      es: 'Informe cruzado a la oficina del fiscal de distrito',
    },
    description: {
      en: 'The youth has been identified as a victim of commercial sexual exploitation, which is child abuse (Penal Code § 11165.1). Cross-report to the district attorney’s office immediately. Record the office, the reference number and the time of the report.',
      es: 'El joven ha sido identificado como víctima de explotación sexual comercial, que es abuso infantil (Código Penal § 11165.1). Haga de inmediato el informe cruzado a la oficina del fiscal de distrito. Anote la oficina, el número de referencia y la hora del informe.',
    },
    assigneeRole: 'caseworker',
    obligation: 'statute',
    when: { determination: ['identified'] },
    due: { withinHours: 0, basis: 'statute' },
  },
  {
    // R-REPORT-3: the written report follows within 36 hours of receiving the information.
    id: 'cross-report-written',
    flow: 'cse-screening',
    taskType: 'cross_report_written',
    requirementId: 'R-REPORT-3',
    citation: 'Penal Code §§ 11165.1, 11166',
    title: {
      en: 'Send the written cross-report to law enforcement and the district attorney',
      es: 'Enviar el informe cruzado por escrito a la policía y al fiscal de distrito',
    },
    description: {
      en: 'Send the written report of the cross-report to the law enforcement agency with jurisdiction and to the district attorney’s office within 36 hours of receiving the information. Record where it was sent, the reference numbers and the time.',
      es: 'Envíe el informe escrito del informe cruzado a la agencia policial con jurisdicción y a la oficina del fiscal de distrito dentro de las 36 horas siguientes a la recepción de la información. Anote a dónde se envió, los números de referencia y la hora.',
    },
    assigneeRole: 'caseworker',
    obligation: 'statute',
    when: { determination: ['identified'] },
    due: { withinHours: 36, basis: 'statute' },
  },
  {
    // R-PLAN-1 for an identified victim: the statute's own duty (WIC § 16524.7, participating counties). It
    // sets no deadline; 30 days is a county-policy default, labelled as such.
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
      en: 'The youth has been identified as a victim of commercial sexual exploitation. Involve representatives of mental health, probation, public health and substance use disorder services in case planning, and link the youth to the services in the case plan.',
      es: 'El joven ha sido identificado como víctima de explotación sexual comercial. Incluya a representantes de salud mental, libertad condicional, salud pública y servicios para trastornos por consumo de sustancias en la planificación del caso, y vincule al joven con los servicios del plan.',
    },
    assigneeRole: 'caseworker',
    obligation: 'statute',
    when: { determination: ['identified'] },
    due: { withinHours: 24 * 30, basis: 'policy' },
  },
  {
    // R-PLAN-1 applied to a youth at risk: the statute covers victims, so this is county policy, and says so.
    id: 'interagency-case-planning-at-risk',
    flow: 'cse-screening',
    taskType: 'interagency_case_planning',
    requirementId: 'R-PLAN-1',
    citation: 'Welf. & Inst. Code § 16524.7 (applied to at-risk youth by county policy)',
    title: {
      en: 'Interagency case planning for a youth at risk (county policy)',
      es: 'Planificación interinstitucional del caso para un joven en riesgo (política del condado)',
    },
    description: {
      en: 'County policy, not a statutory duty: WIC § 16524.7 covers victims of commercial sexual exploitation, and this county applies it to youth at risk. Involve representatives of mental health, probation, public health and substance use disorder services in case planning, and link the youth to the services in the case plan.',
      es: 'Política del condado, no un deber legal: el WIC § 16524.7 se refiere a víctimas de explotación sexual comercial, y este condado lo aplica a jóvenes en riesgo. Incluya a representantes de salud mental, libertad condicional, salud pública y servicios para trastornos por consumo de sustancias en la planificación del caso, y vincule al joven con los servicios del plan.',
    },
    assigneeRole: 'caseworker',
    obligation: 'policy',
    when: { determination: ['at_risk'] },
    due: { withinHours: 24 * 30, basis: 'policy' },
  },
  {
    // R-DEF-1. The defense is the youth's right, not a statutory duty of the county: telling the case team and
    // counsel is county practice (`policy`), and so is the 72-hour default. An unknown § 602 status opens it.
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
      en: 'The youth is identified as, or at risk of being, a victim of commercial sexual exploitation and has (or may have) an open WIC § 602 matter. Penal Code § 236.23 gives an affirmative defense for an offense committed as a direct result of being a trafficking victim and under a reasonable fear of harm; it does not cover serious or violent felonies (Penal Code §§ 667.5(c), 1192.7(c)). Once the defense is established the court shall dismiss, with relief under WIC § 786. If there is no open § 602 matter, cancel this task with the reason.',
      es: 'El joven ha sido identificado como víctima, o en riesgo de serlo, de explotación sexual comercial y tiene (o puede tener) un caso abierto bajo el WIC § 602. El Código Penal § 236.23 da una defensa afirmativa por un delito cometido como consecuencia directa de ser víctima de trata y bajo un temor razonable de sufrir daño; no cubre delitos graves o violentos (Código Penal §§ 667.5(c), 1192.7(c)). Una vez establecida la defensa, el tribunal debe desestimar, con el alivio del WIC § 786. Si no hay un caso abierto del § 602, cancele esta tarea indicando el motivo.',
    },
    assigneeRole: 'caseworker',
    obligation: 'policy',
    when: { determination: identifiedOrAtRisk, open602: ['yes', 'unknown'] },
    due: { withinHours: 72, basis: 'policy' },
  },
];

const overrideRules: readonly DutyRule[] = [
  {
    // R-OVERRIDE-1: a determination below "identified" despite the exchange indicator is a decision about a
    // mandatory report; a supervisor sees it at once. The report itself stays open through `cseByLaw`.
    id: 'supervisor-cosign-override',
    flow: 'cse-screening',
    taskType: 'supervisor_cosign_override',
    requirementId: 'R-OVERRIDE-1',
    citation: 'Penal Code §§ 236.1(c), 11165.1',
    title: {
      en: 'Co-sign a determination below “identified” where sex was exchanged for something of value',
      es: 'Refrendar una determinación inferior a “identificado” cuando se intercambió sexo por algo de valor',
    },
    description: {
      en: 'The screener recorded that the youth exchanged, or was offered, sexual acts for something of value, but determined at risk or neither. By law a minor in this situation is a victim of commercial sexual exploitation (Penal Code §§ 236.1(c), 11165.1), so the report to law enforcement stays open. Review the override reason and co-sign, or change the determination.',
      es: 'Quien hizo la evaluación indicó que el joven intercambió, o le ofrecieron intercambiar, actos sexuales por algo de valor, pero determinó en riesgo o ninguno. Por ley, un menor en esta situación es víctima de explotación sexual comercial (Código Penal §§ 236.1(c), 11165.1), por lo que el informe a la policía sigue abierto. Revise el motivo y refrende la determinación, o cámbiela.',
    },
    assigneeRole: 'supervisor',
    obligation: 'statute',
    when: { exchangeIndicator: ['present'], determination: ['at_risk', 'neither'] },
    due: { withinHours: 0, basis: 'statute' },
  },
];

const retarget = (rules: readonly DutyRule[], flow: string, idPrefix: string): DutyRule[] =>
  rules.map((rule) => ({ ...rule, id: `${idPrefix}${rule.id}`, flow }));

/**
 * The duties a county's CSE determination owes (R-REPORT-1, R-REPORT-3, R-PLAN-1, R-DEF-1), for any flow or
 * record that ends in one: the screening, the runaway-return interview (R-RUN-1), a partner's hand-off.
 */
export function determinationDutyRules(flow: string, idPrefix = ''): DutyRule[] {
  return retarget(determinationRules, flow, idPrefix);
}

/** R-OVERRIDE-1: where the county's own screener decides, an override below the law's reading is co-signed. */
export function overrideDutyRules(flow: string, idPrefix = ''): DutyRule[] {
  return retarget(overrideRules, flow, idPrefix);
}

export const screeningDutyRules: readonly DutyRule[] = [
  ...determinationDutyRules('cse-screening'),
  ...overrideDutyRules('cse-screening'),
];
