import type { LocalizedText } from '../i18n.ts';
import type { ConcernLevel } from './instrument.ts';

export const sections = {
  indicators: { en: 'Indicators', es: 'Indicadores' },
  determination: { en: 'Your determination', es: 'Su determinación' },
  reporting: { en: 'Reporting', es: 'Informes' },
  services: { en: 'Services', es: 'Servicios' },
} satisfies Record<string, LocalizedText>;

export const indicatorChoices = {
  present: { en: 'Yes, there is information about this', es: 'Sí, hay información sobre esto' },
  not_present: { en: 'No, not from what I know', es: 'No, según lo que sé' },
} satisfies Record<string, LocalizedText>;

export const concernLevelNames = {
  none: { en: 'no concern identified', es: 'no se identificó preocupación' },
  possible: { en: 'possible concern / at risk', es: 'posible preocupación / en riesgo' },
  clear: { en: 'clear concern', es: 'preocupación clara' },
} satisfies Record<ConcernLevel, LocalizedText>;

export const determinationChoices = {
  identified: { en: 'Identified as a victim of CSE', es: 'Identificado como víctima de ESC' },
  at_risk: { en: 'At risk of CSE', es: 'En riesgo de ESC' },
  neither: { en: 'Neither', es: 'Ninguno' },
} satisfies Record<string, LocalizedText>;

export const yesNoChoices = {
  yes: { en: 'Yes', es: 'Sí' },
  no: { en: 'No', es: 'No' },
} satisfies Record<string, LocalizedText>;

export const screeningWords = {
  indicatorHelpDefault: {
    // Issue 20: names no button, so it fits every channel's own (the widget's "Skip", Teams' wording).
    en: 'Answer from what you know. You can always answer "Unknown" or skip a question.',
    es: 'Responda según lo que sabe. Siempre puede responder "No se sabe" u omitir una pregunta.',
  },
  determination: {
    en: 'The proposed level of concern is: {level}. You decide; the proposal is only a guide. What is your determination?',
    es: 'El nivel de preocupación propuesto es: {level}. Usted decide; la propuesta es solo una guía. ¿Cuál es su determinación?',
  },
  reasonsIntro: { en: 'Reasons: {reasons}', es: 'Motivos: {reasons}' },
  noReasons: {
    en: 'No indicator was recorded as present.',
    es: 'Ningún indicador se registró como presente.',
  },
  unanswered: {
    en: '{count} question(s) were answered "unknown" or skipped, so the picture may be incomplete.',
    es: '{count} pregunta(s) se respondieron "no se sabe" o se omitieron, por lo que la información puede estar incompleta.',
  },
  overrideReason: {
    en: 'Your determination differs from the proposed level ({level}). Please record the reason for your decision.',
    es: 'Su determinación es distinta del nivel propuesto ({level}). Por favor, anote el motivo de su decisión.',
  },
  overrideReasonHelp: {
    en: 'A reason is required when the proposal is overridden. You can go back to change the determination instead.',
    es: 'Se requiere un motivo cuando se cambia la propuesta. También puede volver atrás y cambiar la determinación.',
  },
  cws: {
    en: 'Is the youth currently receiving child welfare services (including probation-supervised foster care)?',
    es: '¿Recibe el joven actualmente servicios de bienestar infantil (incluido el cuidado de crianza supervisado por libertad condicional)?',
  },
  cwsHelp: {
    en: 'If you are not sure, choose "Unknown": a required report is then opened anyway, so the 24-hour deadline is not missed.',
    es: 'Si no está seguro, elija "No se sabe": el informe requerido se abre de todos modos para no perder el plazo de 24 horas.',
  },
  open602: {
    en: 'Does the youth have an open delinquency matter (WIC § 602)?',
    es: '¿Tiene el joven un caso de delincuencia juvenil abierto (WIC § 602)?',
  },
  open602Help: {
    en: 'If so, the case team and counsel are told that the trafficking-victim defense and WIC § 786 relief may apply.',
    es: 'Si es así, se informa al equipo del caso y al abogado que pueden aplicar la defensa de víctima de trata y el alivio del WIC § 786.',
  },
  services: {
    en: 'Which specialized services does the youth need? Choose any that apply.',
    es: '¿Qué servicios especializados necesita el joven? Elija todos los que correspondan.',
  },
  servicesHelp: {
    en: 'Each one you choose opens a referral task and goes into the case plan.',
    es: 'Cada uno que elija abre una tarea de remisión y se incluye en el plan del caso.',
  },
  receivedAt: {
    en: 'When did you or your agency first receive this information? (date and time)',
    es: '¿Cuándo recibió usted o su agencia esta información por primera vez? (fecha y hora)',
  },
  receivedAtHelp: {
    en: 'Deadlines run from this moment, not from the end of the screening. If unknown, the start of this screening is used, and the real deadline may be earlier.',
    es: 'Los plazos se cuentan desde este momento, no desde el final de la evaluación. Si no se sabe, se usa el inicio de esta evaluación, y el plazo real podría ser anterior.',
  },
} satisfies Record<string, LocalizedText>;
