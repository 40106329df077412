import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { defaultInstrument } from '#flows/cse-screening/default-instrument.ts';
import { createScreeningFlow } from '#flows/cse-screening/flow.ts';
import { type FlowState, ReplayError, replay, restore, start, step, view } from '#flows/engine.ts';
import type { ConversationEvent } from '#flows/events.ts';
import { dutyShape, expectedOutcome } from './oracle.ts';

const flow = createScreeningFlow();
const startedAt = '2026-11-28T17:00:00.000Z';
const at = '2026-11-28T17:05:00.000Z';
const raises = Object.fromEntries(defaultInstrument.items.map((item) => [item.id, item.raises]));

function run(events: ConversationEvent[]) {
  let current = start(flow, { locale: 'en', startedAt });
  const accepted: ConversationEvent[] = [];
  const rejected: string[] = [];
  for (const event of events) {
    const result = step(flow, current.snapshot, event);
    if (result.ok) {
      current = result;
      accepted.push(event);
    } else {
      rejected.push(result.rejection.code);
    }
  }
  return { current, accepted, rejected };
}

const answer = (promptId: string, value: string): ConversationEvent => ({
  type: 'answer.given',
  promptId,
  value,
  at,
});
const unknown = (promptId: string): ConversationEvent => ({ type: 'answer.unknown', promptId, at });
const nav = (type: 'nav.back' | 'nav.pause' | 'nav.resume'): ConversationEvent => ({ type, at });
const itemIds = defaultInstrument.items.map((item) => item.id);

