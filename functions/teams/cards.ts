import type { Locale } from '#flows/i18n.ts';
import type { PausedPrompt, Prompt } from '#flows/prompt.ts';
import type { UnfinishedConversation } from '../domain/views.ts';

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
    skip: 'Skip',
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
    required: 'Please fill this in.',
    paused: 'Paused',
    updated: 'updated {at}',
    othersHeading: 'Your other unfinished conversations',
    othersHint: 'Send **resume 2** (its number) or press its button to pick one up.',
    more: 'and {count} more',
    flows: {
      'cse-screening': 'CSE screening',
      'partner-cse-screening': 'CSE screening',
      'missing-from-care': 'Missing-from-care report',
      'runaway-return': 'Runaway-return interview',
      'custody-check': 'Custody check (WIC § 305)',
    } as Record<string, string>,
  },
  es: {
    question: 'Pregunta {n} de {of}',
    send: 'Enviar',
    skip: 'Omitir',
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
    required: 'Complete este campo, por favor.',
    paused: 'En pausa',
    updated: 'actualizada el {at}',
    othersHeading: 'Sus otras conversaciones sin terminar',
    othersHint: 'Envíe **continuar 2** (su número) o pulse su botón para retomarla.',
    more: 'y {count} más',
    flows: {
      'cse-screening': 'Evaluación de ESC',
      'partner-cse-screening': 'Evaluación de ESC',
      'missing-from-care': 'Informe de desaparición del cuidado',
      'runaway-return': 'Entrevista de regreso',
      'custody-check': 'Verificación de custodia (WIC § 305)',
    } as Record<string, string>,
  },
} as const;
export type CardWords = Omit<Record<keyof (typeof words)['en'], string>, 'flows'> & {
  flows: Record<string, string>;
};
export const cardWords = (locale: Locale): CardWords => words[locale];

export const card = (body: unknown[], actions: unknown[] = []): Attachment => ({
  contentType: ADAPTIVE_CARD,
  content: {
    type: 'AdaptiveCard',
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    version: '1.5',
    body,
    ...(actions.length > 0 ? { actions } : {}),
  },
});

export const text = (value: string, extra: Record<string, unknown> = {}) => ({
  type: 'TextBlock',
  text: value,
  wrap: true,
  ...extra,
});

interface TurnTarget {
  conversationId: string;
  expectedVersion: number;
}

export const submit = (title: string, data: Record<string, unknown>, style?: 'positive') => ({
  type: 'Action.Submit',
  title,
  data,
  ...(style ? { style } : {}),
});

/**
 * Issue 20: who answers a prompt. `youth`: asked of the youth, who may decline ("Prefer not to say / skip");
 * `professional`: a checklist the screener fills in about the youth from what they know, where declining is
 * just "Skip". Read from the prompt when the flow marks it (`audience`), else from the channel that knows.
 */
export type PromptAudience = 'youth' | 'professional';

export interface PromptCardOptions {
  /** Who answers, when the prompt itself does not say; the flow's own words (`youth`) otherwise. */
  audience?: PromptAudience;
}

/** The card for the current prompt: the question, its answers, and unknown / skip / back / pause. */
export function promptCard(
  prompt: Prompt,
  target: TurnTarget,
  locale: Locale,
  options: PromptCardOptions = {},
): Attachment {
  const w = words[locale];
  const audience = (prompt as Prompt & { audience?: PromptAudience }).audience ?? options.audience ?? 'youth';
  const skipLabel = audience === 'professional' ? w.skip : prompt.actions.skip;
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
  if (prompt.skippable) actions.push(submit(skipLabel, turn('skip')));
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

/** A moment as California's screeners read it: a date and a time, Pacific. */
export const pacificTime = (iso: string, locale: Locale) =>
  `${new Date(iso).toLocaleString(locale === 'es' ? 'es-US' : 'en-US', {
    timeZone: 'America/Los_Angeles',
    dateStyle: 'medium',
    timeStyle: 'short',
  })} (Pacific)`;

const due = (task: TaskSummary, locale: Locale) =>
  `${words[locale].due} ${pacificTime(task.dueAt, locale)}${task.overdue ? ` · ${words[locale].overdue}` : ''}`;

/** "Mark done" opens the evidence form inside the card: the law asks who was told, and when. */
function markDone(task: TaskSummary, locale: Locale) {
  const w = words[locale];
  return {
    type: 'Action.ShowCard',
    title: w.markDone,
    card: {
      type: 'AdaptiveCard',
      body: [
        { type: 'Input.Text', id: 'agency', label: w.agency, maxLength: 200 },
        { type: 'Input.Text', id: 'referenceNumber', label: w.reference, maxLength: 100 },
        { type: 'Input.Date', id: 'date', label: `${w.reportedAt} (${w.date})` },
        { type: 'Input.Time', id: 'time', label: `${w.reportedAt} (${w.time})` },
      ].map((input) => ({ ...input, isRequired: true, errorMessage: w.required })),
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

/** A flow's name in the user's language; a flow this list does not know yet goes by its id. */
export const flowName = (flow: string, locale: Locale) => words[locale].flows[flow] ?? flow;

/** Where an unfinished conversation stands: its question, or paused. */
export function positionOf(unfinished: UnfinishedConversation, locale: Locale): string {
  const w = words[locale];
  if (!unfinished.position) return w.paused;
  const { section, progress } = unfinished.position;
  return `${section} · ${w.question.replace('{n}', String(progress.n)).replace('{of}', String(progress.of))}`;
}

/** How many unfinished conversations the list shows; `resume <n>` reaches the rest. */
export const UNFINISHED_SHOWN = 10;

/**
 * Issue 17: the caller's other unfinished conversations, whichever channel started them, numbered as
 * `resume <n>` takes them (1 is the one just resumed), each with a button that resumes it.
 */
export function unfinishedCard(
  others: ReadonlyArray<{ number: number; conversation: UnfinishedConversation }>,
  locale: Locale,
): Attachment {
  const w = words[locale];
  const shown = others.slice(0, UNFINISHED_SHOWN);
  return card([
    text(w.othersHeading, { weight: 'Bolder' }),
    text(w.othersHint, { isSubtle: true }),
    ...shown.map(({ number, conversation }) => ({
      type: 'Container',
      separator: true,
      items: [
        text(`${number}. ${flowName(conversation.flow, locale)} · ${conversation.subjectRef}`, {
          weight: 'Bolder',
        }),
        text(
          `${positionOf(conversation, locale)} · ${w.updated.replace('{at}', pacificTime(conversation.updatedAt, locale))}`,
          { isSubtle: true, spacing: 'None' },
        ),
        {
          type: 'ActionSet',
          actions: [submit(`${w.resume} ${number}`, { kind: 'resume', conversationId: conversation.id })],
        },
      ],
    })),
    ...(others.length > shown.length
      ? [text(w.more.replace('{count}', String(others.length - shown.length)), { isSubtle: true })]
      : []),
  ]);
}
