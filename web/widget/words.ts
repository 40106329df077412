import type { Locale } from '#flows/i18n.ts';

/**
 * Everything the widget itself says, in both languages. The questions come from the API in the
 * conversation's language; these are the frame around them. Written for a screener at an intake desk:
 * plain, calm, and always saying that "unknown" and "skip" are fine.
 */
const en = {
  region: 'CSE screening assistant',
  // Issue 20: the host page's launcher button, and what it says while the assistant opens.
  launch: 'Start a screening',
  launching: 'Opening the screening assistant…',
  title: 'CSE screening',
  botName: 'Screening assistant',
  quickExit: 'Quick exit',
  quickExitHint:
    'Leaves this page at once and clears the screening from this screen. Shortcut: press Escape twice.',
  signInIntro:
    'Sign in to screen a youth at intake. Answers are saved to your organisation’s records only, never on this computer.',
  signIn: 'Sign in',
  signOut: 'Sign out',
  signedInAs: 'Signed in as {name}',
  noSignIn: 'Sign-in is not available right now. Please try again later.',
  popupBlocked:
    'Sign-in opens in a small window of its own, and the browser blocked it. Please allow pop-ups for this page and press Sign in again.',
  signingIn: 'Finish signing in in the window that opened.',
  signInFailed: 'The sign-in did not go through. Please press Sign in again.',
  frameOnly: 'This page is part of the screening widget and only works inside your organisation’s page.',
  idle: 'For privacy, the screen was cleared after a period without activity. Answers already sent are saved. Sign in again when you are ready.',
  expired: 'Your sign-in has ended. Answers already sent are saved. Please sign in again.',
  wrongOrg:
    'This screening page belongs to another organisation. Please sign in with your own organisation’s account.',
  progress: 'Question {n} of {of}',
  placeholder: 'Case reference (not a name)',
  welcome:
    'Hello. This screening is a checklist you fill in from what you already know; it is never read to the youth. Every question can be answered “Unknown” or skipped, and you can go back or pause at any time.',
  askReference: 'To begin, type the youth’s case reference (not their name) and press Enter.',
  badReference:
    'That does not look like a case reference. Please use the reference from your intake records: letters, digits and - _ . : only, with no spaces and no names.',
  stale:
    'That question was already answered. The current question is below; to change an earlier answer, use Back.',
  useButtons: 'Please answer with the buttons on the question card (“Unknown” and “Skip” are always there).',
  another: 'To screen another youth, type their case reference.',
  forbidden: 'Your account cannot start this screening. Please check with your organisation’s administrator.',
  problem: 'That step could not be saved, and nothing was recorded. {reason}',
  // Issue 20: what an API refusal means, in plain words (never its code).
  reasonCheck: 'Please check the answer on the card and try again.',
  reasonFuture: 'That date and time has not come yet. Please pick when it happened.',
  reasonTooLong: 'The text is too long. Please shorten it and try again.',
  reasonNotPossible: 'That is not possible on this question. Please use the buttons on the newest card.',
  reasonNotFound: 'This screening could not be found. Type the case reference to start again.',
  reasonForbidden:
    'Your account is not allowed to do this. Please check with your organisation’s administrator.',
  reasonBusy: 'Too many requests just now. Please wait a moment and try again.',
  reasonOther: 'Please try again. If it keeps happening, tell your organisation’s administrator.',
  reasonTaskCheck: 'Please check what you typed and try again.',
  // Issue 20: the date and time of a question, checked before anything is sent.
  needDate: 'Pick the date.',
  needTime: 'Pick the time.',
  srFields: 'Fields: {list}.',
  srAnswers: 'Answers offered: {list}.',
  // Tabs
  tabs: 'Screening and tasks',
  tabScreening: 'Screening',
  tabTasks: 'My tasks',
  tabTasksCount: 'My tasks ({n})',
  // Resuming an unfinished screening for a case reference
  checking: 'Checking whether case {ref} has a screening that was not finished…',
  unfinishedFound:
    'Case {ref} has a screening that was not finished (last changed {when}). You can continue where it stopped; nothing already answered is asked again.',
  unfinishedAt: 'It stopped at question {n} of {of} ({section}).',
  unfinishedPaused: 'It was paused.',
  continueScreening: 'Continue where it stopped',
  startNew: 'Start a new screening',
  heldReference: 'This page is for case {ref}.',
  startFor: 'Start the screening for case {ref}',
  resuming: 'Continuing the screening for case {ref}.',
  staleOffer: 'That choice is no longer on offer. Please use the newest card, or type a case reference.',
  // My tasks
  tasksHeading: 'My tasks',
  tasksIntro:
    'Your open reporting tasks, the most urgent first. This list refreshes by itself. Take them one at a time; each says what it needs.',
  tasksNone: 'No open tasks right now.',
  tasksLoading: 'Loading your tasks…',
  tasksUpdated: 'Updated {time}',
  tasksFailed:
    'Your tasks could not be loaded just now. They are safe; the list tries again by itself. {reason}',
  refresh: 'Refresh',
  newTask: 'New task: {title}, {due}.',
  overdueBy: 'Overdue by {amount}',
  overdueNow: 'Overdue',
  dueIn: 'Due in {amount}',
  dueNow: 'Due now',
  dueAt: 'Deadline: {date}',
  receivedAt: 'Information received {date}',
  requirement: 'Requirement',
  citation: 'Legal basis',
  caseRef: 'Case reference',
  obligation: 'Duty',
  statute: 'required by law',
  policy: 'organisation or county policy',
  needs: 'What it needs',
  routedQueue: 'In your unit’s queue ({unit}): anyone in the unit may take it.',
  routedSupervisors: 'With the supervisors of {unit}.',
  takeIt: 'Take it',
  taken: 'You took “{title}”. It is now yours.',
  markDone: 'Mark as done',
  cancelTask: 'Cancel this task',
  closeForm: 'Close',
  evidenceHeading: 'The report you made',
  agency: 'Agency you reported to',
  referenceNumber: 'Reference number',
  reportedAt: 'When you made the report',
  saveDone: 'Save as done',
  doneOnTime: 'Saved. “{title}” is done, and the report was made on time.',
  doneLate: 'Saved. “{title}” is done. The report was made after the deadline; that is on record.',
  cancelHeading: 'Why is this task not owed?',
  reason: 'Reason',
  saveCancel: 'Cancel the task',
  cancelled: 'Cancelled “{title}”.',
  badTime: 'Please give the date and time of the report.',
  taskGone:
    'This task is no longer open to you; it may have been completed, cancelled or moved. The list has been refreshed.',
  taskFailed: 'That could not be saved, and nothing was changed; what you typed is still here. {reason}',
};

