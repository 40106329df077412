import type { LocalizedText } from '../i18n.ts';
import { youthWords } from './wording.ts';

/** A CSE screening question put to the youth in conversation, and what a "yes" means for the interviewer. */
export interface SafetyQuestion {
  id: string;
  /** Spoken to the youth: asks what happened, never presumes that it did. */
  text: LocalizedText;
  help: LocalizedText;
  citation: string;
  /** The level of concern a "yes" proposes. */
  raises: 'possible' | 'clear';
  /** Shown to the interviewer among the reasons for the proposal when the youth answers "yes". */
  reason: LocalizedText;
  /** R-OVERRIDE-1: a "yes" means sex was exchanged for something of value, a victim by law. */
  exchangeIndicator?: boolean;
}

export const safetyAnswerChoices = {
  yes: { en: 'Yes', es: 'Sí' },
  no: { en: 'No', es: 'No' },
} satisfies Record<string, LocalizedText>;

/**
 * R-RUN-1, R-RUN-2: the CSE screening inside the return interview, worded for a conversation with the
 * youth. The questions follow WIC § 300(b)(2) and the Penal Code § 236.2 indicators a youth can speak to
 * (the others, such as signs of trauma, are the interviewer's own observations). Built from public law;
 * a checklist, not a validated screen.
 */
export const safetyQuestions: readonly SafetyQuestion[] = [
  {
    id: 'safety_exchange',
    text: {
      en: 'While you were away, did anyone offer you money, food, a place to stay or anything else in exchange for sexual things, or did you ever feel you had to do something sexual to get something you needed?',
      es: 'Mientras estabas fuera, ¿alguien te ofreció dinero, comida, un lugar donde quedarte o cualquier otra cosa a cambio de cosas sexuales, o sentiste alguna vez que tenías que hacer algo sexual para conseguir algo que necesitabas?',
    },
    // The first safety question says why these are asked, that the youth is not in trouble, that a
    // disclosure may have to be passed on (R-REPORT-1), and that any question can be declined.
    help: {
      en: 'Now a few questions we ask everyone who comes back, because sometimes people take advantage of young people while they are away. If something like this happened, you did nothing wrong and you are not in trouble for it. If you tell me someone hurt you, I may need to tell the people whose job is to keep you safe. You can skip any question or say you are not sure.',
      es: 'Ahora unas preguntas que les hacemos a todas las personas que regresan, porque a veces hay quien se aprovecha de los jóvenes mientras están fuera. Si te pasó algo así, no hiciste nada malo y no estás en problemas por eso. Si me cuentas que alguien te hizo daño, puede que tenga que avisar a las personas cuyo trabajo es protegerte. Puedes saltarte cualquier pregunta o decir que no sabes.',
    },
    // WIC § 300(b)(2): a minor who trades sex for anything of value is a victim; no force has to be shown.
    citation: 'Welf. & Inst. Code § 300(b)(2)',
    raises: 'clear',
    exchangeIndicator: true,
    reason: {
      en: 'the youth said sexual acts were offered or exchanged for something of value',
      es: 'el joven dijo que se ofrecieron o intercambiaron actos sexuales a cambio de algo de valor',
    },
  },
  {
    id: 'safety_made_or_kept',
    text: {
      en: 'Did anyone make you do things you did not want to do, or keep you from leaving when you wanted to?',
      es: '¿Alguien te obligó a hacer cosas que no querías hacer, o no te dejó irte cuando querías?',
    },
    help: youthWords.mayDecline,
    citation: 'Penal Code § 236.2(c)',
    raises: 'possible',
    reason: {
      en: 'the youth said someone made them do things they did not want to do or kept them from leaving',
      es: 'el joven dijo que alguien lo obligó a hacer cosas que no quería o no lo dejó irse',
    },
  },
  {
    id: 'safety_owed',
    text: {
      en: 'Did anyone say you owed them money or something else?',
      es: '¿Alguien te dijo que le debías dinero u otra cosa?',
    },
    help: youthWords.mayDecline,
    citation: 'Penal Code § 236.2(e)',
    raises: 'possible',
    reason: {
      en: 'the youth said someone told them they owed a debt',
      es: 'el joven dijo que alguien le dijo que tenía una deuda',
    },
  },
  {
    id: 'safety_controlled',
    text: {
      en: 'Did anyone take your ID or phone, or control who you could talk to or see?',
      es: '¿Alguien te quitó tu identificación o tu teléfono, o controlaba con quién podías hablar o a quién podías ver?',
    },
    // The last question for the youth: the interviewer's part follows.
    help: {
      en: 'This is the last question for you. You can skip it or say you are not sure. Thank you for talking with me.',
      es: 'Esta es la última pregunta para ti. Puedes saltarla o decir que no sabes. Gracias por hablar conmigo.',
    },
    citation: 'Penal Code § 236.2(f), (g)',
    raises: 'possible',
    reason: {
      en: 'the youth said someone took their ID or phone or controlled who they could contact',
      es: 'el joven dijo que alguien le quitó su identificación o su teléfono o controlaba con quién tenía contacto',
    },
  },
];
