import type { Duty } from '../duties.ts';
import { type Locale, type LocalizedText, localize } from '../i18n.ts';

/**
 * Every outcome says why a duty the screener may expect was not opened, or was opened on an unknown, so the
 * absence of a task is a decision on record and never a silent gap. Keys name the situation.
 */
export const determinationNotices = {
  cwsUnknown: {
    en: 'Whether the youth receives child welfare services is unknown, so the law enforcement report was opened anyway. If it is not owed, cancel it with the reason.',
    es: 'Se desconoce si el joven recibe servicios de bienestar infantil, por lo que el informe a la policía se abrió de todos modos. Si no corresponde, cancélelo indicando el motivo.',
  },
  // R-REPORT-1
  notInCws: {
    en: 'No report to law enforcement under Penal Code § 11166(j) was opened: that duty covers youth receiving child welfare services, and you recorded that this youth does not. The other duties that still apply are listed as tasks, and as a mandated reporter you must still report known or suspected abuse (Penal Code § 11166).',
    es: 'No se abrió el informe a la policía según el Código Penal § 11166(j): ese deber se refiere a jóvenes que reciben servicios de bienestar infantil, y usted indicó que este joven no los recibe. Los demás deberes que siguen vigentes aparecen como tareas y, como informante obligatorio, debe seguir informando de todo abuso conocido o sospechado (Código Penal § 11166).',
  },
  // R-REPORT-1, R-REPORT-3, R-PLAN-1
  atRiskOnly: {
    en: 'At risk is not an identification as a victim, so no report to law enforcement (Penal Code § 11166(j)) and no cross-report (Penal Code § 11166) was opened. Interagency case planning was opened as county policy. If you come to know or suspect exploitation, report it.',
    es: 'Estar en riesgo no es una identificación como víctima, por lo que no se abrió ningún informe a la policía (Código Penal § 11166(j)) ni ningún informe cruzado (Código Penal § 11166). La planificación interinstitucional del caso se abrió como política del condado. Si llega a saber o sospechar que hay explotación, infórmelo.',
  },
  // R-REPORT-1, R-REPORT-3, R-PLAN-1, R-DEF-1
  neither: {
    en: 'Your determination is neither, and no exchange of sexual acts for something of value was recorded, so no report, cross-report or case-planning task was opened. If you later know or suspect exploitation, screen again; as a mandated reporter you must report known or suspected abuse (Penal Code § 11166).',
    es: 'Su determinación es ninguno y no se registró ningún intercambio de actos sexuales por algo de valor, por lo que no se abrió ninguna tarea de informe, de informe cruzado ni de planificación del caso. Si más adelante sabe o sospecha que hay explotación, vuelva a hacer la evaluación; como informante obligatorio, debe informar de todo abuso conocido o sospechado (Código Penal § 11166).',
  },
  // R-OVERRIDE-1
  overrideKeepsReport: {
    en: 'You recorded that the youth exchanged, or was offered, sexual acts for something of value. In California a minor in this situation is a victim of commercial sexual exploitation by law (Penal Code §§ 236.1(c), 11165.1), whatever the determination. The report to law enforcement stays owed where the youth receives child welfare services or that is unknown, and a supervisor must co-sign your determination now.',
    es: 'Usted indicó que el joven intercambió, o le ofrecieron intercambiar, actos sexuales por algo de valor. En California, un menor en esta situación es víctima de explotación sexual comercial por ley (Código Penal §§ 236.1(c), 11165.1), sea cual sea la determinación. El informe a la policía sigue siendo obligatorio si el joven recibe servicios de bienestar infantil o si eso se desconoce, y un supervisor debe refrendar su determinación ahora.',
  },
  // R-DEF-1
  no602: {
    en: 'No WIC § 602 (delinquency) matter is open, so no task about the trafficking-victim defense was opened. If a § 602 petition is filed later, the defense (Penal Code § 236.23) and WIC § 786 relief may apply.',
    es: 'No hay ningún caso abierto bajo el WIC § 602 (delincuencia juvenil), por lo que no se abrió ninguna tarea sobre la defensa de víctima de trata. Si más adelante se presenta una petición del § 602, pueden aplicar la defensa (Código Penal § 236.23) y el alivio del WIC § 786.',
  },
  // R-DEF-1
  open602Unknown: {
    en: 'Whether the youth has an open WIC § 602 (delinquency) matter is unknown, so the task about the trafficking-victim defense was opened anyway. If there is none, cancel it with the reason.',
    es: 'Se desconoce si el joven tiene un caso abierto bajo el WIC § 602 (delincuencia juvenil), por lo que la tarea sobre la defensa de víctima de trata se abrió de todos modos. Si no lo hay, cancélela indicando el motivo.',
  },
  // R-MANDATED-1, R-HANDOFF-1
  partnerConcern: {
    en: 'Your organisation’s mandated-reporter tasks were opened: report by telephone to county child welfare or law enforcement now, and send the written report (form SS 8572) within 36 hours (Penal Code § 11166(a)). The concern is handed to the county, whose own duties run from when it receives it.',
    es: 'Se abrieron las tareas de su organización como informante obligatorio: informe ahora por teléfono a los servicios de bienestar infantil del condado o a la policía, y envíe el informe escrito (formulario SS 8572) dentro de 36 horas (Código Penal § 11166(a)). La preocupación se entrega al condado, cuyos propios deberes corren desde que la recibe.',
  },
  // R-OVERRIDE-1 at a partner
  partnerExchange: {
    en: 'You recorded that the youth exchanged, or was offered, sexual acts for something of value. In California a minor in this situation is a victim by law (Penal Code §§ 236.1(c), 11165.1), so the report is owed whatever the determination, and the county is told.',
    es: 'Usted indicó que el joven intercambió, o le ofrecieron intercambiar, actos sexuales por algo de valor. En California, un menor en esta situación es víctima por ley (Código Penal §§ 236.1(c), 11165.1), por lo que el informe es obligatorio sea cual sea la determinación, y se avisa al condado.',
  },
  // R-MANDATED-1
  partnerNoConcern: {
    en: 'No concern was found, so no report task was opened and nothing is handed to the county. If you know or reasonably suspect abuse or exploitation, you must still report it (Penal Code § 11166(a)).',
    es: 'No se encontró ninguna preocupación, por lo que no se abrió ninguna tarea de informe y no se entrega nada al condado. Si sabe o sospecha razonablemente que hay abuso o explotación, debe informarlo de todos modos (Código Penal § 11166(a)).',
  },
} satisfies Record<string, LocalizedText>;

