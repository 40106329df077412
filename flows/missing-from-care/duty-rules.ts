import type { DutyRule } from '../duty-rule.ts';

// R-REPORT-2 (widened): federal law asks for both reports for every child or youth missing from foster care,
// for any reason (42 U.S.C. § 671(a)(35)(B)); California's § 11166(j) adds the CSE case. So `when` is empty:
// the CSE belief only adds a flag on the NCMEC report (the flow adds it as a detail).
const REPORT_CITATION = 'Penal Code § 11166(j); 42 U.S.C. § 671(a)(35)(B)';

/** Typed here and validated against the schema by the tests, so a cold start does not re-check them. */
export const missingFromCareDutyRules: readonly DutyRule[] = [
  {
    // R-REPORT-2: law enforcement enters the youth into NCIC; the county's duty is to report to them.
    id: 'missing-report-law-enforcement-ncic',
    flow: 'missing-from-care',
    taskType: 'report_missing_to_law_enforcement',
    requirementId: 'R-REPORT-2',
    citation: REPORT_CITATION,
    title: {
      en: 'Report the missing youth to law enforcement for entry into NCIC',
      es: 'Informar a la policía sobre el joven ausente para su registro en NCIC',
    },
    description: {
      en: 'A youth is missing from care or abducted. Every missing or abducted child or youth in foster care is reported to the appropriate law enforcement agency for entry into the National Crime Information Center (NCIC) database immediately, and in no case later than 24 hours after the information was received. Record the agency, the report or case number and the time of the report.',
      es: 'Un joven está ausente de su colocación o fue secuestrado. Todo niño o joven en cuidado de crianza que esté desaparecido o haya sido secuestrado se informa a la agencia policial correspondiente para su registro en la base de datos del Centro Nacional de Información Criminal (NCIC) de inmediato y, en ningún caso, más de 24 horas después de recibir la información. Anote la agencia, el número de informe o de caso y la hora del informe.',
    },
    assigneeRole: 'caseworker',
    obligation: 'statute',
    when: {},
    due: { withinHours: 24, basis: 'statute' },
  },
  {
    // R-REPORT-2: the second, separate report the same statutes ask for.
    id: 'missing-report-ncmec',
    flow: 'missing-from-care',
    taskType: 'report_missing_to_ncmec',
    requirementId: 'R-REPORT-2',
    citation: REPORT_CITATION,
    title: {
      en: 'Report the missing youth to NCMEC',
      es: 'Informar al NCMEC sobre el joven ausente',
    },
    description: {
      en: 'A youth is missing from care or abducted. Every missing or abducted child or youth in foster care is reported to the National Center for Missing & Exploited Children (NCMEC) immediately, and in no case later than 24 hours after the information was received. Record the NCMEC case number and the time of the report.',
      es: 'Un joven está ausente de su colocación o fue secuestrado. Todo niño o joven en cuidado de crianza que esté desaparecido o haya sido secuestrado se informa al Centro Nacional para Menores Desaparecidos y Explotados (NCMEC) de inmediato y, en ningún caso, más de 24 horas después de recibir la información. Anote el número de caso del NCMEC y la hora del informe.',
    },
    assigneeRole: 'caseworker',
    obligation: 'statute',
    when: {},
    due: { withinHours: 24, basis: 'statute' },
  },
  {
    // R-RUN-2: every youth missing from care is located, whatever the answers, so `when` is empty.
    // The law says only "expeditiously"; 4 hours is a county-policy default (labelled `policy`) so a
    // supervisor sees, within the same shift, a youth whose search has not started. A county sets its own.
    // The task type must stay `locate`: the runaway-return interview closes the youth's open `locate` tasks.
    id: 'missing-locate-youth',
    flow: 'missing-from-care',
    taskType: 'locate',
    requirementId: 'R-RUN-2',
    citation: 'Welf. & Inst. Code § 16524.7; County Fiscal Letter No. 16/17-73',
    title: {
      en: 'Locate the youth',
      es: 'Localizar al joven',
    },
    description: {
      en: 'Locate the youth missing from care as quickly as possible, and record the steps taken. This task closes when the youth returns and the return interview is done.',
      es: 'Localice lo antes posible al joven ausente de su colocación y anote las gestiones realizadas. Esta tarea se cierra cuando el joven regresa y se hace la entrevista de regreso.',
    },
    assigneeRole: 'caseworker',
    // The duty to locate is the statute's (R-RUN-2); only the 4 hours are county policy.
    obligation: 'statute',
    when: {},
    due: { withinHours: 4, basis: 'policy' },
  },
];
