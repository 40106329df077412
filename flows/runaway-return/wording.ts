import { screeningWords } from '../cse-screening/wording.ts';
import type { FormChoice } from '../form/form-flow.ts';
import type { LocalizedText } from '../i18n.ts';

/** The choices a step offers, in the order the wording lists them. */
export function choicesFrom(words: Record<string, LocalizedText>): FormChoice[] {
  return Object.entries(words).map(([id, label]) => ({ id, label }));
}

/**
 * R-PURPOSE: the youth-facing words are spoken to a young person who has just come back. They say why a
 * question is asked, never presume what happened, never blame, and always leave a way out (skip or
 * "not sure"). Spanish speaks to the youth as "tú" and to the interviewer as "usted".
 */
export const sections = {
  leaving: { en: 'About leaving', es: 'Sobre cuando te fuiste' },
  away: { en: 'Your time away', es: 'Tu tiempo fuera' },
  nextPlacement: { en: 'What would help next', es: 'Lo que te ayudaría ahora' },
  safety: { en: 'Staying safe', es: 'Tu seguridad' },
  interviewer: { en: 'For the interviewer', es: 'Para quien realiza la entrevista' },
} satisfies Record<string, LocalizedText>;

/** R-RUN-2: the primary factors that contributed to the absence, as a youth would name them. */
export const leavingFactorChoices = {
  conflict: { en: 'Conflict or arguments where I was living', es: 'Conflictos o peleas donde vivía' },
  family_or_friends: {
    en: 'Wanting to be with family or friends',
    es: 'Querer estar con mi familia o mis amigos',
  },
  felt_unsafe: { en: 'Not feeling safe where I was living', es: 'No sentirme a salvo donde vivía' },
  school: { en: 'Something about school', es: 'Algo relacionado con la escuela' },
  someone_encouraged: {
    en: 'Someone encouraged or pressured me to leave',
    es: 'Alguien me animó o me presionó para que me fuera',
  },
  partner: {
    en: 'To be with a boyfriend, girlfriend or partner',
    es: 'Para estar con mi novio, novia o pareja',
  },
  substance_use: { en: 'Alcohol or drugs', es: 'Alcohol o drogas' },
  feeling_down: {
    en: 'Feeling down, stressed or overwhelmed',
    es: 'Sentirme mal, con estrés o agobio',
  },
  rules_or_independence: {
    en: 'The rules, or wanting more independence',
    es: 'Las reglas, o querer más independencia',
  },
  other: { en: 'Something else', es: 'Otra cosa' },
} satisfies Record<string, LocalizedText>;

/** R-RUN-2: where the youth mostly stayed; "rather not say" is offered as a choice so it is not a gap. */
export const stayedChoices = {
  family: { en: 'With family or relatives', es: 'Con familia o parientes' },
  friends: { en: 'With friends', es: 'Con amigos' },
  partner: { en: 'With a boyfriend, girlfriend or partner', es: 'Con mi novio, novia o pareja' },
  someone_met_while_away: {
    en: 'With someone I met while I was away',
    es: 'Con alguien que conocí mientras estaba fuera',
  },
  shelter: { en: 'At a shelter or drop-in center', es: 'En un albergue o centro de acogida' },
  no_fixed_place: {
    en: 'Outside, in a car, or moving from place to place',
    es: 'En la calle, en un carro o de un lugar a otro',
  },
  somewhere_else: { en: 'Somewhere else', es: 'En otro lugar' },
  rather_not_say: { en: "I'd rather not say", es: 'Prefiero no decirlo' },
} satisfies Record<string, LocalizedText>;

export const feltSafeChoices = {
  yes: { en: 'Yes', es: 'Sí' },
  no: { en: 'No', es: 'No' },
  sometimes: { en: 'Sometimes', es: 'A veces' },
} satisfies Record<string, LocalizedText>;

