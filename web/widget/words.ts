import type { Locale } from '#flows/i18n.ts';

/**
 * Everything the widget itself says, in both languages. The questions come from the API in the
 * conversation's language; these are the frame around them. Written for a screener at an intake desk:
 * plain, calm, and always saying that "unknown" and "prefer not to say" are fine.
 */
const en = {
  region: 'CSE screening assistant',
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
  idle: 'For privacy, the screen was cleared after a period without activity. Answers already sent are saved. Sign in again when you are ready.',
  expired: 'Your sign-in has ended. Answers already sent are saved. Please sign in again.',
  wrongOrg:
    'This screening page belongs to another organisation. Please sign in with your own organisation’s account.',
  progress: 'Question {n} of {of}',
  placeholder: 'Case reference (not a name)',
  welcome:
    'Hello. This screening is a checklist you fill in from what you already know; it is never read to the youth. Every question can be answered “Unknown” or “Prefer not to say”, and you can go back or pause at any time.',
  askReference: 'To begin, type the youth’s case reference (not their name) and press Enter.',
  badReference:
    'That does not look like a case reference. Please use the reference from your intake records: letters, digits and - _ . : only, with no spaces and no names.',
  stale:
    'That question was already answered. The current question is below; to change an earlier answer, use Back.',
  useButtons:
    'Please answer with the buttons on the question card (“Unknown” and “Prefer not to say” are always there).',
  another: 'To screen another youth, type their case reference.',
  forbidden: 'Your account cannot start this screening. Please check with your organisation’s administrator.',
  problem: 'That step could not be saved ({code}); nothing was recorded. Please try again.',
  srFields: 'Fields: {list}.',
  srAnswers: 'Answers offered: {list}.',
};

/** Typed by the English keys, so a missing translation fails the build rather than showing a blank. */
const es: Record<keyof typeof en, string> = {
  region: 'Asistente de evaluación de ESC',
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
  idle: 'Por privacidad, la pantalla se borró tras un periodo sin actividad. Las respuestas ya enviadas están guardadas. Inicie sesión de nuevo cuando esté listo.',
  expired: 'Su sesión terminó. Las respuestas ya enviadas están guardadas. Inicie sesión de nuevo.',
  wrongOrg:
    'Esta página de evaluación pertenece a otra organización. Inicie sesión con la cuenta de su propia organización.',
  progress: 'Pregunta {n} de {of}',
  placeholder: 'Referencia del caso (no un nombre)',
  welcome:
    'Hola. Esta evaluación es una lista que usted completa con lo que ya sabe; nunca se le lee al joven. Cada pregunta puede responderse “No se sabe” o “Prefiero no decir”, y puede volver atrás o pausar en cualquier momento.',
  askReference: 'Para empezar, escriba la referencia del caso del joven (no su nombre) y pulse Intro.',
  badReference:
    'Eso no parece una referencia de caso. Use la referencia de sus registros de admisión: solo letras, números y - _ . :, sin espacios ni nombres.',
  stale:
    'Esa pregunta ya se respondió. La pregunta actual está abajo; para cambiar una respuesta anterior, use Atrás.',
  useButtons:
    'Responda con los botones de la tarjeta de la pregunta (“No se sabe” y “Prefiero no decir” siempre están disponibles).',
  another: 'Para evaluar a otro joven, escriba su referencia de caso.',
  forbidden: 'Su cuenta no puede iniciar esta evaluación. Consulte con el administrador de su organización.',
  problem: 'No se pudo guardar ese paso ({code}); no se registró nada. Inténtelo de nuevo.',
  srFields: 'Campos: {list}.',
  srAnswers: 'Respuestas disponibles: {list}.',
};

const words: Record<Locale, Record<keyof typeof en, string>> = { en, es };

export type WidgetWord = keyof typeof en;

export function say(locale: Locale, key: WidgetWord, values: Record<string, string | number> = {}): string {
  return words[locale][key].replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in values ? String(values[name]) : whole,
  );
}
