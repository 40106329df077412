import type { DutyRule } from '../duty-rule.ts';

/**
 * R-MANDATED-1: a shelter's staff are mandated reporters; these are the shelter's own tasks, for whoever ran
 * the screening. The county's duties are opened from the hand-off, when the county receives it (R-HANDOFF-1).
 * `concernFound` is yes when the determination is identified or at risk, or the exchange indicator is present.
 * Typed here and validated against the schema by the tests, so a cold start does not re-check them.
 */
export const partnerScreeningDutyRules: readonly DutyRule[] = [
  {
    id: 'partner-mandated-phone-report',
    flow: 'partner-cse-screening',
    taskType: 'mandated_phone_report',
    requirementId: 'R-MANDATED-1',
    citation: 'Penal Code § 11166(a)',
    title: {
      en: 'Report by telephone to county child welfare or law enforcement now',
      es: 'Informar ahora por teléfono a los servicios de bienestar infantil del condado o a la policía',
    },
    description: {
      en: 'As a mandated reporter, make a telephone report immediately, or as soon as practicably possible, to the county child welfare agency or to law enforcement. Record who took the report, the reference number and the time.',
      es: 'Como informante obligatorio, haga un informe telefónico de inmediato, o tan pronto como sea posible, a la agencia de bienestar infantil del condado o a la policía. Anote quién recibió el informe, el número de referencia y la hora.',
    },
    assigneeRole: 'screener',
    obligation: 'statute',
    when: { concernFound: ['yes'] },
    due: { withinHours: 0, basis: 'statute' },
  },
  {
    id: 'partner-mandated-written-report',
    flow: 'partner-cse-screening',
    taskType: 'mandated_written_report',
    requirementId: 'R-MANDATED-1',
    citation: 'Penal Code § 11166(a)',
    title: {
      en: 'Send the written report (form SS 8572) within 36 hours',
      es: 'Enviar el informe escrito (formulario SS 8572) dentro de 36 horas',
    },
    description: {
      en: 'Send a written follow-up report on form SS 8572 to the agency you reported to by telephone, within 36 hours of receiving the information. Record where it was sent and the time.',
      es: 'Envíe un informe escrito de seguimiento en el formulario SS 8572 a la agencia a la que informó por teléfono, dentro de las 36 horas siguientes a la recepción de la información. Anote a dónde se envió y la hora.',
    },
    assigneeRole: 'screener',
    obligation: 'statute',
    when: { concernFound: ['yes'] },
    due: { withinHours: 36, basis: 'statute' },
  },
];
