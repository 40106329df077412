import { type AnyMachineSnapshot, assign, setup } from 'xstate';
import { type Answer, answerFrom } from '../answers.ts';
import type { FlowDefinition, FlowOutcome, FlowStart } from '../engine.ts';
import type { ConversationEvent } from '../events.ts';
import { type Locale, type LocalizedText, localize } from '../i18n.ts';
import type { Prompt, PromptKind } from '../prompt.ts';
import { navigationWords } from '../wording.ts';

export type Answers = Readonly<Record<string, Answer>>;

export interface FormChoice {
  id: string;
  label: LocalizedText;
}

export const COMPLETED = 'completed';

export interface FormStep {
  id: string;
  section: LocalizedText;
  kind: PromptKind;
  text: LocalizedText;
  help?: LocalizedText;
  choices?: readonly FormChoice[];
  /** May be skipped ("prefer not to say"). */
  skippable: boolean;
  /** May be answered "unknown". */
  allowsUnknown: boolean;
  allowsNote?: boolean;
  /** The answer identifies a child and is encrypted before it is stored. */
  sensitive?: boolean;
  /** Who answers; the form's own `audience` when not set. */
  audience?: Prompt['audience'];
  /**
   * The next step (or `completed`). Where the path branches, `targets` lists every step it may go to, so
   * the statechart shows every edge, and `choose` picks one from the answers so far.
   */
  next: string | { targets: readonly string[]; choose: (answers: Answers) => string };
  /** Wording that depends on earlier answers (for example a proposal computed from them). */
  render?: (answers: Answers, locale: Locale) => { text?: string; help?: string };
}

export interface FormDefinition<TOutcome extends FlowOutcome> {
  id: string;
  /** Bumped whenever the steps change; a conversation keeps the version it started with. */
  version: string;
  steps: readonly FormStep[];
  /** Who answers its steps unless a step says otherwise (issue 20); a professional when not set. */
  audience?: Prompt['audience'];
  /** Built from the answers on the path actually taken (answers on abandoned branches are left out). */
  outcome: (answers: Answers, startedAt: string, locale: Locale) => TOutcome;
}

export interface FormContext {
  startedAt: string;
  answers: Record<string, Answer>;
  /** The steps answered on the way here, in order: `back` returns to the last one. */
  trail: string[];
  /** The step a paused conversation returns to. */
  resumeStep: string | null;
}

const RESERVED = new Set(['paused', COMPLETED]);

const targetsOf = (step: FormStep): readonly string[] =>
  typeof step.next === 'string' ? [step.next] : step.next.targets;

function chooseNext(step: FormStep, answers: Answers): string {
  if (typeof step.next === 'string') return step.next;
  const chosen = step.next.choose(answers);
  if (!step.next.targets.includes(chosen)) {
    throw new Error(`step "${step.id}" chose "${chosen}", which is not one of its targets`);
  }
  return chosen;
}

function validate(definition: FormDefinition<FlowOutcome>): void {
  const ids = new Set<string>();
  for (const step of definition.steps) {
    if (!/^[a-z0-9_]+$/.test(step.id) || RESERVED.has(step.id) || ids.has(step.id)) {
      throw new Error(`${definition.id}: step id "${step.id}" is invalid, reserved or repeated`);
    }
    ids.add(step.id);
    if ((step.kind === 'choice' || step.kind === 'multichoice') && !step.choices?.length) {
      throw new Error(`${definition.id}: step "${step.id}" offers no choices`);
    }
    // A choice marked sensitive would be sealed and then unreadable to the flow's own guards: only typed
    // text is sealed (every text answer and note is, issue 16); `sensitive` marks it for the renderers.
    if (step.sensitive && (step.kind !== 'text' || step.allowsNote)) {
      throw new Error(`${definition.id}: sensitive step "${step.id}" must be free text without a note`);
    }
  }
  for (const step of definition.steps) {
    for (const target of targetsOf(step)) {
      if (target !== COMPLETED && !ids.has(target)) {
        throw new Error(`${definition.id}: step "${step.id}" leads to unknown step "${target}"`);
      }
    }
  }
}

/** The answers on the path the trail records, so an abandoned branch never reaches an outcome. */
export function answersOnPath(context: FormContext): Answers {
  return Object.fromEntries(
    context.trail.flatMap((id) => (context.answers[id] ? [[id, context.answers[id]] as const] : [])),
  );
}

/**
 * Builds a flow from a declarative list of steps: an XState machine with one state per step, guarded
 * edges where the path branches, back along the trail, and pause/resume; prompts and progress included.
 */
