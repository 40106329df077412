import type { DutyRule } from '../duty-rule.ts';

/** Typed here and validated against the schema by the tests, so a cold start does not re-check them. */
export const custodyCheckDutyRules: readonly DutyRule[] = [
  {
    // R-CUSTODY-2. Only "could not be contacted" triggers the notice; an unknown contact result is flagged
    // in the outcome instead, because the law asks for the contact attempt first.
    id: 'notify-county-social-worker',
    flow: 'custody-check',
    taskType: 'notify_county_social_worker',
    requirementId: 'R-CUSTODY-2',
    citation: 'Welf. & Inst. Code § 305',
    title: {
      en: 'Notify a social worker in the county welfare office',
      es: 'Avisar a un trabajador social de la oficina de bienestar del condado',
    },
    description: {
      en: 'The child was left unattended and the parent or guardian could not be contacted. Notify a social worker in the county welfare office immediately.',
      es: 'La persona menor de edad estaba sin supervisión y no se pudo localizar al padre, la madre o el tutor. Avise de inmediato a un trabajador social de la oficina de bienestar del condado.',
    },
    assigneeRole: 'county_social_worker',
    when: { leftUnattended: ['yes'], parentContact: ['could_not_contact'] },
    due: { withinHours: 0, basis: 'statute' },
  },
  {
    // R-CUSTODY-3. Penal Code § 647 sets no deadline for the referral; 24 hours is a county-policy
    // default, labelled as such, matching the 24-hour clock of the law enforcement report (R-REPORT-1)
    // that the CSE screening may open. A county can shorten it.
    id: 'refer-dependency-cse-screening',
    flow: 'custody-check',
    taskType: 'refer_dependency_and_cse_screening',
    requirementId: 'R-CUSTODY-3',
    citation: 'Penal Code § 647; Welf. & Inst. Code § 300(b)(2)',
    title: {
      en: 'Refer to dependency (WIC § 300(b)(2)) and to a CSE screening',
      es: 'Derivar al sistema de dependencia (WIC § 300(b)(2)) y a una evaluación de ESC',
    },
    description: {
      en: 'The child engaged in commercial sex. A minor is not charged under Penal Code § 647: refer the child to the county for dependency under WIC § 300(b)(2), and for a screening for commercial sexual exploitation.',
      es: 'La persona menor de edad participó en sexo comercial. A un menor no se le acusa según el Código Penal § 647: derive a la persona menor de edad al condado para el sistema de dependencia según el WIC § 300(b)(2) y para una evaluación de explotación sexual comercial.',
    },
    assigneeRole: 'caseworker',
    when: { commercialSex: ['yes'] },
    due: { withinHours: 24, basis: 'policy' },
  },
];
