import type { LocalizedText } from '../i18n.ts';

/*
 * Every word of the custody check, in English and Spanish. The questions are asked of the officer or
 * caseworker, never read to the child. R-CUSTODY-3: no word here offers a charge for a minor; the only
 * mention of one says that the minor is not charged.
 */

export const sections = {
  criteria: {
    en: 'Temporary custody criteria (WIC § 305)',
    es: 'Criterios de custodia temporal (WIC § 305)',
  },
  parent: { en: 'Parent or guardian', es: 'Padre, madre o tutor legal' },
  exploitation: { en: 'Commercial sexual exploitation', es: 'Explotación sexual comercial' },
  timing: { en: 'Time of contact', es: 'Momento del contacto' },
} satisfies Record<string, LocalizedText>;

export const yesNoChoices = {
  yes: { en: 'Yes', es: 'Sí' },
  no: { en: 'No', es: 'No' },
} satisfies Record<string, LocalizedText>;

/** R-CUSTODY-2: what happened when the parent or guardian was contacted. */
export const parentContactChoices = {
  can_assume_custody: {
    en: 'Reached, and they can assume custody',
    es: 'Se le localizó y puede asumir la custodia',
  },
  cannot_assume_custody: {
    en: 'Reached, but they cannot assume custody',
    es: 'Se le localizó, pero no puede asumir la custodia',
  },
  could_not_contact: { en: 'Could not be contacted', es: 'No se le pudo localizar' },
} satisfies Record<string, LocalizedText>;

export const noIndicatorObserved = {
  en: 'None of these was observed',
  es: 'No se observó ninguna de estas señales',
} satisfies LocalizedText;

export const questions = {
  reasonableCause: {
    en: 'Is there reasonable cause to believe the child is described in WIC § 300 (a child who may need the protection of the juvenile court)?',
    es: '¿Hay causa razonable para creer que la persona menor de edad está descrita en el WIC § 300 (un menor que puede necesitar la protección del tribunal de menores)?',
  },
  reasonableCauseHelp: {
    en: 'This includes a child who is sexually trafficked, or who receives food, shelter or payment in exchange for sexual acts (WIC § 300(b)(2)). Answer from what you know; "Unknown" is always fine.',
    es: 'Esto incluye a un menor víctima de trata sexual, o que recibe comida, alojamiento o pago a cambio de actos sexuales (WIC § 300(b)(2)). Responda según lo que sabe; "No se sabe" siempre es válido.',
  },
  medicalNeed: {
    en: 'Does the child have an immediate need for medical care?',
    es: '¿Necesita la persona menor de edad atención médica inmediata?',
  },
  conditionsHelp: {
    en: 'WIC § 305 asks for reasonable cause and at least one of three immediate conditions. This question and the next two are those conditions.',
    es: 'El WIC § 305 pide causa razonable y al menos una de tres condiciones inmediatas. Esta pregunta y las dos siguientes son esas condiciones.',
  },
  abuseDanger: {
    en: 'Is the child in immediate danger of physical or sexual abuse?',
    es: '¿Está la persona menor de edad en peligro inmediato de abuso físico o sexual?',
  },
  environmentThreat: {
    en: "Does the physical environment, or the fact that the child is left unattended, pose an immediate threat to the child's health or safety?",
    es: '¿El entorno físico, o el hecho de que la persona menor de edad esté sin supervisión, representa una amenaza inmediata para su salud o seguridad?',
  },
  leftUnattended: {
    en: 'Was the child left unattended?',
    es: '¿Se dejó a la persona menor de edad sin supervisión?',
  },
  leftUnattendedHelp: {
    en: 'If yes, the next question asks about contacting the parent or guardian, which WIC § 305 asks to try first.',
    es: 'Si la respuesta es sí, la siguiente pregunta trata del contacto con el padre, la madre o el tutor, que el WIC § 305 pide intentar primero.',
  },
  parentContact: {
    en: 'The law asks that the parent or guardian be contacted first, to find out whether they can assume custody of the child. What happened when contact was tried?',
    es: 'La ley pide intentar primero comunicarse con el padre, la madre o el tutor, para saber si puede asumir la custodia de la persona menor de edad. ¿Qué pasó al intentar el contacto?',
  },
  parentContactHelp: {
    en: 'If they could not be contacted, a social worker in the county welfare office is notified right away (WIC § 305). If contact has not been tried yet, choose "Unknown".',
    es: 'Si no se le pudo localizar, se avisa de inmediato a un trabajador social de la oficina de bienestar del condado (WIC § 305). Si todavía no se intentó el contacto, elija "No se sabe".',
  },
  commercialSex: {
    en: 'Is there information that the child engaged in a commercial sex act, or in sexual conduct to receive money, food, shelter or anything else of value?',
    es: '¿Hay información de que la persona menor de edad participó en un acto sexual comercial, o en conducta sexual para recibir dinero, comida, alojamiento o cualquier otra cosa de valor?',
  },
  commercialSexHelp: {
    en: 'In California a minor in this situation is a victim: no force, fraud or coercion has to be shown (WIC § 300(b)(2)).',
    es: 'En California, un menor en esta situación es una víctima: no es necesario demostrar fuerza, fraude ni coerción (WIC § 300(b)(2)).',
  },
  indicators: {
    en: 'A minor is not charged under Penal Code § 647 for this: the child is a victim and is routed to dependency (WIC § 300(b)(2)). Which of these signs of human trafficking did you observe? (Penal Code § 236.2)',
    es: 'A un menor no se le acusa según el Código Penal § 647 por esto: es una víctima y se le deriva al sistema de dependencia (WIC § 300(b)(2)). ¿Cuáles de estas señales de trata de personas observó? (Código Penal § 236.2)',
  },
  indicatorsHelp: {
    en: 'Consider each sign and choose all that apply. This is a checklist from the law, not a validated screening; do not read it to the child as an interview.',
    es: 'Considere cada señal y elija todas las que correspondan. Es una lista basada en la ley, no una evaluación validada; no se la lea a la persona menor de edad como una entrevista.',
  },
  receivedAt: {
    en: 'When did the contact with the child happen, or when was this information received? (date and time)',
    es: '¿Cuándo ocurrió el contacto con la persona menor de edad, o cuándo se recibió esta información? (fecha y hora)',
  },
  receivedAtHelp: {
    en: 'Deadlines run from this moment, not from the end of this check. If unknown, the start of this check is used, and the real deadline may be earlier.',
    es: 'Los plazos se cuentan desde este momento, no desde el final de esta verificación. Si no se sabe, se usa el inicio de esta verificación, y el plazo real podría ser anterior.',
  },
} satisfies Record<string, LocalizedText>;

