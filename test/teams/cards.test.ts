import { describe, expect, it } from 'vitest';
import { createFlowCatalog } from '#flows/catalog.ts';
import { start, step, view } from '#flows/engine.ts';
import type { Prompt } from '#flows/prompt.ts';
import { CardSubmit, clientEventOf, validTimeZone, zonedToUtc } from '#functions/teams/card-actions.ts';
import { ADAPTIVE_CARD, promptCard, taskCard } from '#functions/teams/cards.ts';

const target = { conversationId: '7f1d1a36-1b8c-4d0e-9d51-5a1f1f0e2a11', expectedVersion: 3 };

type Action = { type: string; title: string; data?: Record<string, unknown>; card?: { actions: Action[] } };
const actionsOf = (content: Record<string, unknown>) => content.actions as Action[];

function promptOf(flowId: string, answers: Array<[string, string | string[]]> = []): Prompt {
  const entry = createFlowCatalog().current(flowId)!;
  let snapshot = start(entry.flow, { locale: 'en', startedAt: '2026-11-28T17:00:00.000Z' }).snapshot;
  for (const [promptId, value] of answers) {
    const result = step(entry.flow, snapshot, {
      type: 'answer.given',
      promptId,
      value,
      at: '2026-11-28T17:00:00.000Z',
    } as never);
    if (!result.ok) throw new Error(result.rejection.code);
    snapshot = result.snapshot;
  }
  return view(entry.flow, snapshot, 'en').prompt!;
}

describe('prompts as Adaptive Cards 1.5', () => {
  it('a choice prompt: one button per choice, then unknown / skip / pause, each naming the card’s version', () => {
    const prompt = promptOf('cse-screening');
    const { contentType, content } = promptCard(prompt, target, 'en');
    expect(contentType).toBe(ADAPTIVE_CARD);
    expect(content.version).toBe('1.5');
    const actions = actionsOf(content);
    expect(actions.map((action) => action.title)).toEqual([
      ...(prompt.choices ?? []).map((choice) => choice.label),
      prompt.actions.unknown,
      prompt.actions.skip,
      prompt.actions.pause,
    ]);
    for (const action of actions) {
      const submit = CardSubmit.parse(action.data);
      expect(submit).toMatchObject({ kind: 'turn', ...target });
    }
    const first = CardSubmit.parse(actions[0]!.data);
    expect(clientEventOf(first as never, prompt.kind, 'America/Los_Angeles')).toEqual({
      type: 'answer.given',
      promptId: prompt.id,
      value: prompt.choices![0]!.id,
    });
  });

  it('Spanish labels come from the conversation’s language', () => {
    const entry = createFlowCatalog().current('cse-screening')!;
    const prompt = view(
      entry.flow,
      start(entry.flow, { locale: 'es', startedAt: '2026-11-28T17:00:00Z' }).snapshot,
      'es',
    ).prompt!;
    const body = JSON.stringify(promptCard(prompt, target, 'es').content);
    expect(body).toContain('Pregunta 1 de');
    expect(body).toContain(prompt.text);
  });

  it('a several-choice prompt submits its choices as Teams sends them (comma-separated) and they become a list', () => {
    const submit = CardSubmit.parse({
      kind: 'turn',
      ...target,
      promptId: 'factors',
      event: 'answer',
      value: 'a,b',
    });
    expect(clientEventOf(submit as never, 'multichoice', 'America/Los_Angeles')).toMatchObject({
      value: ['a', 'b'],
    });
  });

  it('date and time inputs are read in the user’s zone (Pacific by default), daylight saving included', () => {
    expect(zonedToUtc('2026-11-28', '09:30', 'America/Los_Angeles')).toBe('2026-11-28T17:30:00.000Z');
    expect(zonedToUtc('2026-07-01', '09:30', 'America/Los_Angeles')).toBe('2026-07-01T16:30:00.000Z');
    expect(zonedToUtc('2026-11-28', '09:30', 'Europe/Madrid')).toBe('2026-11-28T08:30:00.000Z');
    expect(validTimeZone('Not/AZone')).toBe('America/Los_Angeles');
    const submit = CardSubmit.parse({
      kind: 'turn',
      ...target,
      promptId: 'received_at',
      event: 'answer',
      date: '2026-11-28',
      time: '08:00',
    });
    expect(clientEventOf(submit as never, 'datetime', 'America/Los_Angeles')).toMatchObject({
      value: '2026-11-28T16:00:00.000Z',
    });
  });

  it('refuses submissions that are not ours', () => {
    expect(
      CardSubmit.safeParse({ kind: 'turn', conversationId: 'x', expectedVersion: 1, event: 'answer' })
        .success,
    ).toBe(false);
    expect(CardSubmit.safeParse({ kind: 'deleteEverything' }).success).toBe(false);
  });
});

describe('a task as a card', () => {
  it('shows the duty, its legal basis and due time, and a "mark done" form that asks for the evidence', () => {
    const { content } = taskCard(
      {
        id: `${target.conversationId}.r-report-1`,
        title: 'Report to law enforcement',
        requirementId: 'R-REPORT-1',
        citation: 'WIC § 16501.35',
        dueAt: '2026-11-29T17:00:00.000Z',
      },
      'en',
      'Reminder',
    );
    const body = JSON.stringify(content);
    expect(body).toContain('R-REPORT-1');
    expect(body).toContain('Nov 29, 2026');
    const [markDone] = actionsOf(content);
    expect(markDone!.type).toBe('Action.ShowCard');
    const save = markDone!.card!.actions[0]!;
    expect(
      CardSubmit.parse({
        ...save.data,
        agency: 'Sheriff',
        referenceNumber: 'R-1',
        date: '2026-11-28',
        time: '10:00',
      }),
    ).toMatchObject({ kind: 'completeTask' });
  });
});
