import type { Locale } from '#flows/i18n.ts';

/**
 * What the tablet itself says, in both languages; the questions come from the flow in the interview's
 * language. Written for an interviewer sitting with a youth: calm, plain, and honest about what is kept
 * on the tablet and what has reached the county's records.
 */
const en = {
  appName: 'Return interview',
  signInIntro:
    'Sign in once with your county account while you have a connection. After that the tablet works without one.',
  signIn: 'Sign in',
  signInAgain: 'Sign in again to send',
  noSignIn: 'Sign-in is not available right now. Please try again when you have a connection.',
  choosePin: 'Choose a PIN for this tablet',
  choosePinHelp:
    'At least 6 digits. The PIN unlocks this tablet’s saved answers; without it nobody can read them. It is never sent anywhere and cannot be recovered.',
  pin: 'PIN',
  pinAgain: 'PIN again',
  pinsDiffer: 'The two PINs are not the same. Please type them again.',
  pinTooShort: 'Please use at least 6 digits.',
  savePin: 'Save PIN',
  unlockTitle: 'Locked',
  unlockHelp: 'Type your PIN to continue. The tablet locks itself when it has not been used for a while.',
  unlock: 'Unlock',
  wrongPin: 'That PIN does not open this tablet.',
  wait: 'Too many tries. Please wait {seconds} seconds.',
  wrongPinCounted: 'That PIN does not open this tablet. {n} tries left before the county locks it.',
  needsServer:
    'This tablet has not reached the county for a while, so it needs a connection to unlock. Connect, sign in, then type your PIN.',
  deviceLocked:
    'Too many wrong PINs: the county has locked this tablet and its saved answers cannot be opened. Wipe the tablet and set it up again.',
  noAuthenticator: 'The tablet’s own security check did not answer. Please try again.',
  setUpNeedsServer: 'Setting up the PIN needs a connection to the county. Please try again when online.',
  otherOwner:
    'This tablet is set up for another interviewer. Their answers stay locked. Wipe the tablet to set it up for you.',
  lockNow: 'Lock',
  wipe: 'Wipe tablet',
  wipeTitle: 'Wipe this tablet?',
  wipeBody:
    'Everything saved on this tablet is removed at once: {pending}. This cannot be undone. Answers already sent are safe in the county’s records.',
  wipeNothing: 'no answers are waiting to be sent',
  wipePending: '{n} answers not yet sent will be lost',
  wipeConfirm: 'Wipe now',
  cancel: 'Cancel',
  online: 'Online',
  offline: 'Offline: answers are saved on this tablet',
  pending: '{n} waiting to send',
  allSent: 'All answers sent',
  sending: 'Sending…',
  startTitle: 'Start an interview',
  startWorksOffline:
    'You can start and finish an interview without a connection. Every answer is saved sealed on this tablet and sent as soon as there is one; the record starts from the moment you press Start.',
  signInToSend: 'Sign in once there is a connection, so the tablet can send what it holds.',
  caseReference: 'Case reference (not a name)',
  badReference: 'Use the case reference: letters, digits and - _ . : only, no spaces and no names.',
  interviewKind: 'Interview',
  language: 'Language of the interview',
  start: 'Start',
  notOnTablet:
    'This tablet’s app does not have these questions yet. Reload the app while online, then start again.',
  continueTitle: 'Interview in progress',
  continue: 'Continue',
  sections: 'Sections',
  progress: 'Question {n} of {of}',
  answered: 'Answered',
  you: 'Answer',
  wentBack: 'Went back to change an answer',
  paused: 'Paused',
  resumed: 'Resumed',
  send: 'Save answer',
  // Issue 20: one term per idea. The youth declines with "Skip" and is unsure with "Not sure", the words the
  // questions' own help and the interviewer's reasons use; the interviewer's questions say "Unknown".
  youthSkip: 'Skip',
  youthNotSure: 'Not sure',
  skip: 'Skip',
  done: 'Done',
  note: 'Note (optional)',
  when: 'Date and time',
  notAccepted: 'That answer could not be used: {message}',
  refusedFuture: 'the date and time is in the future.',
  refusedDate: 'please give a date and a time.',
  refusedEmpty: 'the answer is empty.',
  refusedOther: 'it does not fit this question. Please try again.',
  noConnection: 'no connection',
  finishedOffline:
    'The interview is finished and saved on this tablet. It is sent as soon as there is a connection; the reporting tasks open then. The deadlines below already run.',
  finishedSent:
    'The interview is finished and in the county’s records. Nothing about it is left on this tablet.',
  duties: 'Reporting duties and their deadlines',
  tasks: 'Reporting tasks opened',
  noDuties: 'No reporting duty follows from this interview.',
  due: 'due {when}',
  newInterview: 'Start another interview',
  conflict:
    'The county’s record and this tablet do not agree (after answer {n}). Nothing from that answer on was sent, and nothing was merged. The answers stay on this tablet; please contact your supervisor.',
  conflictRetry: 'Try sending again',
  rejected: 'The county’s records refused an answer ({code}). The answers stay on this tablet.',
  startRefused:
    'The county’s records could not take this interview’s start ({code}). Nothing was sent and nothing was merged. The answers stay on this tablet; please contact your supervisor.',
  duplicate:
    'Another interview about this youth was started at about the same time. Nothing from this tablet was sent or merged. Check with your supervisor which is the real one. If they are separate interviews, send this one as its own record.',
  duplicateOther: 'Started {when}, {who}, {where}: {status}, {answers}',
  oneAnswer: '1 answer',
  manyAnswers: '{n} answers',
  duplicateYours: 'by you',
  duplicateColleague: 'by a colleague',
  duplicateOnDevice: 'on a tablet',
  duplicateOnline: 'online',
  statusCompleted: 'finished',
  statusActive: 'in progress',
  statusPaused: 'paused',
  sendSeparate: 'Send as a separate interview',
  unfinishedTitle: 'Unfinished conversations',
  unfinishedIntro:
    'Conversations you started and did not finish, here or on another device. Continue one where it stopped; nothing already answered is asked again.',
  unfinishedLoading: 'Looking for unfinished conversations…',
  unfinishedNone: 'Nothing unfinished.',
  unfinishedOffline:
    'The list of unfinished conversations needs a connection. Interviews saved on this tablet are not affected.',
  unfinishedFailed: 'The list of unfinished conversations could not be read ({code}).',
  unfinishedAt: 'stopped at question {n} of {of} ({section})',
  unfinishedPaused: 'paused',
  unfinishedChanged: 'last changed {when}',
  resumeOne: 'Continue',
  resumeFailed: 'That conversation could not be continued here ({code}).',
  flowNames: {
    'runaway-return': 'Return interview (after an absence from care)',
    'cse-screening': 'CSE screening',
    'missing-from-care': 'Missing from care report',
    'custody-check': 'Temporary custody check',
  } as Record<string, string>,
};

