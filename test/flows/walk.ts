import { type FlowDefinition, type FlowOutcome, start, step, view } from '#flows/engine.ts';
import type { ConversationEvent } from '#flows/events.ts';
import type { Locale } from '#flows/i18n.ts';

export const START = '2026-11-28T17:00:00.000Z';
const at = '2026-11-28T17:30:00.000Z';

export type Reply = string | string[] | 'unknown';

/** Walks a flow: indicators "not present" and everything else "unknown" unless `replies` says otherwise. */
export function walk<T extends FlowOutcome>(
  flow: FlowDefinition<T>,
  replies: Record<string, Reply>,
  locale: Locale = 'en',
): { outcome: T; asked: string[] } {
  let current = start(flow, { locale, startedAt: START });
  const asked: string[] = [];
  for (let guard = 0; guard < 40 && current.snapshot.status !== 'done'; guard += 1) {
    const prompt = view(flow, current.snapshot, 'en').prompt!;
    asked.push(prompt.id);
    const reply =
      replies[prompt.id] ??
      (prompt.section === 'Indicators' ? 'not_present' : prompt.kind === 'text' ? 'A reason' : 'unknown');
    const event: ConversationEvent =
      reply === 'unknown'
        ? { type: 'answer.unknown', promptId: prompt.id, at }
        : { type: 'answer.given', promptId: prompt.id, value: reply, at };
    const result = step(flow, current.snapshot, event);
    if (!result.ok) throw new Error(`${prompt.id}: ${result.rejection.code}`);
    current = result;
  }
  return { outcome: view(flow, current.snapshot, locale).outcome!, asked };
}
