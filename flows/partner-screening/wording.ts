import type { LocalizedText } from '../i18n.ts';

/** The words a partner's staff read where they differ from the county's screening (R-HANDOFF-1). */
export const partnerWords = {
  services: {
    en: 'Which of these services does the youth want? Choose any that apply.',
    es: '¿Cuáles de estos servicios quiere el joven? Elija todos los que correspondan.',
  },
  servicesHelp: {
    en: 'What you choose goes to the county with the hand-off, so it can arrange them with the youth.',
    es: 'Lo que elija se entrega al condado junto con la preocupación, para que pueda organizarlos con el joven.',
  },
  receivedAtHelp: {
    en: 'Your telephone report is due now and your written report within 36 hours of this moment. If unknown, the start of this screening is used, and the real deadline may be earlier.',
    es: 'Su informe telefónico se debe hacer ahora y su informe escrito dentro de las 36 horas siguientes a este momento. Si no se sabe, se usa el inicio de esta evaluación, y el plazo real podría ser anterior.',
  },
  receivedAtAssumed: {
    en: 'The time the information was received is unknown; the 36 hours for the written report run from the start of this screening and the real deadline may be earlier. Report by telephone now.',
    es: 'Se desconoce cuándo se recibió la información; las 36 horas del informe escrito se cuentan desde el inicio de esta evaluación y el plazo real podría ser anterior. Informe por teléfono ahora.',
  },
} satisfies Record<string, LocalizedText>;
