import { describe, expect, it } from 'vitest';
import { createFlowCatalog } from '#flows/catalog.ts';
import { start, step, view } from '#flows/engine.ts';
import type { Prompt } from '#flows/prompt.ts';
import type { SupervisorBoard } from '#functions/domain/supervision.ts';
import { boardCard, durationWords, ownerWords } from '#functions/teams/board-card.ts';
import { CardSubmit, clientEventOf, validTimeZone, zonedToUtc } from '#functions/teams/card-actions.ts';
import {
  ADAPTIVE_CARD,
  outcomeCard,
  pausedCard,
  promptCard,
  taskCard,
  unfinishedCard,
} from '#functions/teams/cards.ts';
import { parseCommand } from '#functions/teams/commands.ts';
import { adaptiveCardProblems } from './adaptive-card.ts';

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
    // Issue 19 review: around daylight-saving changes, as Temporal's 'compatible' resolves them.
    expect(zonedToUtc('2026-03-08', '02:30', 'America/Los_Angeles')).toBe('2026-03-08T10:30:00.000Z'); // gap: 03:30 PDT
    expect(zonedToUtc('2026-03-08', '01:59', 'America/Los_Angeles')).toBe('2026-03-08T09:59:00.000Z');
    expect(zonedToUtc('2026-03-08', '03:00', 'America/Los_Angeles')).toBe('2026-03-08T10:00:00.000Z');
    expect(zonedToUtc('2026-11-01', '01:30', 'America/Los_Angeles')).toBe('2026-11-01T08:30:00.000Z'); // twice: the first
    expect(zonedToUtc('2026-11-01', '02:30', 'America/Los_Angeles')).toBe('2026-11-01T10:30:00.000Z');
    expect(zonedToUtc('2026-03-29', '02:30', 'Europe/Madrid')).toBe('2026-03-29T01:30:00.000Z'); // gap: 03:30 CEST
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

describe('issue 17: every card the bot sends is a valid Adaptive Card 1.5', () => {
  it('the first prompt of every flow, paused, a task and an outcome, in both languages', () => {
    const catalog = createFlowCatalog();
    for (const flowId of catalog.flowIds()) {
      const { flow } = catalog.current(flowId)!;
      for (const locale of ['en', 'es'] as const) {
        const snapshot = start(flow, { locale, startedAt: '2026-11-28T17:00:00Z' }).snapshot;
        const prompt = view(flow, snapshot, locale).prompt!;
        expect(adaptiveCardProblems(promptCard(prompt, target, locale).content), flowId).toEqual([]);
      }
    }
    const paused = pausedCard({ text: 'Paused.', resume: 'Resume' } as never, target);
    const task = {
      id: `${target.conversationId}.r-report-1`,
      title: 'Report to law enforcement',
      requirementId: 'R-REPORT-1',
      citation: 'Penal Code § 11166(j)',
      dueAt: '2026-11-29T17:00:00.000Z',
    };
    for (const attachment of [
      paused,
      taskCard(task, 'es', 'Recordatorio'),
      outcomeCard({ notices: ['A notice'] }, [task], ['A warning'], 'en'),
    ])
      expect(adaptiveCardProblems(attachment.content)).toEqual([]);
  });

  it('a card the schema refuses is caught: an unknown element, a colour that does not exist', () => {
    expect(
      adaptiveCardProblems({
        type: 'AdaptiveCard',
        version: '1.5',
        body: [{ type: 'TextBlock', text: 'x', color: 'Red' }, { type: 'Chart' }, { type: 'TextBlock' }],
      }),
    ).toHaveLength(3);
  });
});

const emptyWindow = { due: 0, onTime: 0, rate: null };
const quietBoard: SupervisorBoard = {
  summary: { open: 0, overdue: 0, done: 0, cancelled: 0, onTimeRate: null },
  onTime: { last30: emptyWindow, last90: emptyWindow },
  trend: [],
  byRequirement: [],
  byOwner: [],
  assignees: [{ kind: 'queue', unit: 'unit-1' }],
  tasks: [],
};

