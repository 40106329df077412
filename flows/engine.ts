import { type AnyMachineSnapshot, type AnyStateMachine, initialTransition, transition } from 'xstate';
import type { Duty, DutyFacts } from './duties.ts';
import type { ConversationEvent } from './events.ts';
import type { Locale } from './i18n.ts';
import type { PausedPrompt, Prompt } from './prompt.ts';

/** What a conversation item stores: enough to resume without replaying, small enough for one read. */
export interface FlowState {
  value: string;
  context: Record<string, unknown>;
}

export interface FlowStart {
  locale: Locale;
  /** When the conversation was opened: the earliest instant the flow may assume information was known. */
  startedAt: string;
}

export type ConversationStatus = 'active' | 'paused' | 'completed';

/** What every flow's outcome carries, whatever else it holds; the server turns it into tasks. */
export interface FlowOutcome {
  /** The facts duty rules read (and activity reports count), e.g. `{ determination: "identified" }`. */
  facts: DutyFacts;
  /** Deadlines run from here (R-REPORT-1, R-REPORT-2), never from when the conversation ended. */
  informationReceivedAt: string;
  duties: Duty[];
  /** Task types of this subject's open tasks that the outcome settles (a youth's return closes `locate`). */
  closesTaskTypes?: string[];
}

/** A flow is a machine plus the functions that read prompts and outcomes off its snapshots. */
export interface FlowDefinition<TOutcome extends FlowOutcome = FlowOutcome> {
  readonly id: string;
  readonly version: string;
  readonly machine: AnyStateMachine;
  promptFor(snapshot: AnyMachineSnapshot, locale: Locale): Prompt;
  pausedPrompt(locale: Locale): PausedPrompt;
  outcomeOf(snapshot: AnyMachineSnapshot, locale: Locale): TOutcome;
  /** The flow's sections in the order they come, for a channel's outline of the interview (issue 8). */
  sections(locale: Locale): readonly string[];
}

export interface ConversationView<TOutcome extends FlowOutcome = FlowOutcome> {
  status: ConversationStatus;
  prompt: Prompt | null;
  paused: PausedPrompt | null;
  outcome: TOutcome | null;
}

export type RejectionCode =
  | 'conversation_completed'
  | 'conversation_paused'
  | 'not_paused'
  | 'cannot_go_back'
  | 'prompt_mismatch'
  | 'unknown_not_allowed'
  | 'skip_not_allowed'
  | 'note_not_allowed'
  | 'choice_not_offered'
  | 'empty_answer'
  | 'invalid_datetime'
  | 'datetime_in_future'
  | 'event_not_accepted';

export interface Rejection {
  code: RejectionCode;
  message: string;
}

export type StepResult =
  | { ok: true; state: FlowState; snapshot: AnyMachineSnapshot }
  | { ok: false; rejection: Rejection };

/** Clock skew tolerated between a device's `at` and a date it reports (tablets keep their own time). */
const FUTURE_SKEW_MS = 5 * 60_000;

function toState(snapshot: AnyMachineSnapshot): FlowState {
  if (typeof snapshot.value !== 'string') {
    throw new Error('flows keep a flat top-level state value so a conversation item stays small');
  }
  return { value: snapshot.value, context: snapshot.context as Record<string, unknown> };
}

export function restore(flow: FlowDefinition, state: FlowState): AnyMachineSnapshot {
  return flow.machine.resolveState({ value: state.value, context: state.context });
}

export function statusOf(snapshot: AnyMachineSnapshot): ConversationStatus {
  if (snapshot.status === 'done') return 'completed';
  return snapshot.hasTag('paused') ? 'paused' : 'active';
}

export function start(
  flow: FlowDefinition,
  input: FlowStart,
): { state: FlowState; snapshot: AnyMachineSnapshot } {
  const [snapshot] = initialTransition(flow.machine, input);
  return { state: toState(snapshot), snapshot };
}

export function view<TOutcome extends FlowOutcome>(
  flow: FlowDefinition<TOutcome>,
  snapshot: AnyMachineSnapshot,
  locale: Locale,
): ConversationView<TOutcome> {
  const status = statusOf(snapshot);
  return {
    status,
    prompt: status === 'active' ? flow.promptFor(snapshot, locale) : null,
    paused: status === 'paused' ? flow.pausedPrompt(locale) : null,
    outcome: status === 'completed' ? flow.outcomeOf(snapshot, locale) : null,
  };
}