export const criteriaLabels = {
  met: {
    en: 'The WIC § 305 temporary custody criteria are met',
    es: 'Se cumplen los criterios de custodia temporal del WIC § 305',
  },
  not_met: {
    en: 'The WIC § 305 temporary custody criteria are not met',
    es: 'No se cumplen los criterios de custodia temporal del WIC § 305',
  },
  undetermined: {
    en: 'It cannot yet be said whether the WIC § 305 temporary custody criteria are met',
    es: 'Todavía no se puede decir si se cumplen los criterios de custodia temporal del WIC § 305',
  },
} satisfies Record<string, LocalizedText>;

/** The three immediate conditions of WIC § 305, as reasons (when present) and as short names (when unknown). */
export const conditionWords = {
  medical_need: {
    present: { en: 'Immediate need for medical care.', es: 'Necesidad inmediata de atención médica.' },
    name: { en: 'need for medical care', es: 'necesidad de atención médica' },
  },
  abuse_danger: {
    present: {
      en: 'Immediate danger of physical or sexual abuse.',
      es: 'Peligro inmediato de abuso físico o sexual.',
    },
    name: { en: 'danger of abuse', es: 'peligro de abuso' },
  },
  environment_threat: {
    present: {
      en: 'The physical environment, or being left unattended, poses an immediate threat to health or safety.',
      es: 'El entorno físico, o estar sin supervisión, representa una amenaza inmediata para la salud o la seguridad.',
    },
    name: {
      en: 'threat from the environment or from being left unattended',
      es: 'amenaza del entorno o de estar sin supervisión',
    },
  },
} satisfies Record<string, { present: LocalizedText; name: LocalizedText }>;

export const reasonWords = {
  reasonableCauseYes: {
    en: 'There is reasonable cause to believe the child is described in WIC § 300.',
    es: 'Hay causa razonable para creer que la persona menor de edad está descrita en el WIC § 300.',
  },
  reasonableCauseNo: {
    en: 'There is no reasonable cause to believe the child is described in WIC § 300.',
    es: 'No hay causa razonable para creer que la persona menor de edad está descrita en el WIC § 300.',
  },
  reasonableCauseUnknown: {
    en: 'Whether there is reasonable cause under WIC § 300 is unknown or was not answered.',
    es: 'Se desconoce, o no se respondió, si hay causa razonable según el WIC § 300.',
  },
  noCondition: {
    en: 'None of the three immediate conditions applies (medical care, danger of abuse, threat from the environment or from being left unattended).',
    es: 'No se da ninguna de las tres condiciones inmediatas (atención médica, peligro de abuso, amenaza del entorno o de estar sin supervisión).',
  },
  conditionsUnknown: {
    en: 'No immediate condition was confirmed; unknown or not answered: {conditions}.',
    es: 'No se confirmó ninguna condición inmediata; se desconoce o no se respondió: {conditions}.',
  },
} satisfies Record<string, LocalizedText>;

export const noticeWords = {
  // R-CUSTODY-3
  notCharged: {
    en: 'A minor who engaged in commercial sex is not charged under Penal Code § 647. Route the child to dependency under WIC § 300(b)(2) and to a CSE screening; temporary custody under WIC § 305(a) applies if its criteria are met.',
    es: 'A un menor que participó en sexo comercial no se le acusa según el Código Penal § 647. Derive a la persona menor de edad al sistema de dependencia según el WIC § 300(b)(2) y a una evaluación de ESC; la custodia temporal según el WIC § 305(a) procede si se cumplen sus criterios.',
  },
  // R-CUSTODY-2
  parentContactUnknown: {
    en: 'The child was left unattended and the result of contacting the parent or guardian is unknown. WIC § 305 asks that they be contacted first; if they cannot be contacted, notify a social worker in the county welfare office immediately.',
    es: 'La persona menor de edad estaba sin supervisión y se desconoce el resultado del contacto con el padre, la madre o el tutor. El WIC § 305 pide intentar ese contacto primero; si no se le puede localizar, avise de inmediato a un trabajador social de la oficina de bienestar del condado.',
  },
  undetermined: {
    en: 'Answers that are unknown or were not given prevent a decision on WIC § 305. When more is known, run this check again.',
    es: 'Hay respuestas desconocidas o no dadas que impiden decidir sobre el WIC § 305. Cuando se sepa más, vuelva a hacer esta verificación.',
  },
  receivedAtAssumed: {
    en: 'The time of contact is unknown; deadlines run from the start of this check and the real deadline may be earlier. Act immediately.',
    es: 'Se desconoce el momento del contacto; los plazos se cuentan desde el inicio de esta verificación y el plazo real podría ser anterior. Actúe de inmediato.',
  },
} satisfies Record<string, LocalizedText>;