export interface NoticeFacts {
  determination: string;
  receivesChildWelfareServices: string;
  open602: string;
  exchangeIndicator: string;
  cseByLaw: string;
}

const has = (duties: readonly Duty[], requirementId: string) =>
  duties.some((duty) => duty.requirementId === requirementId);

/** A county screener's notices: what was opened on an unknown, and why an expected duty was not. */
export function countyNotices(facts: NoticeFacts, duties: readonly Duty[], locale: Locale): string[] {
  const say = (key: keyof typeof determinationNotices) => localize(determinationNotices[key], locale);
  const notices: string[] = [];
  const concern = facts.determination !== 'neither';
  if (facts.exchangeIndicator === 'present' && facts.determination !== 'identified') {
    notices.push(say('overrideKeepsReport'));
  }
  if (facts.receivesChildWelfareServices === 'unknown' && has(duties, 'R-REPORT-1'))
    notices.push(say('cwsUnknown'));
  if (facts.cseByLaw === 'yes' && facts.receivesChildWelfareServices === 'no') notices.push(say('notInCws'));
  if (facts.determination === 'at_risk' && facts.exchangeIndicator !== 'present')
    notices.push(say('atRiskOnly'));
  if (facts.determination === 'neither' && facts.exchangeIndicator !== 'present')
    notices.push(say('neither'));
  if (concern && facts.open602 === 'no') notices.push(say('no602'));
  if (facts.open602 === 'unknown' && has(duties, 'R-DEF-1')) notices.push(say('open602Unknown'));
  return notices;
}

/** A partner's notices: its own reporting tasks and the hand-off, or why there are none. */
export function partnerNotices(facts: NoticeFacts, concern: boolean, locale: Locale): string[] {
  const say = (key: keyof typeof determinationNotices) => localize(determinationNotices[key], locale);
  if (!concern) return [say('partnerNoConcern')];
  return [
    ...(facts.exchangeIndicator === 'present' && facts.determination !== 'identified'
      ? [say('partnerExchange')]
      : []),
    say('partnerConcern'),
  ];
}
