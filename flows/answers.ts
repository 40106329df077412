import type { ConversationEvent } from './events.ts';

/** How a prompt was answered, as a flow's context keeps it. */
export type Answer =
  | { status: 'answered'; value: string | string[]; note?: string }
  | { status: 'unknown' }
  | { status: 'skipped' };

export function answerFrom(event: ConversationEvent): Answer | null {
  switch (event.type) {
    case 'answer.given':
      return event.note === undefined
        ? { status: 'answered', value: event.value }
        : { status: 'answered', value: event.value, note: event.note };
    case 'answer.unknown':
      return { status: 'unknown' };
    case 'answer.skipped':
      return { status: 'skipped' };
    default:
      return null;
  }
}

/** The single value of an answered prompt, or `undefined` when it was unknown, skipped or not reached. */
export function answerValue(answer: Answer | undefined): string | undefined {
  return answer?.status === 'answered' && typeof answer.value === 'string' ? answer.value : undefined;
}

/** The chosen ids of an answered multichoice prompt (empty when unknown, skipped or not reached). */
export function answerValues(answer: Answer | undefined): string[] {
  if (answer?.status !== 'answered') return [];
  return typeof answer.value === 'string' ? [answer.value] : answer.value;
}
