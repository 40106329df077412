import { determinationDutyRules } from './cse-screening/duty-rules.ts';
import { cseByLaw } from './cse-screening/exchange.ts';
import { type Determination, type Duty, dutiesFor } from './duties.ts';
import type { DutyRule } from './duty-rule.ts';
import { type Locale, type LocalizedText, localize } from './i18n.ts';

/** The `flow` of the duty rules a county applies when it receives a partner's hand-off (R-HANDOFF-1). */
export const HANDOFF_DUTY_FLOW = 'handoff';

/**
 * R-HANDOFF-1: the county's duties on a partner's concern (R-REPORT-1, R-REPORT-3, R-PLAN-1, R-DEF-1) as data,
 * so a county changes them without code. The supervisor co-sign (R-OVERRIDE-1) is not among them: the
 * determination was the partner's, and the county's R-REPORT-1 already reads the exchange indicator.
 */
export const handoffDutyRules: readonly DutyRule[] = determinationDutyRules(HANDOFF_DUTY_FLOW, 'handoff-');

export interface HandoffInput {
  determination: Determination;
  exchangeIndicator?: 'present' | 'absent';
}

/**
 * The facts the hand-off rules read. The partner was never asked CWS or § 602 status (its staff cannot
 * know them), so both are unknown, which opens R-REPORT-1 and R-DEF-1 for the county to confirm.
 */
export function handoffFacts(handoff: HandoffInput): Record<string, string> {
  const exchangeIndicator = handoff.exchangeIndicator ?? 'absent';
  return {
    determination: handoff.determination,
    exchangeIndicator,
    cseByLaw: cseByLaw(handoff.determination, exchangeIndicator),
    receivesChildWelfareServices: 'unknown',
    open602: 'unknown',
    setting: 'handoff',
  };
}

/** Pure: the county's duties run from when the county received the hand-off, not from the partner's screening. */
export function handoffDuties(
  handoff: HandoffInput,
  countyReceivedAt: string,
  rules: readonly DutyRule[],
  locale: Locale,
): Duty[] {
  return dutiesFor(HANDOFF_DUTY_FLOW, handoffFacts(handoff), countyReceivedAt, rules, locale);
}

export const handoffNoticeWords = {
  // R-REPORT-1
  confirmCws: {
    en: 'The partner cannot know whether the youth receives child welfare services, so the report to law enforcement (Penal Code § 11166(j)) was opened, due 24 hours after the county received the hand-off. Confirm the status; if the report is not owed, cancel it with the reason.',
    es: 'La organización asociada no puede saber si el joven recibe servicios de bienestar infantil, por lo que se abrió el informe a la policía (Código Penal § 11166(j)), con plazo de 24 horas desde que el condado recibió la preocupación. Confirme la situación; si el informe no corresponde, cancélelo indicando el motivo.',
  },
  // R-DEF-1
  confirm602: {
    en: 'The partner cannot know whether the youth has an open WIC § 602 (delinquency) matter, so the task about the trafficking-victim defense was opened. Confirm; if there is none, cancel it with the reason.',
    es: 'La organización asociada no puede saber si el joven tiene un caso abierto bajo el WIC § 602 (delincuencia juvenil), por lo que se abrió la tarea sobre la defensa de víctima de trata. Confírmelo; si no lo hay, cancélela indicando el motivo.',
  },
  // R-OVERRIDE-1
  exchange: {
    en: 'The partner recorded that the youth exchanged, or was offered, sexual acts for something of value. By law a minor in this situation is a victim (Penal Code §§ 236.1(c), 11165.1), whatever the partner’s determination; review the determination when you assess the youth.',
    es: 'La organización asociada indicó que el joven intercambió, o le ofrecieron intercambiar, actos sexuales por algo de valor. Por ley, un menor en esta situación es víctima (Código Penal §§ 236.1(c), 11165.1), sea cual sea la determinación de la organización; revise la determinación cuando evalúe al joven.',
  },
  none: {
    en: 'The partner’s determination opens no county task. If the county assesses the youth and finds a concern, screen the youth again.',
    es: 'La determinación de la organización asociada no abre ninguna tarea del condado. Si el condado evalúa al joven y encuentra una preocupación, vuelva a hacer la evaluación.',
  },
} satisfies Record<string, LocalizedText>;

/** What the county's intake sees beside the hand-off's tasks: what to confirm, and why a task was opened or not. */
export function handoffNotices(handoff: HandoffInput, duties: readonly Duty[], locale: Locale): string[] {
  const say = (key: keyof typeof handoffNoticeWords) => localize(handoffNoticeWords[key], locale);
  const opened = (requirementId: string) => duties.some((duty) => duty.requirementId === requirementId);
  const notices: string[] = [];
  if (handoff.exchangeIndicator === 'present' && handoff.determination !== 'identified')
    notices.push(say('exchange'));
  if (opened('R-REPORT-1')) notices.push(say('confirmCws'));
  if (opened('R-DEF-1')) notices.push(say('confirm602'));
  if (duties.length === 0) notices.push(say('none'));
  return notices;
}
