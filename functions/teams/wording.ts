import type { Locale } from '#flows/i18n.ts';

/** What the bot says outside the flows' own prompts, in both languages, in the flows' calm register. */
const words = {
  en: {
    help: [
      'I can guide you through a screening and keep track of the reports it requires.',
      '• **screen CASE-REF**: CSE screening',
      '• **return interview CASE-REF**: runaway-return interview',
      '• **missing CASE-REF**: report a youth missing from care',
      '• **custody CASE-REF**: custody check (WIC § 305)',
      '• **resume**: back to your last unfinished conversation, wherever you started it',
      '• **my tasks**: your open reporting tasks',
      '• **board**: your unit’s deadlines (supervisors)',
      'Use the case reference, never the youth’s name. Every question can be answered “Unknown” or skipped.',
    ].join('\n\n'),
    notLinked:
      'Your Teams account is not linked to this service yet, so I cannot show or record anything. Please ask your administrator to link it.',
    accessEnded:
      'Your access to this service is turned off or has changed, so I cannot show or record anything. If that is unexpected, please ask your administrator.',
    needReference:
      'Which case? Send the command with the case reference, for example: **{command} CASE-1234**. Please do not use a name.',
    badReference:
      'That does not look like a case reference (letters, digits and - _ . : only). Please do not use a name.',
    nothingToResume: 'There is no conversation to resume. Send **help** to see what I can do.',
    resuming: 'Continuing where you left off: {flow}, {ref}.',
    noSuchUnfinished:
      'There is no unfinished conversation number {n}. Send **resume** to see your unfinished conversations.',
    alreadyFinished: 'That conversation is already finished; here is where it stands.',
    boardSupervisorsOnly:
      'The board shows a unit’s deadlines to its supervisors, so I cannot show it to you. Send **my tasks** to see your own open reporting tasks.',
    noTasks: 'You have no open reporting tasks.',
    tasksHeading: 'Your open reporting tasks',
    reminder: 'Reminder: this report is due soon',
    escalation: 'Escalation: this report is overdue',
    cancellation: 'A statutory report in your unit was cancelled: please review the reason',
    closure_requested:
      'The youth has returned: a return interview was linked to this task, which is yours to close. Please close it.',
    task_closed: 'The youth has returned: a return interview closed this task of yours.',
    records_request: 'A records request about a youth whose case you hold was carried out.',
    escalation_notice:
      'This report of yours is overdue, and your supervisors have been told. If it is done, record it here.',
    assignment: 'A supervisor gave you this task.',
    taskDone: 'Thank you. The task is recorded as done.',
    tooMany: 'Too many requests just now. Please wait {seconds} seconds and try again.',
    unknownCommand: 'I did not understand that. Send **help** to see what I can do.',
    staleCard: 'That card is out of date; here is where the conversation stands now.',
    pickDateTime: 'Pick a date and a time on the card.',
    pickDateTimeOrUnknown: 'Pick a date and a time on the card, or choose **{unknown}**.',
    futureDateTime: 'That date and time has not come yet. Pick when it happened.',
    futureDateTimeOrUnknown:
      'That date and time has not come yet. Pick when it happened, or choose **{unknown}**.',
    pickReportedAt: 'Pick the date and the time it was reported, then press **Save**.',
    reportedInFuture: 'That time has not come yet. Pick the date and the time it was reported.',
    reportedBeforeInformation:
      'That is before the information was received. Pick the date and the time it was reported.',
    problem: 'Something went wrong on our side and nothing was saved. Please try again in a moment.',
  },
  es: {
    help: [
      'Puedo guiarle en una evaluación y dar seguimiento a los informes que exige.',
      '• **evaluar REF-CASO**: evaluación de ESC',
      '• **entrevista REF-CASO**: entrevista de regreso',
      '• **desaparecido REF-CASO**: reportar a un joven desaparecido',
      '• **custodia REF-CASO**: verificación de custodia (WIC § 305)',
      '• **continuar**: volver a su última conversación sin terminar, dondequiera que la empezó',
      '• **mis tareas**: sus tareas de informe abiertas',
      '• **tablero**: los plazos de su unidad (supervisores)',
      'Use la referencia del caso, nunca el nombre del joven. Toda pregunta se puede responder “No se sabe” u omitir.',
    ].join('\n\n'),
    notLinked:
      'Su cuenta de Teams aún no está vinculada a este servicio, así que no puedo mostrar ni registrar nada. Pida a su administrador que la vincule.',
    accessEnded:
      'Su acceso a este servicio está desactivado o ha cambiado, así que no puedo mostrar ni registrar nada. Si no lo esperaba, consulte a su administrador.',
    needReference:
      '¿Qué caso? Envíe el comando con la referencia del caso, por ejemplo: **{command} CASO-1234**. Por favor no use un nombre.',
    badReference:
      'Eso no parece una referencia de caso (solo letras, números y - _ . :). Por favor no use un nombre.',
    nothingToResume:
      'No hay ninguna conversación para continuar. Envíe **ayuda** para ver lo que puedo hacer.',
    resuming: 'Continuamos donde lo dejó: {flow}, {ref}.',
    noSuchUnfinished:
      'No hay ninguna conversación sin terminar con el número {n}. Envíe **continuar** para ver sus conversaciones sin terminar.',
    alreadyFinished: 'Esa conversación ya terminó; así quedó.',
    boardSupervisorsOnly:
      'El tablero muestra los plazos de una unidad a sus supervisores, así que no puedo mostrárselo. Envíe **mis tareas** para ver sus propias tareas de informe abiertas.',
    noTasks: 'No tiene tareas de informe abiertas.',
    tasksHeading: 'Sus tareas de informe abiertas',
    reminder: 'Recordatorio: este informe vence pronto',
    escalation: 'Escalamiento: este informe está vencido',
    cancellation: 'Se canceló un informe obligatorio de su unidad: revise el motivo',
    closure_requested:
      'El joven regresó: una entrevista de regreso se vinculó a esta tarea, que le corresponde cerrar a usted. Ciérrela, por favor.',
    task_closed: 'El joven regresó: una entrevista de regreso cerró esta tarea suya.',
    records_request: 'Se llevó a cabo una solicitud de registros sobre un joven cuyo caso usted lleva.',
    escalation_notice:
      'Este informe suyo está vencido y se avisó a sus supervisores. Si ya lo hizo, regístrelo aquí.',
    assignment: 'Un supervisor le asignó esta tarea.',
    taskDone: 'Gracias. La tarea quedó registrada como hecha.',
    tooMany: 'Demasiadas solicitudes en este momento. Espere {seconds} segundos e intente de nuevo.',
    unknownCommand: 'No entendí eso. Envíe **ayuda** para ver lo que puedo hacer.',
    staleCard: 'Esa tarjeta ya no está al día; así está la conversación ahora.',
    pickDateTime: 'Elija una fecha y una hora en la tarjeta.',
    pickDateTimeOrUnknown: 'Elija una fecha y una hora en la tarjeta, o elija **{unknown}**.',
    futureDateTime: 'Esa fecha y hora todavía no ha llegado. Elija cuándo ocurrió.',
    futureDateTimeOrUnknown:
      'Esa fecha y hora todavía no ha llegado. Elija cuándo ocurrió, o elija **{unknown}**.',
    pickReportedAt: 'Elija la fecha y la hora en que se informó y pulse **Guardar**.',
    reportedInFuture: 'Esa hora todavía no ha llegado. Elija la fecha y la hora en que se informó.',
    reportedBeforeInformation:
      'Eso es anterior a cuando se recibió la información. Elija la fecha y la hora en que se informó.',
    problem: 'Algo falló de nuestro lado y no se guardó nada. Intente de nuevo en un momento.',
  },
} as const;