describe('conversation engine', () => {
  it('starts at the first question with progress 1 of m and every navigation label', () => {
    const { snapshot } = start(flow, { locale: 'es', startedAt });
    const prompt = view(flow, snapshot, 'es').prompt!;
    expect(prompt).toMatchObject({
      id: 'exchange',
      kind: 'choice',
      skippable: true,
      allowsUnknown: true,
      canGoBack: false,
    });
    expect(prompt.progress).toEqual({ n: 1, of: itemIds.length + 5 });
    expect(prompt.actions).toEqual({
      unknown: 'No se sabe',
      skip: 'Omitir',
      back: 'Atrás',
      pause: 'Pausar',
    });
  });

  it('is deterministic: the same events always reach the same stored state', () => {
    const events = [
      answer('exchange', 'present'),
      unknown('trauma_signs'),
      nav('nav.back'),
      nav('nav.back'),
      answer('exchange', 'not_present'),
    ];
    expect(run(events).rejected).toEqual([]);
    expect(run(events).current.state).toEqual(run(events).current.state);
    expect(replay(flow, { locale: 'en', startedAt }, events).state).toEqual(run(events).current.state);
  });

  it('restores a stored state and carries on exactly as if it had never been stored', () => {
    const events = [answer('exchange', 'present'), nav('nav.pause')];
    const stored: FlowState = JSON.parse(JSON.stringify(run(events).current.state));
    const resumed = step(flow, restore(flow, stored), nav('nav.resume'));
    const direct = step(flow, run(events).current.snapshot, nav('nav.resume'));
    expect(resumed.ok && direct.ok && resumed.state).toEqual(direct.ok && direct.state);
  });

  it('pause then resume returns to the question that was open, from any question', () => {
    for (let index = 0; index < itemIds.length; index += 1) {
      const toIndex = itemIds.slice(0, index).map((id) => answer(id, 'not_present'));
      const { current } = run([...toIndex, nav('nav.pause'), nav('nav.resume')]);
      expect(view(flow, current.snapshot, 'en').prompt!.id).toBe(itemIds[index]);
    }
  });

  it('changing the determination back to the proposal drops the override reason', () => {
    const indicators = itemIds.map((id) => answer(id, 'not_present'));
    const { current } = run([
      ...indicators,
      answer('determination', 'at_risk'),
      answer('override_reason', 'Reported by school'),
      nav('nav.back'),
      nav('nav.back'),
      answer('determination', 'neither'),
      answer('cws', 'no'),
      unknown('open_602'),
      unknown('services'),
      unknown('received_at'),
    ]);
    const outcome = view(flow, current.snapshot, 'en').outcome!;
    expect(outcome).toMatchObject({ determination: 'neither', override: false, overrideReason: null });
  });

  it('a replay that meets an event the flow refuses names the event, instead of guessing', () => {
    expect(() =>
      replay(flow, { locale: 'en', startedAt }, [
        answer('exchange', 'present'),
        answer('exchange', 'present'),
      ]),
    ).toThrow(ReplayError);
  });

  const action = fc.oneof(
    fc.record({ kind: fc.constant('choice' as const), index: fc.nat(3) }),
    fc.constant({ kind: 'unknown' as const }),
    fc.constant({ kind: 'skip' as const }),
    fc.constant({ kind: 'back' as const }),
    fc.constant({ kind: 'pause' as const }),
    fc.constant({ kind: 'resume' as const }),
    fc.record({ kind: fc.constant('text' as const), text: fc.string({ minLength: 0, maxLength: 20 }) }),
    fc.record({ kind: fc.constant('time' as const), hoursAgo: fc.integer({ min: -2, max: 72 }) }),
  );

  type Action = { kind: string; index?: number; text?: string; hoursAgo?: number };

  function toEvent(snapshotPromptId: string | undefined, choiceIds: string[], a: Action): ConversationEvent {
    const promptId = snapshotPromptId ?? 'exchange';
    switch (a.kind) {
      case 'choice':
        return answer(promptId, choiceIds[a.index!] ?? 'not-a-choice');
      case 'unknown':
        return unknown(promptId);
      case 'skip':
        return { type: 'answer.skipped', promptId, at };
      case 'back':
        return nav('nav.back');
      case 'pause':
        return nav('nav.pause');
      case 'resume':
        return nav('nav.resume');
      case 'text':
        return answer(promptId, a.text || ' ');
      default:
        return answer(promptId, new Date(Date.parse(at) - a.hoursAgo! * 3_600_000).toISOString());
    }
  }

  it('R-PURPOSE: any mix of answers, skips, back, pause and resume never throws, never dead-ends, and the outcome follows the last answers', () => {
    fc.assert(
      fc.property(fc.array(action, { maxLength: 60 }), (actions) => {
        let current = start(flow, { locale: 'en', startedAt });
        const accepted: ConversationEvent[] = [];
        for (const a of actions) {
          const shown = view(flow, current.snapshot, 'en');
          if (shown.status === 'completed') break;
          const event = toEvent(shown.prompt?.id, shown.prompt?.choices?.map((c) => c.id) ?? [], a);
          const result = step(flow, current.snapshot, event);
          if (result.ok) {
            current = result;
            accepted.push(event);
          }
        }
        // Nothing is a dead end: resume if paused, then "unknown" or the first choice finishes any conversation.
        for (let guard = 0; guard < 30 && current.snapshot.status !== 'done'; guard += 1) {
          const shown = view(flow, current.snapshot, 'en');
          const prompt = shown.prompt;
          const event: ConversationEvent = !prompt
            ? nav('nav.resume')
            : prompt.allowsUnknown
              ? unknown(prompt.id)
              : prompt.kind === 'text'
                ? answer(prompt.id, 'reason')
                : answer(prompt.id, prompt.choices![0]!.id);
          const result = step(flow, current.snapshot, event);
          expect(result.ok).toBe(true);
          if (result.ok) {
            current = result;
            accepted.push(event);
          }
        }
        expect(current.snapshot.status).toBe('done');
        expect(replay(flow, { locale: 'en', startedAt }, accepted).state).toEqual(current.state);
        const outcome = view(flow, current.snapshot, 'en').outcome!;
        const expected = expectedOutcome(accepted, raises, startedAt, ['exchange']);
        expect(outcome.determination).toBe(expected.determination);
        expect(outcome.proposal.level).toBe(expected.level);
        expect(outcome.override).toBe(expected.override);
        expect(outcome.duties.map(dutyShape)).toEqual(expected.duties);
      }),
      { numRuns: 400 },
    );
  });
});
