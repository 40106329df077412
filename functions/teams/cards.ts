import type { Locale } from '#flows/i18n.ts';
import type { PausedPrompt, Prompt } from '#flows/prompt.ts';

/**
 * Prompts as Adaptive Cards 1.5 (the newest version Teams renders). Every button submits a small object
 * (`CardSubmit` in card-actions.ts) that names the conversation and the version the card showed, so a
 * press on an old card is a stale turn, never an answer to a different question.
 */
export const ADAPTIVE_CARD = 'application/vnd.microsoft.card.adaptive';

export interface Attachment {
  contentType: typeof ADAPTIVE_CARD;
  content: Record<string, unknown>;
}

const words = {
  en: {
    question: 'Question {n} of {of}',
    send: 'Send',
    note: 'Note (optional)',
    date: 'Date',
    time: 'Time',
    resume: 'Resume',
    done: 'Done',
    tasks: 'Reporting tasks opened',
    none: 'No reporting task is owed.',
    due: 'Due',
    overdue: 'OVERDUE',
    markDone: 'Mark done',
    agency: 'Agency reported to',
    reference: 'Report or reference number',
    reportedAt: 'When it was reported',
    save: 'Save',
  },
  es: {
    question: 'Pregunta {n} de {of}',
    send: 'Enviar',
    note: 'Nota (opcional)',
    date: 'Fecha',
    time: 'Hora',
    resume: 'Continuar',
    done: 'Listo',
    tasks: 'Tareas de informe abiertas',
    none: 'No se debe ningún informe.',
    due: 'Vence',
    overdue: 'VENCIDA',
    markDone: 'Marcar como hecha',
    agency: 'Agencia a la que se informó',
    reference: 'Número de informe o referencia',
    reportedAt: 'Cuándo se informó',
    save: 'Guardar',
  },
} as const;
export type CardWords = Record<keyof (typeof words)['en'], string>;
export const cardWords = (locale: Locale): CardWords => words[locale];

const card = (body: unknown[], actions: unknown[] = []): Attachment => ({
  contentType: ADAPTIVE_CARD,
  content: {
    type: 'AdaptiveCard',
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    version: '1.5',
    body,
    ...(actions.length > 0 ? { actions } : {}),
  },
});

const text = (value: string, extra: Record<string, unknown> = {}) => ({
  type: 'TextBlock',
  text: value,
  wrap: true,
  ...extra,
});

interface TurnTarget {
  conversationId: string;
  expectedVersion: number;
}

const submit = (title: string, data: Record<string, unknown>, style?: 'positive') => ({
  type: 'Action.Submit',
  title,
  data,
  ...(style ? { style } : {}),
});

/** The card for the current prompt: the question, its answers, and unknown / skip / back / pause. */
export function promptCard(prompt: Prompt, target: TurnTarget, locale: Locale): Attachment {
  const w = words[locale];
  const turn = (event: string, extra: Record<string, unknown> = {}) => ({
    kind: 'turn',
    ...target,
    promptId: prompt.id,
    // The kind says how the submitted input is read (a list, a zoned time), without another read of the state.
    promptKind: prompt.kind,
    event,
    ...extra,
  });
  const body: unknown[] = [
    text(
      `${prompt.section} · ${w.question.replace('{n}', String(prompt.progress.n)).replace('{of}', String(prompt.progress.of))}`,
      {
        isSubtle: true,
        size: 'Small',
      },
    ),
    text(prompt.text, { weight: 'Bolder' }),
    ...(prompt.help ? [text(prompt.help, { isSubtle: true })] : []),
  ];
  const actions: unknown[] = [];
  if (prompt.kind === 'choice') {
    for (const choice of prompt.choices ?? [])
      actions.push(submit(choice.label, turn('answer', { value: choice.id })));
  } else if (prompt.kind === 'multichoice') {
    body.push({
      type: 'Input.ChoiceSet',
      id: 'value',
      isMultiSelect: true,
      style: 'expanded',
      label: prompt.text,
      choices: (prompt.choices ?? []).map((choice) => ({ title: choice.label, value: choice.id })),
    });
    actions.push(submit(w.send, turn('answer'), 'positive'));
  } else if (prompt.kind === 'text') {
    body.push({ type: 'Input.Text', id: 'value', isMultiline: true, maxLength: 1000, label: prompt.text });
    actions.push(submit(w.send, turn('answer'), 'positive'));
  } else {
    body.push(
      { type: 'Input.Date', id: 'date', label: w.date },
      { type: 'Input.Time', id: 'time', label: w.time },
    );
    actions.push(submit(w.send, turn('answer'), 'positive'));
  }
  if (prompt.allowsNote) body.push({ type: 'Input.Text', id: 'note', maxLength: 1000, label: w.note });
  if (prompt.allowsUnknown) actions.push(submit(prompt.actions.unknown, turn('unknown')));
  if (prompt.skippable) actions.push(submit(prompt.actions.skip, turn('skip')));
  if (prompt.canGoBack) actions.push(submit(prompt.actions.back, turn('back')));
  actions.push(submit(prompt.actions.pause, turn('pause')));
  return card(body, actions);
}

