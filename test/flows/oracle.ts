import type { ConversationEvent } from '#flows/events.ts';

/**
 * An independent statement of what the law asks of a screening, written from DOMAIN.md (with the legal
 * review's corrections) rather than from the flow's code, so the flow is checked against the duty table and
 * not against itself.
 */
export interface ExpectedDuty {
  requirementId: string;
  dueAt: string;
  assigneeRole: string;
  obligation: 'statute' | 'policy';
  deadlineBasis: 'statute' | 'policy';
}

export interface Expected {
  level: 'none' | 'possible' | 'clear';
  determination: string;
  override: boolean;
  receivesChildWelfareServices: 'yes' | 'no' | 'unknown';
  informationReceivedAt: string;
  duties: ExpectedDuty[];
}

export function lastAnswers(events: readonly ConversationEvent[]): Map<string, ConversationEvent> {
  const answers = new Map<string, ConversationEvent>();
  for (const event of events) if ('promptId' in event) answers.set(event.promptId, event);
  return answers;
}

const HOUR_MS = 3_600_000;

/**
 * The duties a county owes on a CSE determination, in the order the outcome lists them.
 * `exchange`: the youth exchanged sex for something of value, a victim by law (R-OVERRIDE-1).
 * `cws`, `open602`: "unknown" opens the duty, so the deadline is not missed.
 */
export function countyDeterminationDuties(input: {
  determination: string;
  exchange: boolean;
  cws: 'yes' | 'no' | 'unknown';
  open602: 'yes' | 'no' | 'unknown';
  receivedAt: string;
  /** R-OVERRIDE-1's co-sign: only where the county's own screener decided (not on a partner's hand-off). */
  cosign: boolean;
}): ExpectedDuty[] {
  const received = Date.parse(input.receivedAt);
  const plus = (hours: number) => new Date(received + hours * HOUR_MS).toISOString();
  const identified = input.determination === 'identified';
  const atRisk = input.determination === 'at_risk';
  type Basis = 'statute' | 'policy';
  const duty = (
    requirementId: string,
    hours: number,
    assigneeRole: string,
    obligation: Basis,
    deadlineBasis: Basis = 'statute',
  ) => ({ requirementId, dueAt: plus(hours), assigneeRole, obligation, deadlineBasis });
  const duties: ExpectedDuty[] = [];
  // R-REPORT-1 + R-OVERRIDE-1: a CSE victim (identified, or by law through the exchange) receiving CWS.
  if ((identified || input.exchange) && input.cws !== 'no')
    duties.push(duty('R-REPORT-1', 24, 'caseworker', 'statute'));
  // R-REPORT-3: an identified victim is cross-reported to law enforcement and the DA now, in writing within 36 h.
  if (identified) {
    duties.push(duty('R-REPORT-3', 0, 'caseworker', 'statute'));
    duties.push(duty('R-REPORT-3', 0, 'caseworker', 'statute'));
    duties.push(duty('R-REPORT-3', 36, 'caseworker', 'statute'));
  }
  // R-PLAN-1: the statute's for a victim; for a youth at risk, county policy (30-day policy default either way).
  if (identified) duties.push(duty('R-PLAN-1', 24 * 30, 'caseworker', 'statute', 'policy'));
  if (atRisk) duties.push(duty('R-PLAN-1', 24 * 30, 'caseworker', 'policy', 'policy'));
  // R-DEF-1: identified or at risk with an open (or possibly open) § 602 matter; telling counsel is practice.
  if ((identified || atRisk) && input.open602 !== 'no')
    duties.push(duty('R-DEF-1', 72, 'caseworker', 'policy', 'policy'));
  // R-OVERRIDE-1: a determination below identified despite the exchange is co-signed by a supervisor now.
  if (input.cosign && input.exchange && !identified)
    duties.push(duty('R-OVERRIDE-1', 0, 'supervisor', 'statute'));
  return duties;
}

/** R-MANDATED-1: a partner that finds a concern (identified, at risk, or the exchange) phones now, writes within 36 h. */
export function partnerDuties(determination: string, exchange: boolean, receivedAt: string): ExpectedDuty[] {
  if (determination === 'neither' && !exchange) return [];
  const received = Date.parse(receivedAt);
  return [0, 36].map((hours) => ({
    requirementId: 'R-MANDATED-1',
    dueAt: new Date(received + hours * HOUR_MS).toISOString(),
    assigneeRole: 'screener',
    obligation: 'statute' as const,
    deadlineBasis: 'statute' as const,
  }));
}

const given = (answers: Map<string, ConversationEvent>, id: string) => {
  const event = answers.get(id);
  return event?.type === 'answer.given' ? event.value : undefined;
};

export function expectedOutcome(
  events: readonly ConversationEvent[],
  raises: Record<string, 'possible' | 'clear'>,
  startedAt: string,
  /** The instrument items that ask whether sex was exchanged for something of value (R-OVERRIDE-1). */
  exchangeItems: readonly string[],
  setting: 'county' | 'partner' = 'county',
): Expected {
  const answers = lastAnswers(events);
  const present = Object.keys(raises).filter((id) => given(answers, id) === 'present');
  const level = present.some((id) => raises[id] === 'clear')
    ? 'clear'
    : present.length > 0
      ? 'possible'
      : 'none';
  const determination = String(given(answers, 'determination') ?? 'missing');
  const proposed = { none: 'neither', possible: 'at_risk', clear: 'identified' }[level];
  const cws = (given(answers, 'cws') as 'yes' | 'no' | undefined) ?? 'unknown';
  const open602 = (given(answers, 'open_602') as 'yes' | 'no' | undefined) ?? 'unknown';
  const receivedValue = given(answers, 'received_at');
  const received = new Date(typeof receivedValue === 'string' ? receivedValue : startedAt).toISOString();
  const exchange = exchangeItems.some((id) => present.includes(id));
  const services = given(answers, 'services');
  const needed = Array.isArray(services) ? services : [];
  const duties =
    setting === 'partner'
      ? partnerDuties(determination, exchange, received)
      : [
          ...countyDeterminationDuties({
            determination,
            exchange,
            cws,
            open602,
            receivedAt: received,
            cosign: true,
          }),
          // R-SVC-1: one referral per service the youth needs (which to offer is the county's program).
          ...needed.map(() => ({
            requirementId: 'R-SVC-1',
            dueAt: new Date(Date.parse(received) + 24 * 14 * HOUR_MS).toISOString(),
            assigneeRole: 'caseworker',
            obligation: 'policy' as const,
            deadlineBasis: 'policy' as const,
          })),
        ];
  return {
    level,
    determination,
    override: determination !== proposed,
    receivesChildWelfareServices: cws,
    informationReceivedAt: received,
    duties,
  };
}

/** The fields of a duty the oracle speaks about. */
export function dutyShape(duty: {
  requirementId: string;
  dueAt: string;
  assigneeRole: string;
  obligation: string;
  deadlineBasis: string;
}) {
  const { requirementId, dueAt, assigneeRole, obligation, deadlineBasis } = duty;
  return { requirementId, dueAt, assigneeRole, obligation, deadlineBasis };
}