/** R-PURPOSE: needs for right now, so the interviewer can meet them before anything else. */
export const needsNowChoices = {
  medical_care: { en: 'To see a doctor or nurse', es: 'Ver a un médico o a una enfermera' },
  food: { en: 'Something to eat', es: 'Algo de comer' },
  rest: { en: 'Rest or sleep', es: 'Descansar o dormir' },
  someone_to_talk_to: { en: 'Someone to talk to', es: 'Alguien con quien hablar' },
  clothes_or_shower: { en: 'Clean clothes or a shower', es: 'Ropa limpia o darme un baño' },
  contact_someone_trusted: {
    en: 'To contact someone I trust',
    es: 'Comunicarme con alguien de confianza',
  },
  nothing_right_now: { en: 'Nothing right now', es: 'Nada por ahora' },
} satisfies Record<string, LocalizedText>;

/** R-RUN-2: what the next placement can do about the factors; it goes to the placement worker. */
export const placementHelpChoices = {
  near_family_or_friends: {
    en: 'Being closer to family or friends',
    es: 'Estar más cerca de mi familia o mis amigos',
  },
  same_school: { en: 'Staying at my school', es: 'Seguir en mi escuela' },
  comfortable_people: {
    en: 'Living with people I feel comfortable with',
    es: 'Vivir con personas con las que me sienta a gusto',
  },
  more_say: {
    en: 'More say in the rules, or more independence',
    es: 'Tener más voz en las reglas, o más independencia',
  },
  someone_to_talk_to: {
    en: 'Someone to talk to, like a counselor or mentor',
    es: 'Alguien con quien hablar, como un consejero o un mentor',
  },
  school_or_work_help: { en: 'Help with school or work', es: 'Ayuda con la escuela o el trabajo' },
  substance_support: {
    en: 'Support with alcohol or drugs',
    es: 'Apoyo con el alcohol o las drogas',
  },
  feeling_safe: { en: 'Feeling safe where I live', es: 'Sentirme a salvo donde vivo' },
  other: { en: 'Something else', es: 'Otra cosa' },
} satisfies Record<string, LocalizedText>;

export const youthWords = {
  leavingFactors: {
    en: 'Thank you for talking with me. I would like to understand what was going on before you left, so your next place can work better for you. Which of these had something to do with you leaving? Choose any that fit.',
    es: 'Gracias por hablar conmigo. Me gustaría entender qué estaba pasando antes de que te fueras, para que tu próximo lugar funcione mejor para ti. ¿Cuáles de estas cosas tuvieron que ver con que te fueras? Elige todas las que correspondan.',
  },
  leavingFactorsHelp: {
    en: 'We ask everyone who comes back. Your answers help us change what was not working for you. You can skip any question or say you are not sure.',
    es: 'Les hacemos estas preguntas a todas las personas que regresan. Tus respuestas nos ayudan a cambiar lo que no estaba funcionando para ti. Puedes saltarte cualquier pregunta o decir que no sabes.',
  },
  leavingAnythingElse: {
    en: 'Is there anything else about leaving that you would like me to know?',
    es: '¿Hay algo más sobre cuando te fuiste que quieras que yo sepa?',
  },
  stayed: {
    en: 'While you were away, where did you mostly stay?',
    es: 'Mientras estabas fuera, ¿dónde te quedaste la mayor parte del tiempo?',
  },
  stayedHelp: {
    en: 'This helps us understand what you went through and what you might need. It is okay if it changed a lot. You can skip this question or say you are not sure.',
    es: 'Esto nos ayuda a entender lo que viviste y lo que podrías necesitar. Está bien si cambió mucho. Puedes saltarte esta pregunta o decir que no sabes.',
  },
  feltSafe: {
    en: 'Did you feel safe while you were away?',
    es: '¿Te sentiste a salvo mientras estabas fuera?',
  },
  feltSafeHelp: {
    en: 'There is no right or wrong answer. You can skip this question or say you are not sure.',
    es: 'No hay respuestas correctas ni incorrectas. Puedes saltarte esta pregunta o decir que no sabes.',
  },
  needsNow: {
    en: 'What do you need right now? Choose any that fit.',
    es: '¿Qué necesitas ahora mismo? Elige todas las que correspondan.',
  },
  needsNowHelp: {
    en: 'Tell us, and we will work on it with you. You can skip this question or say you are not sure.',
    es: 'Cuéntanos y buscaremos cómo ayudarte. Puedes saltarte esta pregunta o decir que no sabes.',
  },
  placementHelps: {
    en: 'What would help your next place feel better for you? Choose any that fit.',
    es: '¿Qué ayudaría a que tu próximo lugar se sienta mejor para ti? Elige todas las que correspondan.',
  },
  placementHelpsHelp: {
    en: 'Your answers go to the person who arranges where you live next, so they can plan it with you. You can skip this question or say you are not sure.',
    es: 'Tus respuestas le llegan a la persona que organiza dónde vas a vivir, para que pueda planearlo contigo. Puedes saltarte esta pregunta o decir que no sabes.',
  },
  placementAnythingElse: {
    en: 'Is there anything else that would help?',
    es: '¿Hay algo más que te ayudaría?',
  },
  mayDecline: {
    en: 'You can skip this question or say you are not sure.',
    es: 'Puedes saltarte esta pregunta o decir que no sabes.',
  },
  inYourOwnWords: {
    en: 'Say it in your own words, as much or as little as you like. You can skip this.',
    es: 'Dilo con tus propias palabras, tanto o tan poco como quieras. Puedes saltarte esta pregunta.',
  },
} satisfies Record<string, LocalizedText>;

