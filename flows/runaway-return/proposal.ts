import type { Answer } from '../answers.ts';
import type { ConcernLevel } from '../cse-screening/instrument.ts';
import { fill, type Locale, localize } from '../i18n.ts';
import { safetyQuestions } from './safety-questions.ts';
import { interviewerWords } from './wording.ts';

const rank: Record<ConcernLevel, number> = { none: 0, possible: 1, clear: 2 };

export interface Proposal {
  level: ConcernLevel;
  /** Ids of the safety questions answered "yes", in order: the reasons for the level. */
  raisedBy: string[];
  /** Safety questions answered "not sure" or skipped: the picture may be incomplete. */
  unansweredCount: number;
}

/** Like the screening: the highest level any "yes" raises; no "yes" proposes no concern. */
export function propose(answers: Readonly<Record<string, Answer>>): Proposal {
  let level: ConcernLevel = 'none';
  const raisedBy: string[] = [];
  let unansweredCount = 0;
  for (const question of safetyQuestions) {
    const answer = answers[question.id];
    if (answer?.status === 'answered' && answer.value === 'yes') {
      raisedBy.push(question.id);
      if (rank[question.raises] > rank[level]) level = question.raises;
    } else if (answer?.status !== 'answered') {
      unansweredCount += 1;
    }
  }
  return { level, raisedBy, unansweredCount };
}

/** The reasons shown with the proposal, so the interviewer sees what it rests on and what is missing. */
export function reasonsFor(proposal: Proposal, locale: Locale): string[] {
  const reasons = safetyQuestions
    .filter((question) => proposal.raisedBy.includes(question.id))
    .map((question) => localize(question.reason, locale));
  if (reasons.length === 0) reasons.push(localize(interviewerWords.noReasons, locale));
  if (proposal.unansweredCount > 0) {
    reasons.push(fill(localize(interviewerWords.unanswered, locale), { count: proposal.unansweredCount }));
  }
  return reasons;
}