export function createFormFlow<TOutcome extends FlowOutcome>(
  definition: FormDefinition<TOutcome>,
): FlowDefinition<TOutcome> {
  validate(definition as FormDefinition<FlowOutcome>);
  const steps = new Map(definition.steps.map((step) => [step.id, step]));
  const first = definition.steps[0]!;
  const predecessors = new Map<string, Set<string>>();
  for (const step of definition.steps) {
    for (const target of targetsOf(step)) {
      if (!predecessors.has(target)) predecessors.set(target, new Set());
      predecessors.get(target)!.add(step.id);
    }
  }

  const machineSetup = setup({
    types: { context: {} as FormContext, events: {} as ConversationEvent, input: {} as FlowStart },
    guards: {
      leadsTo: ({ context, event }, params: { from: string; to: string }) => {
        const answer = answerFrom(event);
        if (!answer) return false;
        return (
          chooseNext(steps.get(params.from)!, { ...context.answers, [params.from]: answer }) === params.to
        );
      },
      cameFrom: ({ context }, params: { step: string }) => context.trail.at(-1) === params.step,
      resumesAt: ({ context }, params: { step: string }) => context.resumeStep === params.step,
    },
    actions: {
      record: assign(({ context, event }, params: { step: string }) => {
        const answer = answerFrom(event);
        return answer
          ? { answers: { ...context.answers, [params.step]: answer }, trail: [...context.trail, params.step] }
          : {};
      }),
      stepBack: assign(({ context }) => ({ trail: context.trail.slice(0, -1) })),
      rememberStep: assign((_, params: { step: string }) => ({ resumeStep: params.step })),
      forgetStep: assign({ resumeStep: null }),
    },
  });

  const stepStates = Object.fromEntries(
    definition.steps.map((step) => {
      const forward = targetsOf(step).map((target) => ({
        target,
        guard: { type: 'leadsTo' as const, params: { from: step.id, to: target } },
        actions: { type: 'record' as const, params: { step: step.id } },
      }));
      const back = [...(predecessors.get(step.id) ?? [])].map((previous) => ({
        target: previous,
        guard: { type: 'cameFrom' as const, params: { step: previous } },
        actions: { type: 'stepBack' as const },
      }));
      return [
        step.id,
        {
          on: {
            'answer.given': forward,
            'answer.unknown': forward,
            'answer.skipped': forward,
            ...(back.length > 0 ? { 'nav.back': back } : {}),
            'nav.pause': {
              target: 'paused',
              actions: { type: 'rememberStep' as const, params: { step: step.id } },
            },
          },
        },
      ];
    }),
  );

  const machine = machineSetup.createMachine({
    id: definition.id,
    context: ({ input }) => ({ startedAt: input.startedAt, answers: {}, trail: [], resumeStep: null }),
    initial: first.id,
    states: {
      ...stepStates,
      paused: {
        tags: ['paused'],
        on: {
          'nav.resume': definition.steps.map((step) => ({
            target: step.id,
            guard: { type: 'resumesAt' as const, params: { step: step.id } },
            actions: { type: 'forgetStep' as const },
          })),
        },
      },
      [COMPLETED]: { type: 'final' },
    },
  });

  /** Steps still ahead on the path the answers so far point to (unanswered branches take their default). */
  function remainingFrom(stepId: string, answers: Answers): number {
    let count = 0;
    let current: string | undefined = stepId;
    const seen = new Set<string>();
    while (current && current !== COMPLETED && !seen.has(current)) {
      seen.add(current);
      count += 1;
      const step: FormStep = steps.get(current)!;
      let next: string;
      try {
        next = chooseNext(step, answers);
      } catch {
        next = targetsOf(step)[0]!;
      }
      current = next;
    }
    return count;
  }

  function promptFor(snapshot: AnyMachineSnapshot, locale: Locale): Prompt {
    const context = snapshot.context as FormContext;
    const step = steps.get(snapshot.value as string);
    if (!step) throw new Error(`no prompt for state "${String(snapshot.value)}"`);
    const rendered = step.render?.(context.answers, locale) ?? {};
    const help = rendered.help ?? (step.help ? localize(step.help, locale) : undefined);
    const n = context.trail.length + 1;
    const audience = step.audience ?? definition.audience ?? 'professional';
    return {
      id: step.id,
      kind: step.kind,
      section: localize(step.section, locale),
      text: rendered.text ?? localize(step.text, locale),
      ...(help === undefined ? {} : { help }),
      ...(step.choices
        ? { choices: step.choices.map((c) => ({ id: c.id, label: localize(c.label, locale) })) }
        : {}),
      skippable: step.skippable,
      allowsUnknown: step.allowsUnknown,
      allowsNote: step.allowsNote ?? false,
      ...(step.sensitive ? { sensitive: true } : {}),
      canGoBack: context.trail.length > 0,
      progress: { n, of: n - 1 + remainingFrom(step.id, context.answers) },
      audience,
      actions: {
        unknown: localize(navigationWords.unknown, locale),
        skip: localize(
          audience === 'youth' ? navigationWords.skip : navigationWords.skipProfessional,
          locale,
        ),
        back: localize(navigationWords.back, locale),
        pause: localize(navigationWords.pause, locale),
      },
    };
  }

  return {
    id: definition.id,
    version: definition.version,
    machine,
    promptFor,
    pausedPrompt: (locale) => ({
      text: localize(navigationWords.paused, locale),
      resume: localize(navigationWords.resume, locale),
    }),
    sections: (locale) => [...new Set(definition.steps.map((step) => localize(step.section, locale)))],
    outcomeOf: (snapshot, locale) => {
      const context = snapshot.context as FormContext;
      return definition.outcome(answersOnPath(context), context.startedAt, locale);
    },
  };
}
