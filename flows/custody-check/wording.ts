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
  notice: { en: 'Notice to the county (WIC § 305)', es: 'Aviso al condado (WIC § 305)' },
  exploitation: { en: 'Commercial sexual exploitation', es: 'Explotación sexual comercial' },
  custody: { en: 'Temporary custody', es: 'Custodia temporal' },
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
    en: 'If they could not be contacted, or were reached but cannot assume custody, the officer notifies a social worker in the county welfare office (WIC § 305), and the next questions record that notice. If contact has not been tried yet, choose "Unknown".',
    es: 'Si no se le pudo localizar, o se le localizó pero no puede asumir la custodia, el agente avisa a un trabajador social de la oficina de bienestar del condado (WIC § 305), y las siguientes preguntas registran ese aviso. Si todavía no se intentó el contacto, elija "No se sabe".',
  },
  officerName: {
    en: 'WIC § 305 asks the officer to notify a social worker in the county welfare office. Which officer gave, or will give, that notice? (name or badge number)',
    es: 'El WIC § 305 pide que el agente avise a un trabajador social de la oficina de bienestar del condado. ¿Qué agente dio, o dará, ese aviso? (nombre o número de placa)',
  },
  officerNameHelp: {
    en: 'This identifies the officer, not the child. The county’s task to respond runs from the time of the notice.',
    es: 'Esto identifica al agente, no a la persona menor de edad. La tarea del condado de responder corre desde el momento del aviso.',
  },
  officerAgency: {
    en: 'Which law enforcement agency is the officer with?',
    es: '¿A qué agencia policial pertenece el agente?',
  },
  officerAgencyHelp: {
    en: 'So the county social worker knows whom to call back.',
    es: 'Para que el trabajador social del condado sepa a quién devolver la llamada.',
  },
  officerNoticeAt: {
    en: 'When did the officer notify the county welfare office? (date and time)',
    es: '¿Cuándo avisó el agente a la oficina de bienestar del condado? (fecha y hora)',
  },
  officerNoticeAtHelp: {
    en: 'The county’s response is due from this moment. If the notice has not been given yet or the time is unknown, choose "Unknown": the time of contact is used.',
    es: 'La respuesta del condado se debe desde este momento. Si todavía no se dio el aviso o se desconoce la hora, elija "No se sabe": se usa el momento del contacto.',
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
    en: 'A minor is not charged under Penal Code § 647 for this: the child is a victim, and is referred to child welfare for assessment, where dependency may apply (WIC § 300(b)(2)). Which of these signs of human trafficking did you observe? (Penal Code § 236.2)',
    es: 'A un menor no se le acusa según el Código Penal § 647 por esto: es una víctima, y se le remite a los servicios de bienestar infantil para una evaluación, donde puede aplicar el sistema de dependencia (WIC § 300(b)(2)). ¿Cuáles de estas señales de trata de personas observó? (Código Penal § 236.2)',
  },
  indicatorsHelp: {
    en: 'Consider each sign and choose all that apply. This is a checklist from the law, not a validated screening; do not read it to the child as an interview.',
    es: 'Considere cada señal y elija todas las que correspondan. Es una lista basada en la ley, no una evaluación validada; no se la lea a la persona menor de edad como una entrevista.',
  },
  cws: {
    en: 'Is the child currently receiving child welfare services (including probation-supervised foster care)?',
    es: '¿Recibe la persona menor de edad actualmente servicios de bienestar infantil (incluido el cuidado de crianza supervisado por libertad condicional)?',
  },
  cwsHelp: {
    en: 'If so, the county reports to law enforcement within 24 hours (Penal Code § 11166(j)). If you are not sure, choose "Unknown": the report is then opened anyway, so the deadline is not missed.',
    es: 'Si es así, el condado informa a la policía dentro de 24 horas (Código Penal § 11166(j)). Si no está seguro, elija "No se sabe": el informe se abre de todos modos para no perder el plazo.',
  },
  custodyTaken: {
    en: 'Was the child taken into temporary custody?',
    es: '¿Se puso a la persona menor de edad bajo custodia temporal?',
  },
  custodyTakenHelp: {
    en: 'If so, the parent or guardian is notified (WIC § 307.4), and the child is released or a petition is filed within 48 hours (WIC § 313).',
    es: 'Si es así, se avisa al padre, la madre o el tutor (WIC § 307.4), y la persona menor de edad queda en libertad o se presenta una petición dentro de 48 horas (WIC § 313).',
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
    en: 'A minor who engaged in commercial sex is a victim and is not charged under Penal Code § 647; no force, fraud or coercion has to be shown. Refer the child to child welfare for assessment; dependency may apply under WIC § 300(b)(2), which also needs a parent or guardian who failed to, or was unable to, protect the child. Screen for CSE. Temporary custody under WIC § 305(a) applies if its criteria are met.',
    es: 'Un menor que participó en sexo comercial es una víctima y no se le acusa según el Código Penal § 647; no es necesario demostrar fuerza, fraude ni coerción. Remita a la persona menor de edad a los servicios de bienestar infantil para una evaluación; puede aplicar el sistema de dependencia según el WIC § 300(b)(2), que además requiere un padre, madre o tutor que no protegió, o no pudo proteger, a la persona menor de edad. Haga una evaluación de ESC. La custodia temporal según el WIC § 305(a) procede si se cumplen sus criterios.',
  },
  // R-CUSTODY-2
  parentContactUnknown: {
    en: 'The child was left unattended and the result of contacting the parent or guardian is unknown. WIC § 305 asks that they be contacted first; if they cannot be contacted, or cannot assume custody, the officer notifies a social worker in the county welfare office.',
    es: 'La persona menor de edad estaba sin supervisión y se desconoce el resultado del contacto con el padre, la madre o el tutor. El WIC § 305 pide intentar ese contacto primero; si no se le puede localizar, o no puede asumir la custodia, el agente avisa a un trabajador social de la oficina de bienestar del condado.',
  },
  // R-CUSTODY-2
  releaseToParent: {
    en: 'The parent or guardian was reached and can assume custody: WIC § 305 points to releasing the child to them, so no notice to the county welfare office was recorded for that reason.',
    es: 'Se localizó al padre, la madre o el tutor y puede asumir la custodia: el WIC § 305 indica entregar la persona menor de edad a esa persona, por lo que no se registró ningún aviso a la oficina de bienestar del condado por ese motivo.',
  },
  // R-CUSTODY-2
  noticeTimeUnknown: {
    en: 'The time of the officer’s notice to the county is unknown, so the county’s response runs from the time of contact.',
    es: 'Se desconoce el momento del aviso del agente al condado, por lo que la respuesta del condado corre desde el momento del contacto.',
  },
  // R-REPORT-1
  cwsUnknown: {
    en: 'Whether the child receives child welfare services is unknown, so the report to law enforcement (Penal Code § 11166(j)) was opened anyway. If it is not owed, cancel it with the reason.',
    es: 'Se desconoce si la persona menor de edad recibe servicios de bienestar infantil, por lo que el informe a la policía (Código Penal § 11166(j)) se abrió de todos modos. Si no corresponde, cancélelo indicando el motivo.',
  },
  // R-REPORT-1
  notInCws: {
    en: 'No report to law enforcement under Penal Code § 11166(j) was opened: that duty covers youth receiving child welfare services, and you recorded that this child does not. The referral to child welfare for assessment still applies, and known or suspected abuse must still be reported (Penal Code § 11166).',
    es: 'No se abrió el informe a la policía según el Código Penal § 11166(j): ese deber se refiere a jóvenes que reciben servicios de bienestar infantil, y usted indicó que esta persona menor de edad no los recibe. La remisión a los servicios de bienestar infantil para una evaluación sigue vigente, y todo abuso conocido o sospechado se debe informar (Código Penal § 11166).',
  },
  // R-CUSTODY-4
  custodyUnknown: {
    en: 'Whether the child was taken into temporary custody is unknown, so no follow-up was opened. If they were: notify the parent or guardian (WIC § 307.4), and release the child or file a petition within 48 hours (WIC § 313).',
    es: 'Se desconoce si la persona menor de edad quedó bajo custodia temporal, por lo que no se abrió ningún seguimiento. Si fue así: avise al padre, la madre o el tutor (WIC § 307.4), y deje en libertad a la persona menor de edad o presente una petición dentro de 48 horas (WIC § 313).',
  },
  // R-CUSTODY-4
  notInCustody: {
    en: 'The child was not taken into temporary custody, so no custody follow-up (WIC §§ 307.4, 313) was opened.',
    es: 'La persona menor de edad no quedó bajo custodia temporal, por lo que no se abrió ningún seguimiento de custodia (WIC §§ 307.4, 313).',
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
