import { assign, setup } from 'xstate';
import { type Answer, answerFrom } from '../answers.ts';
import type { FlowStart } from '../engine.ts';
import type { ConversationEvent } from '../events.ts';
import type { Instrument } from './instrument.ts';
import { determinationFor, propose } from './scoring.ts';

export interface ScreeningContext {
  startedAt: string;
  answers: Record<string, Answer>;
  /** The step a paused conversation returns to: an explicit history that survives storage as plain data. */
  resumeStep: string | null;
}

export type DecisionStep =
  | 'determination'
  | 'override_reason'
  | 'cws'
  | 'open_602'
  | 'services'
  | 'received_at';

/** What a county screener is asked after the indicators. */
export const DECISION_STEPS = [
  'determination',
  'override_reason',
  'cws',
  'open_602',
  'services',
  'received_at',
] as const satisfies readonly DecisionStep[];

/**
 * R-HANDOFF-1: a partner's staff cannot know child welfare or WIC § 602 status and must not be asked; the
 * county confirms both when it receives the hand-off.
 */
export const PARTNER_DECISION_STEPS = [
  'determination',
  'override_reason',
  'services',
  'received_at',
] as const satisfies readonly DecisionStep[];

/**
 * The CSE screening as a statechart generated from an instrument: one state per indicator, then the
 * screener's determination, an override reason when it departs from the proposal, and whichever of
 * child welfare status, § 602 status, services and the time the information was received the setting asks.
 * The determination, its override reason and the received time are always asked.
 */
export function createScreeningMachine(
  instrument: Instrument,
  decisionSteps: readonly DecisionStep[] = DECISION_STEPS,
  machineId = 'cse-screening',
) {
  const itemIds = instrument.items.map((item) => item.id);
  const steps: string[] = [...itemIds, ...decisionSteps];
  // Where the path goes once the determination is settled (with or without an override reason).
  const afterDecision = steps[steps.indexOf('override_reason') + 1]!;

  const machineSetup = setup({
    types: {
      context: {} as ScreeningContext,
      events: {} as ConversationEvent,
      input: {} as FlowStart,
    },
    guards: {
      overridesProposal: ({ context, event }) =>
        event.type === 'answer.given' &&
        event.value !== determinationFor[propose(instrument, context.answers).level],
      hasOverrideReason: ({ context }) => context.answers.override_reason !== undefined,
      resumesAt: ({ context }, params: { step: string }) => context.resumeStep === params.step,
    },
    actions: {
      recordAnswer: assign(({ context, event }, params: { step: string }) => {
        const answer = answerFrom(event);
        return answer ? { answers: { ...context.answers, [params.step]: answer } } : {};
      }),
      forgetOverrideReason: assign(({ context }) => {
        const { override_reason: _dropped, ...answers } = context.answers;
        return { answers };
      }),
      rememberStep: assign((_, params: { step: string }) => ({ resumeStep: params.step })),
      forgetStep: assign({ resumeStep: null }),
    },
  });

  type Transition = {
    target: string;
    guard?: 'overridesProposal' | 'hasOverrideReason';
    actions?: Array<{ type: 'recordAnswer'; params: { step: string } } | { type: 'forgetOverrideReason' }>;
  };

  const record = (step: string) => ({ type: 'recordAnswer' as const, params: { step } });

  function forward(step: string): Transition[] {
    switch (step) {
      case 'determination':
        return [
          { target: 'override_reason', guard: 'overridesProposal', actions: [record(step)] },
          { target: afterDecision, actions: [record(step), { type: 'forgetOverrideReason' }] },
        ];
      case 'override_reason':
        return [{ target: afterDecision, actions: [record(step)] }];
      case 'received_at':
        return [{ target: 'completed', actions: [record(step)] }];
      default: {
        const next = steps[steps.indexOf(step) + 1] ?? 'determination';
        return [{ target: next, actions: [record(step)] }];
      }
    }
  }

  function backward(step: string): Transition[] {
    switch (step) {
      case 'override_reason':
        return [{ target: 'determination' }];
      case afterDecision:
        return [{ target: 'override_reason', guard: 'hasOverrideReason' }, { target: 'determination' }];
      default: {
        const index = steps.indexOf(step);
        return index > 0 ? [{ target: steps[index - 1]! }] : [];
      }
    }
  }

  const stepStates = Object.fromEntries(
    steps.map((step) => {
      const back = backward(step);
      return [
        step,
        {
          on: {
            'answer.given': forward(step),
            'answer.unknown': forward(step),
            'answer.skipped': forward(step),
            ...(back.length > 0 ? { 'nav.back': back } : {}),
            'nav.pause': { target: 'paused', actions: { type: 'rememberStep' as const, params: { step } } },
          },
        },
      ];
    }),
  );

  return machineSetup.createMachine({
    id: machineId,
    context: ({ input }) => ({ startedAt: input.startedAt, answers: {}, resumeStep: null }),
    initial: steps[0]!,
    states: {
      ...stepStates,
      paused: {
        description: 'Waiting for the screener; resumes at the step it left from any channel.',
        tags: ['paused'],
        on: {
          'nav.resume': steps.map((step) => ({
            target: step,
            guard: { type: 'resumesAt' as const, params: { step } },
            actions: { type: 'forgetStep' as const },
          })),
        },
      },
      completed: { type: 'final' },
    },
  });
}

export type ScreeningMachine = ReturnType<typeof createScreeningMachine>;
