import type { Answer } from '../answers.ts';
import type { Determination } from '../duties.ts';
import type { ConcernLevel, Instrument } from './instrument.ts';

export type { Answer } from '../answers.ts';

const rank: Record<ConcernLevel, number> = { none: 0, possible: 1, clear: 2 };

export const determinationFor: Record<ConcernLevel, Determination> = {
  none: 'neither',
  possible: 'at_risk',
  clear: 'identified',
};

export interface Proposal {
  level: ConcernLevel;
  /** Ids of the items answered "present", in instrument order: the reasons for the level. */
  presentItemIds: string[];
  /** How many items were answered "unknown" or skipped (the picture may be incomplete). */
  unansweredCount: number;
}

/** The proposed level is the highest level any "present" indicator raises; nothing present proposes none. */
export function propose(instrument: Instrument, answers: Readonly<Record<string, Answer>>): Proposal {
  let level: ConcernLevel = 'none';
  const presentItemIds: string[] = [];
  let unansweredCount = 0;
  for (const item of instrument.items) {
    const answer = answers[item.id];
    if (answer?.status === 'answered' && answer.value === 'present') {
      presentItemIds.push(item.id);
      if (rank[item.raises] > rank[level]) level = item.raises;
    } else if (answer?.status !== 'answered') {
      unansweredCount += 1;
    }
  }
  return { level, presentItemIds, unansweredCount };
}
