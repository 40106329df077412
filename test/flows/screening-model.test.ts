import { describe, expect, it } from 'vitest';
import type { AnyMachineSnapshot } from 'xstate';
import { getShortestPaths, getSimplePaths } from 'xstate/graph';
import { defaultInstrument } from '#flows/cse-screening/default-instrument.ts';
import { createScreeningFlow, type ScreeningOutcome } from '#flows/cse-screening/flow.ts';
import { Instrument } from '#flows/cse-screening/instrument.ts';
import { type FlowDefinition, replay, view } from '#flows/engine.ts';
import type { ConversationEvent } from '#flows/events.ts';
import type { Locale } from '#flows/i18n.ts';
import { createPartnerScreeningFlow, type PartnerScreeningOutcome } from '#flows/partner-screening/flow.ts';
import { PartnerScreeningOutcome as PartnerOutcomeSchema } from '#flows/partner-screening/outcome.ts';
import { dutyShape, expectedOutcome } from './oracle.ts';

const startedAt = '2026-11-28T17:00:00.000Z';
const at = '2026-11-28T17:30:00.000Z';

/** Two items (one clear, one possible) keep every simple path enumerable while covering every branch. */
const smallInstrument = Instrument.parse({
  ...defaultInstrument,
  id: 'model-test',
  items: [
    { ...defaultInstrument.items[0], id: 'a' },
    { ...defaultInstrument.items[1], id: 'b' },
  ],
});

/**
 * Every event the current prompt accepts: each choice, a text, two received times, unknown and skip where
 * offered. `narrow` keeps the exhaustive walk small where answers are interchangeable for the duties: a
 * skipped indicator scores like an unknown one, and one service stands for any.
 */
function validEvents(flow: FlowDefinition, narrow = false) {
  return (snapshot: AnyMachineSnapshot): ConversationEvent[] => {
    if (snapshot.status === 'done') return [];
    const prompt = flow.promptFor(snapshot, 'en');
    const promptId = prompt.id;
    const choiceIds = prompt.choices?.map((choice) => choice.id) ?? [];
    const isIndicator = prompt.section === 'Indicators';
    const events: ConversationEvent[] = [];
    if (prompt.kind === 'choice') {
      for (const value of choiceIds) events.push({ type: 'answer.given', promptId, value, at });
    } else if (prompt.kind === 'multichoice') {
      events.push({ type: 'answer.given', promptId, value: choiceIds.slice(0, 1), at });
      if (!narrow) events.push({ type: 'answer.given', promptId, value: choiceIds.slice(0, 2), at });
    } else if (prompt.kind === 'text') {
      events.push({ type: 'answer.given', promptId, value: 'Reason recorded by the screener', at });
    } else {
      events.push({ type: 'answer.given', promptId, value: '2026-11-28T08:00:00-08:00', at });
      events.push({ type: 'answer.given', promptId, value: '2026-11-25T08:00:00-08:00', at });
    }
    const multichoice = prompt.kind === 'multichoice';
    if (prompt.allowsUnknown && !(narrow && multichoice))
      events.push({ type: 'answer.unknown', promptId, at });
    if (
      prompt.skippable &&
      !(narrow && (isIndicator || promptId === 'open_602' || promptId === 'received_at'))
    ) {
      events.push({ type: 'answer.skipped', promptId, at });
    }
    return events;
  };
}

function checkPath<T extends ScreeningOutcome | PartnerScreeningOutcome>(
  flow: FlowDefinition<T>,
  raises: Record<string, 'possible' | 'clear'>,
  events: ConversationEvent[],
  locale: Locale,
  exchangeItems: readonly string[],
  setting: 'county' | 'partner' = 'county',
): T {
  const { snapshot } = replay(flow, { locale, startedAt }, events);
  const result = view(flow, snapshot, locale);
  expect(result.status).toBe('completed');
  const outcome = result.outcome!;
  const expected = expectedOutcome(events, raises, startedAt, exchangeItems, setting);
  expect(outcome.proposal.level).toBe(expected.level);
  expect(outcome.determination).toBe(expected.determination);
  expect(outcome.override).toBe(expected.override);
  expect(outcome.receivesChildWelfareServices).toBe(expected.receivesChildWelfareServices);
  expect(outcome.informationReceivedAt).toBe(expected.informationReceivedAt);
  expect(outcome.duties.map(dutyShape)).toEqual(expected.duties);
  for (const duty of outcome.duties) expect(duty.citation).not.toBe('');
  return outcome;
}

