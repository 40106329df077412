import type { Answer } from '../answers.ts';
import type { Determination } from '../duties.ts';

/** R-OVERRIDE-1: whether an item flagged as the exchange indicator was answered with its "present" value. */
export type ExchangeIndicator = 'present' | 'absent';

export function exchangeIndicatorOf(
  answers: Readonly<Record<string, Answer>>,
  flaggedIds: readonly string[],
  presentValue: string,
): ExchangeIndicator {
  const present = flaggedIds.some((id) => {
    const answer = answers[id];
    return answer?.status === 'answered' && answer.value === presentValue;
  });
  return present ? 'present' : 'absent';
}

/**
 * R-OVERRIDE-1: a minor who exchanged sex for anything of value is a CSE victim by law (Penal Code
 * §§ 236.1(c), 11165.1), whatever the screener decides; an identification by the screener counts too.
 * The R-REPORT-1 rules read this fact, so an override cannot drop the report.
 */
export function cseByLaw(determination: Determination, exchange: ExchangeIndicator): 'yes' | 'no' {
  return determination === 'identified' || exchange === 'present' ? 'yes' : 'no';
}

/** R-MANDATED-1, R-HANDOFF-1: what a partner must report and hand to the county. */
export function concernFound(determination: Determination, exchange: ExchangeIndicator): 'yes' | 'no' {
  return determination !== 'neither' || exchange === 'present' ? 'yes' : 'no';
}
