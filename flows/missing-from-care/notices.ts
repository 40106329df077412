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

/** What the worker needs to know about the tasks opened, and about the ones that were not. */
export function noticesFor({ facts, receivedAtAssumed, startedAt, duties }: NoticeInput, locale: Locale) {
  const notices: string[] = [];
  const say = (key: keyof typeof outcomeNotices) => localize(outcomeNotices[key], locale);
  const reports = duties.filter((duty) => duty.requirementId === 'R-REPORT-2');
  if (receivedAtAssumed && duties.length > 0) notices.push(say('receivedAtAssumed'));
  if (reports.some((duty) => Date.parse(duty.dueAt) <= Date.parse(startedAt)))
    notices.push(say('alreadyOverdue'));
  if (reports.length > 0) {
    // R-REPORT-2: opened on an unknown so the 24 hours are not lost; the worker may cancel with a reason.
    if (facts.receivesChildWelfareServices === 'unknown') notices.push(say('cwsUnknown'));
    if (facts.believedCse === 'unknown') notices.push(say('believedCseUnknown'));
    return notices;
  }
  // R-REPORT-2 does not apply: say why, so the absence of the reports is a decision on record, not a gap.
  const why = [
    ...(facts.receivesChildWelfareServices === 'no' ? [say('notInCws')] : []),
    ...(facts.believedCse === 'no' ? [say('notBelievedCse')] : []),
  ];
  if (why.length > 0) {
    // R-RUN-2: the locate task does not depend on the belief.
    const locate = duties.some((duty) => duty.taskType === 'locate') ? [say('locateStillOpened')] : [];
    notices.push([...why, ...locate].join(' '));
  }
  return notices;
}
