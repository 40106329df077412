import type { Duty } from '../duties.ts';
import { type Locale, localize } from '../i18n.ts';
import type { MissingFromCareFacts } from './facts.ts';
import { outcomeNotices } from './wording.ts';

export interface NoticeInput {
  facts: MissingFromCareFacts;
  receivedAtAssumed: boolean;
  startedAt: string;
  duties: readonly Duty[];
}

/** What the worker needs to know about the tasks opened, and why an answer did not change them. */
export function noticesFor({ facts, receivedAtAssumed, startedAt, duties }: NoticeInput, locale: Locale) {
  const notices: string[] = [];
  const say = (key: keyof typeof outcomeNotices) => localize(outcomeNotices[key], locale);
  const reports = duties.filter((duty) => duty.requirementId === 'R-REPORT-2');
  if (receivedAtAssumed && duties.length > 0) notices.push(say('receivedAtAssumed'));
  if (reports.some((duty) => Date.parse(duty.dueAt) <= Date.parse(startedAt)))
    notices.push(say('alreadyOverdue'));
  // R-REPORT-2 (widened): the answers a worker may think decide the reports do not; say so, so a "no" is
  // not read as the reports having been dropped, nor their presence as a mistake.
  if (reports.length > 0 && facts.receivesChildWelfareServices === 'no') notices.push(say('notInCws'));
  if (reports.length > 0 && facts.believedCse === 'no') notices.push(say('notBelievedCse'));
  return notices;
}
