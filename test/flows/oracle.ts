import type { ConversationEvent } from '#flows/events.ts';

/**
 * An independent statement of what the law asks of a screening, written from DOMAIN.md rather than from
 * the flow's code, so the flow is checked against the duty table and not against itself.
 */
export interface Expected {
  level: 'none' | 'possible' | 'clear';
  determination: string;
  override: boolean;
  receivesChildWelfareServices: 'yes' | 'no' | 'unknown';
  informationReceivedAt: string;
  duties: Array<{ requirementId: string; dueAt: string }>;
}

export function lastAnswers(events: readonly ConversationEvent[]): Map<string, ConversationEvent> {
  const answers = new Map<string, ConversationEvent>();
  for (const event of events) if ('promptId' in event) answers.set(event.promptId, event);
  return answers;
}

export function expectedOutcome(
  events: readonly ConversationEvent[],
  raises: Record<string, 'possible' | 'clear'>,
  startedAt: string,
): Expected {
  const answers = lastAnswers(events);
  const present = Object.keys(raises).filter((id) => {
    const answer = answers.get(id);
    return answer?.type === 'answer.given' && answer.value === 'present';
  });
  const level = present.some((id) => raises[id] === 'clear')
    ? 'clear'
    : present.length > 0
      ? 'possible'
      : 'none';
  const determinationEvent = answers.get('determination');
  const determination =
    determinationEvent?.type === 'answer.given' ? String(determinationEvent.value) : 'missing';
  const proposed = { none: 'neither', possible: 'at_risk', clear: 'identified' }[level];
  const cwsEvent = answers.get('cws');
  const cws = cwsEvent?.type === 'answer.given' ? (cwsEvent.value as 'yes' | 'no') : 'unknown';
  const receivedEvent = answers.get('received_at');
  const received = new Date(receivedEvent?.type === 'answer.given' ? String(receivedEvent.value) : startedAt);
  const plus = (hours: number) => new Date(received.getTime() + hours * 3_600_000).toISOString();
  const duties: Expected['duties'] = [];
  // R-REPORT-1: identified and receiving child welfare services (unknown counts, so the duty is not missed).
  if (determination === 'identified' && cws !== 'no')
    duties.push({ requirementId: 'R-REPORT-1', dueAt: plus(24) });
  // R-PLAN-1: identified or at risk.
  if (determination === 'identified' || determination === 'at_risk') {
    duties.push({ requirementId: 'R-PLAN-1', dueAt: plus(24 * 30) });
  }
  // R-DEF-1: identified or at risk with an open WIC § 602 matter.
  const open602 = answers.get('open_602');
  if (
    (determination === 'identified' || determination === 'at_risk') &&
    open602?.type === 'answer.given' &&
    open602.value === 'yes'
  ) {
    duties.push({ requirementId: 'R-DEF-1', dueAt: plus(72) });
  }
  // R-SVC-1: one referral per service the youth needs.
  const services = answers.get('services');
  const needed = services?.type === 'answer.given' && Array.isArray(services.value) ? services.value : [];
  for (const _service of needed) duties.push({ requirementId: 'R-SVC-1', dueAt: plus(24 * 14) });
  return {
    level,
    determination,
    override: determination !== proposed,
    receivesChildWelfareServices: cws,
    informationReceivedAt: received.toISOString(),
    duties,
  };
}