describe('CSE screening, model-based', () => {
  const small = createScreeningFlow(smallInstrument);
  const smallRaises = { a: 'clear', b: 'possible' } as const;
  const paths = getSimplePaths(small.machine, {
    input: { locale: 'en', startedAt },
    events: validEvents(small, true),
    serializeState: (snapshot) => JSON.stringify({ value: snapshot.value, context: snapshot.context }),
    toState: (snapshot) => snapshot.status === 'done',
  });

  it('enumerates every simple path of the small instrument', () => {
    // 3 × 3 indicator answers, 3 determinations, 4 CWS, 3 open-§ 602 answers, 2 service answers, 3 received times.
    expect(paths).toHaveLength(3 * 3 * 3 * 4 * 3 * 2 * 3);
  });

  it.each(['en', 'es'] as const)(
    'R-REPORT-1, R-REPORT-3, R-PLAN-1, R-DEF-1, R-OVERRIDE-1, R-SVC-1: every simple path ends in the final state with the duties the law asks for (%s)',
    (locale) => {
      for (const path of paths) {
        const events = path.steps.map((step) => step.event).filter((event) => event.type !== 'xstate.init');
        const outcome = checkPath(small, smallRaises, events as ConversationEvent[], locale, ['a']);
        if (locale === 'es' && outcome.duties.length > 0)
          expect(outcome.duties[0]!.title).not.toMatch(/Report to/);
      }
    },
  );

  it.each(['en', 'es'] as const)(
    'the default instrument: the shortest path to every distinct situation ends with the right duties (%s)',
    (locale) => {
      const full = createScreeningFlow();
      const raises = Object.fromEntries(defaultInstrument.items.map((item) => [item.id, item.raises]));
      const shortest = getShortestPaths(full.machine, {
        input: { locale, startedAt },
        events: validEvents(full),
        // A situation: where the conversation is, plus the facts that decide the duties.
        serializeState: (snapshot) => {
          const answers = (
            snapshot.context as { answers: Record<string, { status: string; value?: string }> }
          ).answers;
          const present = defaultInstrument.items.filter((item) => answers[item.id]?.value === 'present');
          const level = present.some((item) => item.raises === 'clear')
            ? 'clear'
            : present.length
              ? 'possible'
              : 'none';
          return JSON.stringify([
            snapshot.value,
            level,
            answers.determination,
            answers.cws,
            answers.open_602,
            answers.services,
            answers.received_at,
          ]);
        },
        toState: (snapshot) => snapshot.status === 'done',
      });
      expect(shortest.length).toBeGreaterThan(100);
      for (const path of shortest) {
        const events = path.steps.map((step) => step.event).filter((event) => event.type !== 'xstate.init');
        checkPath(full, raises, events as ConversationEvent[], locale, ['exchange']);
      }
    },
  );
});

describe('partner CSE screening, model-based (R-MANDATED-1, R-HANDOFF-1)', () => {
  const small = createPartnerScreeningFlow(smallInstrument);
  const smallRaises = { a: 'clear', b: 'possible' } as const;
  const paths = getSimplePaths(small.machine, {
    input: { locale: 'en', startedAt },
    events: validEvents(small, true),
    serializeState: (snapshot) => JSON.stringify({ value: snapshot.value, context: snapshot.context }),
    toState: (snapshot) => snapshot.status === 'done',
  });

  it('R-HANDOFF-1: enumerates every simple path, none of which asks CWS or § 602 status', () => {
    // 3 × 3 indicator answers, 3 determinations, 2 service answers, 3 received times.
    expect(paths).toHaveLength(3 * 3 * 3 * 2 * 3);
    for (const path of paths) {
      const asked = path.steps.flatMap((pathStep) =>
        'promptId' in pathStep.event ? [pathStep.event.promptId as string] : [],
      );
      expect(asked).not.toContain('cws');
      expect(asked).not.toContain('open_602');
    }
  });

  it.each(['en', 'es'] as const)(
    'R-MANDATED-1, R-HANDOFF-1: every simple path ends with only the shelter’s own tasks and a hand-off owed exactly when there is a concern (%s)',
    (locale) => {
      for (const path of paths) {
        const events = path.steps
          .map((pathStep) => pathStep.event)
          .filter((event) => event.type !== 'xstate.init') as ConversationEvent[];
        const outcome = checkPath(small, smallRaises, events, locale, ['a'], 'partner');
        PartnerOutcomeSchema.parse(outcome);
        const exchange = outcome.indicators.find((indicator) => indicator.id === 'a')!.answer === 'present';
        expect(outcome.handoff.owed).toBe(outcome.determination !== 'neither' || exchange);
        expect(outcome.handoff.exchangeIndicator).toBe(exchange ? 'present' : 'absent');
        expect(outcome.facts.setting).toBe('partner');
        expect(outcome.duties.every((duty) => duty.assigneeRole === 'screener')).toBe(true);
      }
    },
  );
});