/** Typed by the English keys, so a missing translation fails the build rather than showing a blank. */
const es: Record<keyof typeof en, string> = {
  region: 'Asistente de evaluación de ESC',
  launch: 'Iniciar una evaluación',
  launching: 'Abriendo el asistente de evaluación…',
  title: 'Evaluación de ESC',
  botName: 'Asistente de evaluación',
  quickExit: 'Salida rápida',
  quickExitHint:
    'Sale de esta página de inmediato y borra la evaluación de esta pantalla. Atajo: pulse Escape dos veces.',
  signInIntro:
    'Inicie sesión para evaluar a un joven en la admisión. Las respuestas se guardan solo en los registros de su organización, nunca en esta computadora.',
  signIn: 'Iniciar sesión',
  signOut: 'Cerrar sesión',
  signedInAs: 'Sesión iniciada como {name}',
  noSignIn: 'El inicio de sesión no está disponible ahora. Inténtelo más tarde.',
  popupBlocked:
    'El inicio de sesión se abre en una ventana pequeña propia y el navegador la bloqueó. Permita las ventanas emergentes para esta página y pulse de nuevo Iniciar sesión.',
  signingIn: 'Termine de iniciar sesión en la ventana que se abrió.',
  signInFailed: 'No se pudo iniciar sesión. Pulse de nuevo Iniciar sesión.',
  frameOnly:
    'Esta página es parte del asistente de evaluación y solo funciona dentro de la página de su organización.',
  idle: 'Por privacidad, la pantalla se borró tras un periodo sin actividad. Las respuestas ya enviadas están guardadas. Inicie sesión de nuevo cuando esté listo.',
  expired: 'Su sesión terminó. Las respuestas ya enviadas están guardadas. Inicie sesión de nuevo.',
  wrongOrg:
    'Esta página de evaluación pertenece a otra organización. Inicie sesión con la cuenta de su propia organización.',
  progress: 'Pregunta {n} de {of}',
  placeholder: 'Referencia del caso (no un nombre)',
  welcome:
    'Hola. Esta evaluación es una lista que usted completa con lo que ya sabe; nunca se le lee al joven. Cada pregunta puede responderse “No se sabe” u omitirse, y puede volver atrás o pausar en cualquier momento.',
  askReference: 'Para empezar, escriba la referencia del caso del joven (no su nombre) y pulse Intro.',
  badReference:
    'Eso no parece una referencia de caso. Use la referencia de sus registros de admisión: solo letras, números y - _ . :, sin espacios ni nombres.',
  stale:
    'Esa pregunta ya se respondió. La pregunta actual está abajo; para cambiar una respuesta anterior, use Atrás.',
  useButtons:
    'Responda con los botones de la tarjeta de la pregunta (“No se sabe” y “Omitir” siempre están disponibles).',
  another: 'Para evaluar a otro joven, escriba su referencia de caso.',
  forbidden: 'Su cuenta no puede iniciar esta evaluación. Consulte con el administrador de su organización.',
  problem: 'No se pudo guardar ese paso y no se registró nada. {reason}',
  reasonCheck: 'Revise la respuesta en la tarjeta e inténtelo de nuevo.',
  reasonFuture: 'Esa fecha y hora todavía no ha llegado. Elija cuándo ocurrió.',
  reasonTooLong: 'El texto es demasiado largo. Acórtelo e inténtelo de nuevo.',
  reasonNotPossible: 'Eso no es posible en esta pregunta. Use los botones de la tarjeta más reciente.',
  reasonNotFound: 'No se encontró esta evaluación. Escriba la referencia del caso para empezar de nuevo.',
  reasonForbidden:
    'Su cuenta no tiene permiso para hacer esto. Consulte con el administrador de su organización.',
  reasonBusy: 'Demasiadas solicitudes en este momento. Espere un momento e inténtelo de nuevo.',
  reasonOther: 'Inténtelo de nuevo. Si sigue pasando, avise al administrador de su organización.',
  reasonTaskCheck: 'Revise lo que escribió e inténtelo de nuevo.',
  needDate: 'Elija la fecha.',
  needTime: 'Elija la hora.',
  srFields: 'Campos: {list}.',
  srAnswers: 'Respuestas disponibles: {list}.',
  tabs: 'Evaluación y tareas',
  tabScreening: 'Evaluación',
  tabTasks: 'Mis tareas',
  tabTasksCount: 'Mis tareas ({n})',
  checking: 'Comprobando si el caso {ref} tiene una evaluación sin terminar…',
  unfinishedFound:
    'El caso {ref} tiene una evaluación sin terminar (último cambio {when}). Puede continuar donde se quedó; no se vuelve a preguntar nada ya respondido.',
  unfinishedAt: 'Se quedó en la pregunta {n} de {of} ({section}).',
  unfinishedPaused: 'Se pausó.',
  continueScreening: 'Continuar donde se quedó',
  startNew: 'Empezar una evaluación nueva',
  heldReference: 'Esta página es para el caso {ref}.',
  startFor: 'Empezar la evaluación del caso {ref}',
  resuming: 'Continuando la evaluación del caso {ref}.',
  staleOffer:
    'Esa opción ya no está disponible. Use la tarjeta más reciente o escriba una referencia de caso.',
  tasksHeading: 'Mis tareas',
  tasksIntro:
    'Sus tareas de informe abiertas, las más urgentes primero. Esta lista se actualiza sola. Vaya una por una; cada una dice lo que necesita.',
  tasksNone: 'No hay tareas abiertas ahora.',
  tasksLoading: 'Cargando sus tareas…',
  tasksUpdated: 'Actualizado {time}',
  tasksFailed:
    'No se pudieron cargar sus tareas ahora. Están a salvo; la lista lo intenta de nuevo sola. {reason}',
  refresh: 'Actualizar',
  newTask: 'Tarea nueva: {title}, {due}.',
  overdueBy: 'Vencida hace {amount}',
  overdueNow: 'Vencida',
  dueIn: 'Vence en {amount}',
  dueNow: 'Vence ahora',
  dueAt: 'Plazo: {date}',
  receivedAt: 'Información recibida el {date}',
  requirement: 'Requisito',
  citation: 'Base legal',
  caseRef: 'Referencia del caso',
  obligation: 'Deber',
  statute: 'exigido por la ley',
  policy: 'política de la organización o del condado',
  needs: 'Qué necesita',
  routedQueue: 'En la cola de su unidad ({unit}): cualquier persona de la unidad puede tomarla.',
  routedSupervisors: 'Con los supervisores de {unit}.',
  takeIt: 'Tomarla',
  taken: 'Tomó «{title}». Ahora es suya.',
  markDone: 'Marcar como hecha',
  cancelTask: 'Cancelar esta tarea',
  closeForm: 'Cerrar',
  evidenceHeading: 'El informe que hizo',
  agency: 'Agencia a la que informó',
  referenceNumber: 'Número de referencia',
  reportedAt: 'Cuándo hizo el informe',
  saveDone: 'Guardar como hecha',
  doneOnTime: 'Guardado. «{title}» está hecha y el informe se hizo a tiempo.',
  doneLate: 'Guardado. «{title}» está hecha. El informe se hizo después del plazo; así consta.',
  cancelHeading: '¿Por qué no se debe esta tarea?',
  reason: 'Motivo',
  saveCancel: 'Cancelar la tarea',
  cancelled: 'Se canceló «{title}».',
  badTime: 'Indique la fecha y la hora del informe.',
  taskGone:
    'Esta tarea ya no está abierta para usted; puede que se haya completado, cancelado o movido. La lista se actualizó.',
  taskFailed: 'No se pudo guardar y no se cambió nada; lo que escribió sigue aquí. {reason}',
};