function reject(code: RejectionCode, message: string): StepResult {
  return { ok: false, rejection: { code, message } };
}

/** Checks an event against what the conversation is asking right now; `null` when it fits. */
function misfit(
  flow: FlowDefinition,
  snapshot: AnyMachineSnapshot,
  event: ConversationEvent,
): StepResult | null {
  const status = statusOf(snapshot);
  if (status === 'completed')
    return reject('conversation_completed', 'This conversation has already finished.');
  if (status === 'paused') {
    return event.type === 'nav.resume'
      ? null
      : reject('conversation_paused', 'This conversation is paused; resume it first.');
  }
  if (event.type === 'nav.resume') return reject('not_paused', 'This conversation is not paused.');
  if (event.type === 'nav.pause') return null;
  // The locale only changes wording, never ids or permissions, so any locale serves for the check.
  const prompt = flow.promptFor(snapshot, 'en');
  if (event.type === 'nav.back') {
    return prompt.canGoBack ? null : reject('cannot_go_back', 'There is no earlier question to go back to.');
  }
  if (event.promptId !== prompt.id) {
    return reject(
      'prompt_mismatch',
      `The answer is for "${event.promptId}" but the current question is "${prompt.id}".`,
    );
  }
  if (event.type === 'answer.unknown') {
    return prompt.allowsUnknown ? null : reject('unknown_not_allowed', 'This question needs an answer.');
  }
  if (event.type === 'answer.skipped') {
    return prompt.skippable ? null : reject('skip_not_allowed', 'This question cannot be skipped.');
  }
  if (event.note !== undefined && !prompt.allowsNote) {
    return reject('note_not_allowed', 'This question does not take a note.');
  }
  const value = event.value;
  if (prompt.kind === 'multichoice') {
    if (typeof value === 'string')
      return reject('choice_not_offered', 'Choose one or more of the choices offered, as a list.');
    const offered = new Set(prompt.choices?.map((choice) => choice.id));
    const unknownChoice = value.find((id) => !offered.has(id));
    if (unknownChoice !== undefined)
      return reject('choice_not_offered', `"${unknownChoice}" is not one of the choices offered.`);
    return new Set(value).size === value.length
      ? null
      : reject('choice_not_offered', 'A choice is listed twice.');
  }
  if (typeof value !== 'string')
    return reject('choice_not_offered', 'This question takes one answer, not a list.');
  switch (prompt.kind) {
    case 'choice':
      return prompt.choices?.some((choice) => choice.id === value)
        ? null
        : reject('choice_not_offered', `"${value}" is not one of the choices offered.`);
    case 'text':
      return value.trim() === '' ? reject('empty_answer', 'The answer is empty.') : null;
    case 'datetime': {
      const instant = Date.parse(value);
      if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(value) || Number.isNaN(instant)) {
        return reject(
          'invalid_datetime',
          'Give a date and time with its offset, e.g. 2026-11-28T09:30:00-08:00.',
        );
      }
      return instant > Date.parse(event.at) + FUTURE_SKEW_MS
        ? reject('datetime_in_future', 'That date and time is in the future.')
        : null;
    }
  }
}

/** Applies one event: pure, so the server, a tablet and a replay all reach the same state. */
export function step(
  flow: FlowDefinition,
  snapshot: AnyMachineSnapshot,
  event: ConversationEvent,
): StepResult {
  const problem = misfit(flow, snapshot, event);
  if (problem) return problem;
  const [next] = transition(flow.machine, snapshot, event);
  // XState hands back the very same snapshot when no transition was enabled: the event did not fit.
  if (next === snapshot)
    return reject('event_not_accepted', `"${event.type}" is not possible at this point.`);
  return { ok: true, state: toState(next), snapshot: next };
}

export class ReplayError extends Error {
  constructor(
    readonly index: number,
    readonly rejection: Rejection,
  ) {
    super(`event ${index} was rejected on replay: ${rejection.code}`);
    this.name = 'ReplayError';
  }
}

/** Rebuilds a conversation from its events; a stored event that no longer applies is a corruption, so it throws. */
export function replay(
  flow: FlowDefinition,
  input: FlowStart,
  events: readonly ConversationEvent[],
): { state: FlowState; snapshot: AnyMachineSnapshot } {
  let current = start(flow, input);
  events.forEach((event, index) => {
    const result = step(flow, current.snapshot, event);
    if (!result.ok) throw new ReplayError(index, result.rejection);
    current = result;
  });
  return current;
}