export function pausedCard(paused: PausedPrompt, target: TurnTarget): Attachment {
  return card(
    [text(paused.text)],
    [submit(paused.resume, { kind: 'turn', ...target, event: 'resume' }, 'positive')],
  );
}

export interface TaskSummary {
  id: string;
  title: string;
  requirementId: string;
  citation: string;
  dueAt: string;
  overdue?: boolean;
  status?: string;
}

const due = (task: TaskSummary, locale: Locale) =>
  `${words[locale].due} ${new Date(task.dueAt).toLocaleString(locale === 'es' ? 'es-US' : 'en-US', {
    timeZone: 'America/Los_Angeles',
    dateStyle: 'medium',
    timeStyle: 'short',
  })} (Pacific)${task.overdue ? ` · ${words[locale].overdue}` : ''}`;

/** "Mark done" opens the evidence form inside the card: the law asks who was told, and when. */
function markDone(task: TaskSummary, locale: Locale) {
  const w = words[locale];
  return {
    type: 'Action.ShowCard',
    title: w.markDone,
    card: {
      type: 'AdaptiveCard',
      body: [
        { type: 'Input.Text', id: 'agency', label: w.agency, isRequired: true, maxLength: 200 },
        { type: 'Input.Text', id: 'referenceNumber', label: w.reference, isRequired: true, maxLength: 100 },
        { type: 'Input.Date', id: 'date', label: `${w.reportedAt} (${w.date})`, isRequired: true },
        { type: 'Input.Time', id: 'time', label: `${w.reportedAt} (${w.time})`, isRequired: true },
      ],
      actions: [submit(w.save, { kind: 'completeTask', taskId: task.id }, 'positive')],
    },
  };
}

export function taskCard(task: TaskSummary, locale: Locale, heading?: string): Attachment {
  return card(
    [
      ...(heading ? [text(heading, { weight: 'Bolder', color: 'Attention' })] : []),
      text(task.title, { weight: 'Bolder' }),
      text(`${task.requirementId} · ${task.citation}`, { isSubtle: true }),
      text(due(task, locale)),
    ],
    task.status === undefined || task.status === 'open' ? [markDone(task, locale)] : [],
  );
}

export function outcomeCard(
  outcome: { notices?: unknown; proposal?: { label?: unknown }; determinationLabel?: unknown },
  tasks: readonly TaskSummary[],
  warnings: readonly string[],
  locale: Locale,
): Attachment {
  const w = words[locale];
  const notices = Array.isArray(outcome.notices) ? outcome.notices.filter((n) => typeof n === 'string') : [];
  return card([
    text(w.done, { weight: 'Bolder', size: 'Medium' }),
    ...(typeof outcome.determinationLabel === 'string' ? [text(outcome.determinationLabel)] : []),
    ...[...notices, ...warnings].map((notice) => text(notice, { color: 'Attention' })),
    text(tasks.length > 0 ? w.tasks : w.none, { weight: 'Bolder' }),
    ...tasks.map((task) => text(`• ${task.title}: ${task.requirementId}, ${due(task, locale)}`)),
  ]);
}