const words: Record<Locale, Record<keyof typeof en, string>> = { en, es };

export type WidgetWord = keyof typeof en;

export function say(locale: Locale, key: WidgetWord, values: Record<string, string | number> = {}): string {
  return words[locale][key].replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in values ? String(values[name]) : whole,
  );
}

/** API error codes that mean the answer itself needs another look. */
const CHECK = new Set([
  'invalid_request',
  'malformed_json',
  'unsupported_media_type',
  'empty_answer',
  'invalid_datetime',
  'invalid_answered_at',
  'invalid_cursor',
]);
const FUTURE = new Set(['datetime_in_future', 'evidence_in_future', 'training_in_future']);

/**
 * Issue 20: a refusal from the API (status and `error.code`) as a sentence the screener can act on, in
 * their language; the code itself is never shown. `task`: said about the tasks' forms rather than a card.
 */
export function reasonFor(
  locale: Locale,
  status: number,
  code: string | undefined,
  about: 'card' | 'task' = 'card',
): string {
  const word: WidgetWord =
    code && FUTURE.has(code)
      ? 'reasonFuture'
      : status === 400 || (code && CHECK.has(code))
        ? about === 'task'
          ? 'reasonTaskCheck'
          : 'reasonCheck'
        : status === 413 || code === 'payload_too_large'
          ? 'reasonTooLong'
          : status === 403
            ? 'reasonForbidden'
            : status === 404
              ? about === 'task'
                ? 'reasonOther'
                : 'reasonNotFound'
              : status === 429
                ? 'reasonBusy'
                : status === 409 || status === 422
                  ? about === 'task'
                    ? 'reasonTaskCheck'
                    : 'reasonNotPossible'
                  : 'reasonOther';
  return say(locale, word);
}