export const interviewerWords = {
  determination: {
    en: 'For the interviewer: from the youth’s answers, the proposed level of concern is: {level}. You decide; the proposal is only a guide. What is your determination?',
    es: 'Para quien realiza la entrevista: según las respuestas del joven, el nivel de preocupación propuesto es: {level}. Usted decide; la propuesta es solo una guía. ¿Cuál es su determinación?',
  },
  determinationHelp: {
    en: 'Reasons: {reasons}. Also weigh what you observed and know from the case, for example signs of trauma, fatigue or injury, or a youth who is withdrawn or afraid to talk (Penal Code § 236.2).',
    es: 'Motivos: {reasons}. Considere también lo que observó y lo que sabe del caso, por ejemplo señales de trauma, cansancio o lesiones, o un joven retraído o con miedo de hablar (Código Penal § 236.2).',
  },
  noReasons: {
    en: 'none of the youth’s answers raised a concern',
    es: 'ninguna respuesta del joven indicó una preocupación',
  },
  unanswered: {
    en: '{count} safety question(s) were answered "not sure" or skipped, so the picture may be incomplete',
    es: '{count} pregunta(s) de seguridad se respondieron "no sé" o se omitieron, por lo que la información puede estar incompleta',
  },
  overrideReason: screeningWords.overrideReason,
  overrideReasonHelp: screeningWords.overrideReasonHelp,
  cws: screeningWords.cws,
  cwsHelp: screeningWords.cwsHelp,
  receivedAt: {
    en: 'When did you or your agency first receive the information your determination is based on? (date and time)',
    es: '¿Cuándo recibió usted o su agencia por primera vez la información en la que se basa su determinación? (fecha y hora)',
  },
  receivedAtHelp: {
    en: 'If it came from this conversation, give the time the youth shared it. Deadlines run from this moment, not from the end of the interview. If unknown, the start of this interview is used, and the real deadline may be earlier.',
    es: 'Si la información surgió en esta conversación, indique la hora en que el joven la compartió. Los plazos se cuentan desde este momento, no desde el final de la entrevista. Si no se sabe, se usa el inicio de esta entrevista, y el plazo real podría ser anterior.',
  },
} satisfies Record<string, LocalizedText>;

/** R-RUN-2, R-ROUTE-1: what the placement worker sees on their task: the youth's choices, as labels only. */
export const placementDetails = {
  factors: { en: 'Factors the youth named: {labels}.', es: 'Factores que mencionó el joven: {labels}.' },
  helps: {
    en: 'What the youth said would help: {labels}.',
    es: 'Lo que el joven dijo que le ayudaría: {labels}.',
  },
} satisfies Record<string, LocalizedText>;

export const outcomeNotices = {
  receivedAtAssumed: {
    en: 'The time the information was received is unknown; deadlines run from the start of this interview and the real deadline may be earlier. Act immediately.',
    es: 'Se desconoce cuándo se recibió la información; los plazos se cuentan desde el inicio de esta entrevista y el plazo real podría ser anterior. Actúe de inmediato.',
  },
  needsNow: {
    en: 'The youth said they need, right now: {needs}.',
    es: 'El joven dijo que ahora mismo necesita: {needs}.',
  },
} satisfies Record<string, LocalizedText>;
