import { describe, expect, it } from 'vitest';
import { answerValue } from '#flows/answers.ts';
import { type FlowOutcome, replay, start, step, view } from '#flows/engine.ts';
import type { ConversationEvent } from '#flows/events.ts';
import { COMPLETED, createFormFlow } from '#flows/form/form-flow.ts';
import { MODEL_AT, pathsToCompletion } from '../support/flow-model.ts';

const t = (en: string) => ({ en, es: `${en} (es)` });

interface ToyOutcome extends FlowOutcome {
  path: string[];
}

/** A small branching form: "left" asks one more question, "right" goes straight to the end. */
const toy = createFormFlow<ToyOutcome>({
  id: 'toy',
  version: '1',
  steps: [
    {
      id: 'way',
      section: t('Way'),
      kind: 'choice',
      text: t('Which way?'),
      choices: [
        { id: 'left', label: t('Left') },
        { id: 'right', label: t('Right') },
      ],
      skippable: true,
      allowsUnknown: true,
      next: {
        targets: ['detail', COMPLETED],
        choose: (answers) => (answerValue(answers.way) === 'left' ? 'detail' : COMPLETED),
      },
    },
    {
      id: 'detail',
      section: t('Detail'),
      kind: 'multichoice',
      text: t('Which details?'),
      choices: [
        { id: 'a', label: t('A') },
        { id: 'b', label: t('B') },
        { id: 'c', label: t('C') },
      ],
      skippable: true,
      allowsUnknown: false,
      next: COMPLETED,
    },
  ],
  outcome: (answers, startedAt) => ({
    path: Object.keys(answers),
    facts: { way: answerValue(answers.way) ?? 'unknown' },
    informationReceivedAt: startedAt,
    duties: [],
  }),
});

const input = { locale: 'en' as const, startedAt: '2026-11-28T17:00:00.000Z' };
const at = MODEL_AT;

function run(events: ConversationEvent[]) {
  return replay(toy, input, events);
}

describe('declarative form flows', () => {
  it('branches on an answer and shows progress along the path the answers point to', () => {
    const { snapshot } = start(toy, input);
    expect(view(toy, snapshot, 'en').prompt!.progress).toEqual({ n: 1, of: 1 });
    const left = run([{ type: 'answer.given', promptId: 'way', value: 'left', at }]);
    const prompt = view(toy, left.snapshot, 'en').prompt!;
    expect(prompt).toMatchObject({
      id: 'detail',
      kind: 'multichoice',
      canGoBack: true,
      progress: { n: 2, of: 2 },
    });
    const right = run([{ type: 'answer.given', promptId: 'way', value: 'right', at }]);
    expect(right.snapshot.status).toBe('done');
  });

  it('back returns along the trail, and answers on an abandoned branch never reach the outcome', () => {
    const { snapshot } = run([
      { type: 'answer.given', promptId: 'way', value: 'left', at },
      { type: 'answer.given', promptId: 'detail', value: ['a', 'b'], at },
    ]);
    expect(view(toy, snapshot, 'en').outcome!.path).toEqual(['way', 'detail']);
    const changed = run([
      { type: 'answer.given', promptId: 'way', value: 'left', at },
      { type: 'nav.back', at },
      { type: 'answer.given', promptId: 'way', value: 'right', at },
    ]);
    expect(view(toy, changed.snapshot, 'en').outcome!.path).toEqual(['way']);
  });

  it('refuses a multichoice answer that is not a list of offered, distinct choices', () => {
    const left = run([{ type: 'answer.given', promptId: 'way', value: 'left', at }]);
    for (const value of ['a', ['a', 'z'], ['a', 'a']]) {
      const result = step(toy, left.snapshot, { type: 'answer.given', promptId: 'detail', value, at });
      expect(result.ok ? 'accepted' : result.rejection.code).toBe('choice_not_offered');
    }
    const unknown = step(toy, left.snapshot, { type: 'answer.unknown', promptId: 'detail', at });
    expect(unknown.ok ? 'accepted' : unknown.rejection.code).toBe('unknown_not_allowed');
  });

  it('pauses and resumes at the same step', () => {
    const { snapshot } = run([
      { type: 'answer.given', promptId: 'way', value: 'left', at },
      { type: 'nav.pause', at },
      { type: 'nav.resume', at },
    ]);
    expect(view(toy, snapshot, 'en').prompt!.id).toBe('detail');
  });

  it('every simple path ends in the final state', () => {
    const paths = pathsToCompletion(toy, input);
    // right | unknown | skipped: done at once; left: then [a], [a,b] or skipped.
    expect(paths).toHaveLength(3 + 3);
    for (const events of paths) expect(run(events).snapshot.status).toBe('done');
  });

  it('refuses a definition with an unknown target or a reserved step id', () => {
    const base = {
      section: t('S'),
      kind: 'text' as const,
      text: t('Q'),
      skippable: true,
      allowsUnknown: true,
    };
    const outcome = () => ({ facts: {}, informationReceivedAt: '', duties: [] });
    expect(() =>
      createFormFlow({ id: 'bad', version: '1', steps: [{ ...base, id: 'a', next: 'nowhere' }], outcome }),
    ).toThrow(/unknown step/);
    expect(() =>
      createFormFlow({
        id: 'bad',
        version: '1',
        steps: [{ ...base, id: 'paused', next: COMPLETED }],
        outcome,
      }),
    ).toThrow(/reserved/);
  });
});