describe('issue 17: the board card', () => {
  it('with nothing due, says so rather than showing a rate', () => {
    const { content } = boardCard(quietBoard, 'unit-1', 'en', new Date('2026-11-28T17:00:00Z'));
    expect(adaptiveCardProblems(content)).toEqual([]);
    const body = JSON.stringify(content);
    expect(body).toContain('No deadlines due yet');
    expect(body).not.toContain('%');
  });

  it('a rate is a percentage of the deadlines due, with both counts, in the user’s language', () => {
    const board = {
      ...quietBoard,
      onTime: { last30: { due: 4, onTime: 3, rate: 0.75 }, last90: emptyWindow },
    };
    const en = JSON.stringify(boardCard(board, 'unit-1', 'en', new Date()).content);
    const es = JSON.stringify(boardCard(board, 'unit-1', 'es', new Date()).content);
    expect(en).toContain('75% on time (3 of 4 due)');
    expect(es).toMatch(/75\s?% a tiempo \(3 de 4 vencidos\)/);
    expect(es).toContain('Aún no vence ningún plazo');
  });

  it('says how long a task is overdue in words, and who holds it', () => {
    const minute = 60_000;
    expect(durationWords(0, 'en')).toBe('1 min');
    expect(durationWords(45 * minute, 'en')).toBe('45 min');
    expect(durationWords(6 * 60 * minute + 59 * minute, 'en')).toBe('6 h');
    expect(durationWords(47 * 60 * minute, 'es')).toBe('47 h');
    expect(durationWords(49 * 60 * minute, 'en')).toBe('2 days');
    expect(durationWords(30 * 24 * 60 * minute, 'es')).toBe('30 días');
    expect(ownerWords('queue:intake', 'en')).toBe('Unit queue (intake)');
    expect(ownerWords('supervisors:unit-1', 'es')).toBe('Supervisores (unit-1)');
    expect(ownerWords('caseworker-1', 'en')).toBe('caseworker-1');
  });
});

describe('issue 17: the list of unfinished conversations', () => {
  it('numbers each as `resume <n>` takes it, says where it stands and when it was touched, with a button', () => {
    const conversation = (
      id: string,
      position: { section: string; progress: { n: number; of: number } } | null,
    ) => ({
      id,
      flow: 'runaway-return',
      locale: 'en' as const,
      subjectRef: 'CASE-9',
      status: position ? ('active' as const) : ('paused' as const),
      version: 4,
      createdAt: '2026-12-03T16:00:00.000Z',
      updatedAt: '2026-12-03T16:11:00.000Z',
      position,
    });
    const { content } = unfinishedCard(
      [
        { number: 2, conversation: conversation(target.conversationId, null) },
        {
          number: 3,
          conversation: conversation('8f1d1a36-1b8c-4d0e-9d51-5a1f1f0e2a12', {
            section: 'Leaving',
            progress: { n: 2, of: 9 },
          }),
        },
      ],
      'es',
    );
    expect(adaptiveCardProblems(content)).toEqual([]);
    const body = JSON.stringify(content);
    expect(body).toContain('2. Entrevista de regreso · CASE-9');
    expect(body).toContain('En pausa · actualizada el 3 dic 2026');
    expect(body).toContain('Leaving · Pregunta 2 de 9');
    expect(body).toContain('"title":"Continuar 3"');
    expect(body).toContain(`{"kind":"resume","conversationId":"${target.conversationId}"}`);
    expect(CardSubmit.parse({ kind: 'resume', conversationId: target.conversationId })).toMatchObject({
      kind: 'resume',
    });
  });
});

describe('issue 17: the commands', () => {
  it('board and resume <n>, in English and Spanish, accents and case aside', () => {
    for (const word of ['board', 'Board', 'tablero', 'Tablero de la unidad', 'panel'])
      expect(parseCommand(word), word).toEqual({ kind: 'board' });
    expect(parseCommand('resume')).toEqual({ kind: 'resume' });
    expect(parseCommand('resume 2')).toEqual({ kind: 'resume', pick: 2 });
    expect(parseCommand('Continuar #3')).toEqual({ kind: 'resume', pick: 3 });
    expect(parseCommand('reanudar  12')).toEqual({ kind: 'resume', pick: 12 });
    expect(parseCommand('resume everything')).toEqual({ kind: 'unknown' });
  });
});
