import type { DutyRule } from '../duty-rule.ts';

/**
 * R-CUSTODY-2: rules whose `flow` is this run from the time of the officer's notice to the county (or the time
 * of contact when that is unknown), not from the contact itself. The custody check applies them too.
 */
export const OFFICER_NOTICE_DUTY_FLOW = 'custody-officer-notice';

/** Typed here and validated against the schema by the tests, so a cold start does not re-check them. */
export const custodyCheckDutyRules: readonly DutyRule[] = [
  {
    // R-CUSTODY-2: the officer notifies the county; the county's duty is to respond to that notice (WIC § 306
    // lets its social worker take or keep the child in custody, and § 309 asks it to investigate and release
    // or detain). An unknown contact result opens nothing: the outcome says what the law asks instead.
    id: 'respond-to-officer-notice',
    flow: OFFICER_NOTICE_DUTY_FLOW,
    taskType: 'respond_to_officer_notice',
    requirementId: 'R-CUSTODY-2',
    citation: 'Welf. & Inst. Code §§ 305, 306, 309',
    title: {
      en: 'Respond to an officer’s notice about a child left unattended',
      es: 'Responder al aviso de un agente sobre una persona menor de edad sin supervisión',
    },
    description: {
      en: 'An officer notified the county welfare office that a child was left unattended and the parent or guardian could not be contacted or cannot assume custody (WIC § 305). Respond immediately: contact the officer, assess the child’s safety and decide on custody and placement (WIC §§ 306, 309).',
      es: 'Un agente avisó a la oficina de bienestar del condado de que una persona menor de edad estaba sin supervisión y no se pudo localizar al padre, la madre o el tutor, o no puede asumir la custodia (WIC § 305). Responda de inmediato: comuníquese con el agente, evalúe la seguridad de la persona menor de edad y decida sobre la custodia y la colocación (WIC §§ 306, 309).',
    },
    assigneeRole: 'county_intake',
    obligation: 'statute',
    when: { leftUnattended: ['yes'], parentContact: ['could_not_contact', 'cannot_assume_custody'] },
    due: { withinHours: 0, basis: 'statute' },
  },
  {
    // R-CUSTODY-3. Penal Code § 647 sets no deadline for the referral; 24 hours is a county-policy default,
    // labelled as such, matching the 24-hour clock of the law enforcement report (R-REPORT-1). Referral, not
    // "dependency": WIC § 300(b)(2) also needs a parent or guardian who failed to, or could not, protect.
    id: 'refer-child-welfare-assessment',
    flow: 'custody-check',
    taskType: 'refer_child_welfare_assessment',
    requirementId: 'R-CUSTODY-3',
    citation: 'Penal Code § 647; Welf. & Inst. Code § 300(b)(2)',
    title: {
      en: 'Refer to child welfare for assessment (dependency may apply) and to a CSE screening',
      es: 'Remitir a los servicios de bienestar infantil para una evaluación (puede aplicar el sistema de dependencia) y a una evaluación de ESC',
    },
    description: {
      en: 'The child engaged in commercial sex and is a victim; no force, fraud or coercion has to be shown, and a minor is not charged under Penal Code § 647. Refer the child to child welfare for assessment, where dependency may apply under WIC § 300(b)(2) (which also needs a parent or guardian who failed to, or was unable to, protect the child), and for a screening for commercial sexual exploitation.',
      es: 'La persona menor de edad participó en sexo comercial y es una víctima; no es necesario demostrar fuerza, fraude ni coerción, y a un menor no se le acusa según el Código Penal § 647. Remita a la persona menor de edad a los servicios de bienestar infantil para una evaluación, donde puede aplicar el sistema de dependencia según el WIC § 300(b)(2) (que además requiere un padre, madre o tutor que no protegió, o no pudo proteger, a la persona menor de edad), y a una evaluación de explotación sexual comercial.',
    },
    assigneeRole: 'caseworker',
    obligation: 'statute',
    when: { commercialSex: ['yes'] },
    due: { withinHours: 24, basis: 'policy' },
  },
  {
    // R-REPORT-1: a child receiving child welfare services who engaged in commercial sex is a CSE victim by
    // law; the county reports within 24 hours of the contact. Unknown CWS status opens it, to be cancelled
    // with a reason if not owed.
    id: 'custody-report-law-enforcement',
    flow: 'custody-check',
    taskType: 'report_to_law_enforcement',
    requirementId: 'R-REPORT-1',
    citation: 'Penal Code § 11166(j)',
    title: {
      en: 'Report to the law enforcement agency with jurisdiction',
      es: 'Informar a la agencia policial con jurisdicción',
    },
    description: {
      en: 'A child receiving child welfare services engaged in commercial sex, and is by law a victim of commercial sexual exploitation. The county reports to the law enforcement agency with jurisdiction immediately, and in no case more than 24 hours after the information was received. Record the agency, the report number and the time of the report.',
      es: 'Una persona menor de edad que recibe servicios de bienestar infantil participó en sexo comercial y es, por ley, víctima de explotación sexual comercial. El condado informa a la agencia policial con jurisdicción de inmediato y, en ningún caso, más de 24 horas después de recibir la información. Anote la agencia, el número de informe y la hora del informe.',
    },
    assigneeRole: 'caseworker',
    obligation: 'statute',
    when: { commercialSex: ['yes'], receivesChildWelfareServices: ['yes', 'unknown'] },
    due: { withinHours: 24, basis: 'statute' },
  },
  {
    // R-CUSTODY-4: whoever took the child into custody tells the parent or guardian at once.
    id: 'notify-parent-of-custody',
    flow: 'custody-check',
    taskType: 'notify_parent_of_custody',
    requirementId: 'R-CUSTODY-4',
    citation: 'Welf. & Inst. Code § 307.4',
    title: {
      en: 'Notify the parent or guardian that the child is in temporary custody',
      es: 'Avisar al padre, la madre o el tutor de que la persona menor de edad está bajo custodia temporal',
    },
    description: {
      en: 'The child was taken into temporary custody. Take immediate steps to notify the parent or guardian, and record how and when they were notified.',
      es: 'La persona menor de edad quedó bajo custodia temporal. Tome medidas inmediatas para avisar al padre, la madre o el tutor, y anote cómo y cuándo se le avisó.',
    },
    assigneeRole: 'screener',
    obligation: 'statute',
    when: { custodyTaken: ['yes'] },
    due: { withinHours: 0, basis: 'statute' },
  },
  {
    // R-CUSTODY-4: § 313 excludes non-judicial days; counting 48 plain hours is never late.
    id: 'release-or-file-petition',
    flow: 'custody-check',
    taskType: 'release_or_file_petition',
    requirementId: 'R-CUSTODY-4',
    citation: 'Welf. & Inst. Code § 313',
    title: {
      en: 'Release the child or file a petition within 48 hours',
      es: 'Dejar en libertad a la persona menor de edad o presentar una petición dentro de 48 horas',
    },
    description: {
      en: 'The child was taken into temporary custody. Release the child within 48 hours unless a petition is filed within that time (WIC § 313; the law excludes non-judicial days, this task counts plain hours so it is never late).',
      es: 'La persona menor de edad quedó bajo custodia temporal. Déjela en libertad dentro de 48 horas, salvo que en ese plazo se presente una petición (WIC § 313; la ley excluye los días no hábiles judiciales, esta tarea cuenta horas corridas para no vencer nunca tarde).',
    },
    assigneeRole: 'caseworker',
    obligation: 'statute',
    when: { custodyTaken: ['yes'] },
    due: { withinHours: 48, basis: 'statute' },
  },
];
