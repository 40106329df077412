import type { Instrument } from './instrument.ts';

/**
 * R-IND-1: the seven trafficking indicators of Penal Code § 236.2, plus the WIC § 300(b)(2) exchange
 * question. Built from public law only; a checklist, not a validated screening instrument.
 * Typed here and validated against the schema by the tests, so a cold start does not re-check it.
 */
export const defaultInstrument: Instrument = {
  id: 'ca-public-law-cse-indicators',
  version: '1.0.0',
  title: {
    en: 'CSE indicators from California law',
    es: 'Indicadores de explotación sexual comercial según la ley de California',
  },
  notice: {
    en: 'This checklist is built from public law (Penal Code § 236.2 and WIC § 300(b)(2)). It is not a validated screening tool. Answer from what you know; do not read it to the youth as an interview.',
    es: 'Esta lista se basa en la ley pública (Código Penal § 236.2 y WIC § 300(b)(2)). No es una herramienta de evaluación validada. Responda según lo que sabe; no la lea al joven como una entrevista.',
  },
  items: [
    {
      id: 'exchange',
      text: {
        en: 'Is there information that the youth exchanged, or was offered, sexual acts for money, food, shelter or anything else of value?',
        es: '¿Hay información de que el joven intercambió, o le ofrecieron intercambiar, actos sexuales por dinero, comida, alojamiento o cualquier otra cosa de valor?',
      },
      help: {
        en: 'In California a minor in this situation is a victim. No force, fraud or coercion has to be shown.',
        es: 'En California, un menor en esta situación es una víctima. No es necesario demostrar fuerza, fraude ni coerción.',
      },
      citation: 'Welf. & Inst. Code § 300(b)(2)',
      raises: 'clear',
      // R-OVERRIDE-1
      exchangeIndicator: true,
      reason: {
        en: 'Information that sexual acts were exchanged or offered for something of value',
        es: 'Información de que se intercambiaron u ofrecieron actos sexuales a cambio de algo de valor',
      },
    },
    {
      id: 'trauma_signs',
      text: {
        en: 'Does the youth show signs of trauma, fatigue, injury or poor care?',
        es: '¿Muestra el joven señales de trauma, cansancio, lesiones o falta de cuidado?',
      },
      citation: 'Penal Code § 236.2(a)',
      requirementId: 'R-IND-1',
      raises: 'possible',
      reason: {
        en: 'Signs of trauma, fatigue, injury or poor care',
        es: 'Señales de trauma, cansancio, lesiones o falta de cuidado',
      },
    },
    {
      id: 'withdrawn_or_censored',
      text: {
        en: 'Is the youth withdrawn or afraid to talk, or does another person appear to control what they say?',
        es: '¿Está el joven retraído o con miedo de hablar, o parece que otra persona controla lo que dice?',
      },
      citation: 'Penal Code § 236.2(b)',
      requirementId: 'R-IND-1',
      raises: 'possible',
      reason: {
        en: 'Withdrawn, afraid to talk, or communication controlled by another person',
        es: 'Retraído, con miedo de hablar, o con la comunicación controlada por otra persona',
      },
    },
    {
      id: 'no_freedom_of_movement',
      text: {
        en: 'Is there information that the youth is not free to come and go?',
        es: '¿Hay información de que el joven no tiene libertad para ir y venir?',
      },
      citation: 'Penal Code § 236.2(c)',
      requirementId: 'R-IND-1',
      raises: 'possible',
      reason: { en: 'No freedom of movement', es: 'Sin libertad de movimiento' },
    },
    {
      id: 'lives_where_works',
      text: {
        en: 'Does the youth live and work in the same place?',
        es: '¿Vive y trabaja el joven en el mismo lugar?',
      },
      citation: 'Penal Code § 236.2(d)',
      requirementId: 'R-IND-1',
      raises: 'possible',
      reason: { en: 'Lives and works in one place', es: 'Vive y trabaja en el mismo lugar' },
    },
    {
      id: 'owes_debt',
      text: {
        en: 'Is there information that the youth owes a debt to an employer or to someone they work for?',
        es: '¿Hay información de que el joven tiene una deuda con un empleador o con alguien para quien trabaja?',
      },
      citation: 'Penal Code § 236.2(e)',
      requirementId: 'R-IND-1',
      raises: 'possible',
      reason: { en: 'Owes a debt to an employer', es: 'Tiene una deuda con un empleador' },
    },
    {
      id: 'contact_controlled',
      text: {
        en: 'Are there security measures that control who the youth can have contact with?',
        es: '¿Hay medidas de seguridad que controlan con quién puede tener contacto el joven?',
      },
      citation: 'Penal Code § 236.2(f)',
      requirementId: 'R-IND-1',
      raises: 'possible',
      reason: {
        en: 'Security measures control who the youth has contact with',
        es: 'Medidas de seguridad controlan con quién tiene contacto el joven',
      },
    },
    {
      id: 'no_control_of_documents',
      text: {
        en: 'Is the youth without control of their own identification or immigration documents?',
        es: '¿Está el joven sin control de sus propios documentos de identidad o de inmigración?',
      },
      citation: 'Penal Code § 236.2(g)',
      requirementId: 'R-IND-1',
      raises: 'possible',
      reason: {
        en: 'No control over own identification or immigration documents',
        es: 'Sin control de sus propios documentos de identidad o de inmigración',
      },
    },
  ],
};