export type BotWord = keyof (typeof words)['en'];

export function botSays(locale: Locale, word: BotWord, values: Record<string, string | number> = {}): string {
  return words[locale][word].replace(/\{(\w+)\}/g, (_, name: string) => String(values[name] ?? ''));
}

/** Teams sends the client's locale (`es-US`, `en-GB`…); anything Spanish is Spanish, the rest English. */
export function localeOf(value: unknown): Locale {
  return typeof value === 'string' && value.toLowerCase().startsWith('es') ? 'es' : 'en';
}

/**
 * The flow's and the API's refusals in the user's language. English keeps the API's own sentence, which is
 * English and names the exact choice; Spanish says the same per code, and something plain for the rest,
 * never an English sentence in a Spanish chat.
 */
const spanishRefusals: Record<string, string> = {
  empty_answer: 'La respuesta está vacía. Escriba algo, o use los botones de la tarjeta.',
  conversation_completed: 'Esta conversación ya terminó.',
  conversation_paused: 'Esta conversación está en pausa; reanúdela primero.',
  not_paused: 'Esta conversación no está en pausa.',
  cannot_go_back: 'No hay una pregunta anterior a la que volver.',
  unknown_not_allowed: 'Esta pregunta necesita una respuesta.',
  skip_not_allowed: 'Esta pregunta no se puede omitir.',
  note_not_allowed: 'Esta pregunta no admite una nota.',
  choice_not_offered: 'Elija una de las opciones que ofrece la tarjeta.',
  datetime_in_future: 'Esa fecha y hora todavía no ha llegado. Elija cuándo ocurrió.',
  event_not_accepted: 'Eso no es posible en este punto de la conversación.',
  not_found: 'No se encontró lo que buscaba, o no tiene acceso a ello.',
  forbidden: 'No tiene permiso para hacer eso.',
};

export function refusalSays(locale: Locale, code: string, message: string): string {
  if (locale === 'en') return message;
  return spanishRefusals[code] ?? 'No se pudo hacer eso. Revise la tarjeta e intente de nuevo.';
}
