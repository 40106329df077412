import type { AnyMachineSnapshot } from 'xstate';
import { getSimplePaths } from 'xstate/graph';
import type { FlowDefinition, FlowStart } from '#flows/engine.ts';
import type { ConversationEvent } from '#flows/events.ts';

export const MODEL_AT = '2026-11-28T17:30:00.000Z';

/** Two received times every datetime prompt is walked with: within the last 24 hours, and days before. */
export const SAMPLE_TIMES = ['2026-11-28T08:00:00-08:00', '2026-11-25T08:00:00-08:00'] as const;

/**
 * Every event the current prompt accepts: each choice (for a multichoice: the first choice, and the first
 * two together), one text, the sample times, and unknown / skip where the prompt offers them.
 */
export function validEvents(flow: FlowDefinition, options: { texts?: readonly string[] } = {}) {
  return (snapshot: AnyMachineSnapshot): ConversationEvent[] => {
    if (snapshot.status === 'done' || snapshot.hasTag('paused')) return [];
    const prompt = flow.promptFor(snapshot, 'en');
    const promptId = prompt.id;
    const at = MODEL_AT;
    const events: ConversationEvent[] = [];
    const choiceIds = prompt.choices?.map((choice) => choice.id) ?? [];
    switch (prompt.kind) {
      case 'choice':
        for (const value of choiceIds) events.push({ type: 'answer.given', promptId, value, at });
        break;
      case 'multichoice':
        events.push({ type: 'answer.given', promptId, value: choiceIds.slice(0, 1), at });
        if (choiceIds.length > 1)
          events.push({ type: 'answer.given', promptId, value: choiceIds.slice(0, 2), at });
        break;
      case 'text':
        for (const value of options.texts ?? ['Recorded by the screener']) {
          events.push({ type: 'answer.given', promptId, value, at });
        }
        break;
      case 'datetime':
        for (const value of SAMPLE_TIMES) events.push({ type: 'answer.given', promptId, value, at });
        break;
    }
    if (prompt.allowsUnknown) events.push({ type: 'answer.unknown', promptId, at });
    if (prompt.skippable) events.push({ type: 'answer.skipped', promptId, at });
    return events;
  };
}

/** Every simple path from the start to the final state, as the list of events that walks it. */
export function pathsToCompletion(
  flow: FlowDefinition,
  input: FlowStart,
  options: { texts?: readonly string[] } = {},
) {
  return getSimplePaths(flow.machine, {
    input,
    events: validEvents(flow, options),
    serializeState: (snapshot) => JSON.stringify({ value: snapshot.value, context: snapshot.context }),
    toState: (snapshot) => snapshot.status === 'done',
  }).map(
    (path) =>
      path.steps
        .map((step) => step.event)
        .filter((event) => event.type !== 'xstate.init') as ConversationEvent[],
  );
}