type Words = typeof en;

/** Typed by the English keys, so a missing translation fails the build rather than showing a blank. */
const es: Words = {
  appName: 'Entrevista de regreso',
  signInIntro:
    'Inicie sesión una vez con su cuenta del condado mientras tenga conexión. Después, la tableta funciona sin ella.',
  signIn: 'Iniciar sesión',
  signInAgain: 'Inicie sesión de nuevo para enviar',
  noSignIn: 'El inicio de sesión no está disponible ahora. Inténtelo cuando tenga conexión.',
  choosePin: 'Elija un PIN para esta tableta',
  choosePinHelp:
    'Al menos 6 dígitos. El PIN abre las respuestas guardadas en esta tableta; sin él nadie puede leerlas. Nunca se envía y no se puede recuperar.',
  pin: 'PIN',
  pinAgain: 'Repita el PIN',
  pinsDiffer: 'Los dos PIN no coinciden. Escríbalos de nuevo.',
  pinTooShort: 'Use al menos 6 dígitos.',
  savePin: 'Guardar PIN',
  unlockTitle: 'Bloqueada',
  unlockHelp: 'Escriba su PIN para continuar. La tableta se bloquea sola cuando no se usa por un rato.',
  unlock: 'Desbloquear',
  wrongPin: 'Ese PIN no abre esta tableta.',
  wait: 'Demasiados intentos. Espere {seconds} segundos.',
  wrongPinCounted: 'Ese PIN no abre esta tableta. Quedan {n} intentos antes de que el condado la bloquee.',
  needsServer:
    'Esta tableta lleva un tiempo sin conectarse con el condado, así que necesita conexión para desbloquearse. Conéctese, inicie sesión y escriba su PIN.',
  deviceLocked:
    'Demasiados PIN incorrectos: el condado bloqueó esta tableta y sus respuestas guardadas no se pueden abrir. Borre la tableta y configúrela de nuevo.',
  noAuthenticator: 'La verificación de seguridad de la tableta no respondió. Inténtelo de nuevo.',
  setUpNeedsServer:
    'Configurar el PIN necesita conexión con el condado. Inténtelo de nuevo cuando tenga conexión.',
  otherOwner:
    'Esta tableta está configurada para otra persona entrevistadora. Sus respuestas siguen bloqueadas. Borre la tableta para configurarla para usted.',
  lockNow: 'Bloquear',
  wipe: 'Borrar tableta',
  wipeTitle: '¿Borrar esta tableta?',
  wipeBody:
    'Todo lo guardado en esta tableta se elimina de inmediato: {pending}. No se puede deshacer. Las respuestas ya enviadas están seguras en los registros del condado.',
  wipeNothing: 'no hay respuestas pendientes de envío',
  wipePending: 'se perderán {n} respuestas aún no enviadas',
  wipeConfirm: 'Borrar ahora',
  cancel: 'Cancelar',
  online: 'En línea',
  offline: 'Sin conexión: las respuestas se guardan en esta tableta',
  pending: '{n} por enviar',
  allSent: 'Todas las respuestas enviadas',
  sending: 'Enviando…',
  startTitle: 'Comenzar una entrevista',
  startWorksOffline:
    'Puede comenzar y terminar una entrevista sin conexión. Cada respuesta se guarda sellada en esta tableta y se envía en cuanto haya conexión; el registro empieza en el momento en que pulsa Comenzar.',
  signInToSend: 'Inicie sesión cuando haya conexión, para que la tableta pueda enviar lo que guarda.',
  caseReference: 'Referencia del caso (no un nombre)',
  badReference: 'Use la referencia del caso: letras, dígitos y - _ . : solamente, sin espacios ni nombres.',
  interviewKind: 'Entrevista',
  language: 'Idioma de la entrevista',
  start: 'Comenzar',
  notOnTablet:
    'La aplicación de esta tableta aún no tiene estas preguntas. Vuelva a cargarla con conexión y comience de nuevo.',
  continueTitle: 'Entrevista en curso',
  continue: 'Continuar',
  sections: 'Secciones',
  progress: 'Pregunta {n} de {of}',
  answered: 'Respondida',
  you: 'Respuesta',
  wentBack: 'Volvió atrás para cambiar una respuesta',
  paused: 'En pausa',
  resumed: 'Reanudada',
  send: 'Guardar respuesta',
  youthSkip: 'Saltar',
  youthNotSure: 'No sé',
  skip: 'Omitir',
  done: 'Listo',
  note: 'Nota (opcional)',
  when: 'Fecha y hora',
  notAccepted: 'No se pudo usar esa respuesta: {message}',
  refusedFuture: 'la fecha y la hora están en el futuro.',
  refusedDate: 'indique una fecha y una hora.',
  refusedEmpty: 'la respuesta está vacía.',
  refusedOther: 'no corresponde a esta pregunta. Inténtelo de nuevo.',
  noConnection: 'sin conexión',
  finishedOffline:
    'La entrevista terminó y está guardada en esta tableta. Se envía en cuanto haya conexión; las tareas de informe se abren entonces. Los plazos de abajo ya corren.',
  finishedSent:
    'La entrevista terminó y está en los registros del condado. No queda nada de ella en esta tableta.',
  duties: 'Deberes de informe y sus plazos',
  tasks: 'Tareas de informe abiertas',
  noDuties: 'Esta entrevista no genera ningún deber de informe.',
  due: 'vence {when}',
  newInterview: 'Comenzar otra entrevista',
  conflict:
    'El registro del condado y esta tableta no coinciden (después de la respuesta {n}). No se envió nada desde esa respuesta y no se combinó nada. Las respuestas siguen en esta tableta; comuníquese con su supervisor.',
  conflictRetry: 'Intentar enviar de nuevo',
  rejected:
    'Los registros del condado rechazaron una respuesta ({code}). Las respuestas siguen en esta tableta.',
  startRefused:
    'Los registros del condado no pudieron aceptar el comienzo de esta entrevista ({code}). No se envió ni se combinó nada. Las respuestas siguen en esta tableta; comuníquese con su supervisor.',
  duplicate:
    'Otra entrevista sobre este joven comenzó a la misma hora aproximadamente. No se envió ni se combinó nada de esta tableta. Consulte con su supervisor cuál es la verdadera. Si son entrevistas distintas, envíe esta como un registro aparte.',
  duplicateOther: 'Comenzó {when}, {who}, {where}: {status}, {answers}',
  oneAnswer: '1 respuesta',
  manyAnswers: '{n} respuestas',
  duplicateYours: 'por usted',
  duplicateColleague: 'por un colega',
  duplicateOnDevice: 'en una tableta',
  duplicateOnline: 'en línea',
  statusCompleted: 'terminada',
  statusActive: 'en curso',
  statusPaused: 'en pausa',
  sendSeparate: 'Enviar como una entrevista aparte',
  unfinishedTitle: 'Conversaciones sin terminar',
  unfinishedIntro:
    'Conversaciones que comenzó y no terminó, aquí o en otro dispositivo. Continúe una donde se quedó; no se vuelve a preguntar nada ya respondido.',
  unfinishedLoading: 'Buscando conversaciones sin terminar…',
  unfinishedNone: 'No hay nada sin terminar.',
  unfinishedOffline:
    'La lista de conversaciones sin terminar necesita conexión. Las entrevistas guardadas en esta tableta no se ven afectadas.',
  unfinishedFailed: 'No se pudo leer la lista de conversaciones sin terminar ({code}).',
  unfinishedAt: 'se quedó en la pregunta {n} de {of} ({section})',
  unfinishedPaused: 'en pausa',
  unfinishedChanged: 'último cambio {when}',
  resumeOne: 'Continuar',
  resumeFailed: 'Esa conversación no se pudo continuar aquí ({code}).',
  flowNames: {
    'runaway-return': 'Entrevista de regreso (tras una ausencia del cuidado)',
    'cse-screening': 'Evaluación de ESC',
    'missing-from-care': 'Informe de ausencia del cuidado',
    'custody-check': 'Comprobación de custodia temporal',
  },
};

const table: Record<Locale, Words> = { en, es };

type TextKey = { [K in keyof Words]: Words[K] extends string ? K : never }[keyof Words];

export function wordsFor(locale: Locale) {
  const words = table[locale];
  return {
    t: (key: TextKey, values: Record<string, string | number> = {}) =>
      words[key].replace(/\{(\w+)\}/g, (whole, name: string) =>
        name in values ? String(values[name]) : whole,
      ),
    flowName: (flowId: string) => words.flowNames[flowId] ?? flowId,
  };
}

export type Say = ReturnType<typeof wordsFor>;
