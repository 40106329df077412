import type { Locale } from '#flows/i18n.ts';
import type { TaskView } from '#functions/api/responses.ts';
import { type ApiReply, createApiClient, EndedError } from './api.ts';
import { reasonFor, say, type WidgetWord } from './words.ts';

/**
 * Issue 17: "My tasks", the shelter staff's own open reporting tasks (and their unit queue's), most urgent
 * first. Each says in words how much time is left or how late it is (colour and an icon only repeat it),
 * what the law asks and why, and is completed with evidence or cancelled with a reason right where it is.
 * The list reads itself again every so often, so a task opened elsewhere shows up without a reload.
 */

type Task = Pick<
  TaskView,
  | 'id'
  | 'title'
  | 'description'
  | 'details'
  | 'requirementId'
  | 'citation'
  | 'obligation'
  | 'subjectRef'
  | 'receivedAt'
  | 'dueAt'
  | 'overdue'
  | 'status'
  | 'routedTo'
>;

export interface TasksPanelOptions {
  base: string;
  locale: Locale;
  getToken: () => string | null | Promise<string | null>;
  /** Issue 18: a new token after a 401 (refresh token grant), tried once per request before giving up. */
  refreshToken?: () => Promise<string | null>;
  /** How often the list is read again while signed in. */
  refreshMs: number;
  /** Ids unique on the host page. */
  uid: string;
  onUnauthenticated: () => void;
  /** The number of open tasks changed (for the tab's label). */
  onCount: (open: number, overdue: number) => void;
  fetch?: typeof fetch;
}

export interface TasksPanel {
  element: HTMLElement;
  /** Reads the list again now (the tab was opened, or the user asked). */
  refresh(): Promise<void>;
  /** Stops the polling and every request, and clears what was shown. */
  end(): void;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const MAX_PAGES = 3;

const tag = (locale: Locale) => (locale === 'es' ? 'es-US' : 'en-US');

export function formatDateTime(iso: string, locale: Locale): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(tag(locale), {
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
  }).format(date);
}

/** A length of time in words: minutes under 90 minutes, hours under two days, then days. */
export function formatDuration(ms: number, locale: Locale): string {
  const abs = Math.abs(ms);
  const [value, unit] =
    abs < 90 * MINUTE
      ? [Math.max(1, Math.round(abs / MINUTE)), 'minute']
      : abs < 2 * DAY
        ? [Math.round(abs / HOUR), 'hour']
        : [Math.round(abs / DAY), 'day'];
  return new Intl.NumberFormat(tag(locale), { style: 'unit', unit, unitDisplay: 'long' }).format(value);
}

export type Tone = 'overdue' | 'soon' | 'later';

/**
 * "Overdue by 6 hours", "Due in 3 hours". The server's `overdue` decides the side of the deadline, so a
 * computer with a wrong clock never shows an overdue report as not yet due; the clock only sizes the amount.
 */
export function dueWords(
  task: Pick<Task, 'dueAt' | 'overdue'>,
  now: number,
  locale: Locale,
): { tone: Tone; text: string } {
  const left = Date.parse(task.dueAt) - now;
  if (task.overdue)
    return {
      tone: 'overdue',
      text:
        left < 0
          ? say(locale, 'overdueBy', { amount: formatDuration(left, locale) })
          : say(locale, 'overdueNow'),
    };
  if (left <= MINUTE) return { tone: 'soon', text: say(locale, 'dueNow') };
  return {
    tone: left <= DAY ? 'soon' : 'later',
    text: say(locale, 'dueIn', { amount: formatDuration(left, locale) }),
  };
}

export const byUrgency = (a: Task, b: Task) =>
  Number(b.overdue) - Number(a.overdue) || a.dueAt.localeCompare(b.dueAt);

/** The value a datetime-local input needs for an instant, in this computer's time zone. */
function toLocalInputValue(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

function fromLocalInputValue(value: string): string | null {
  if (!value) return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}

type Props = Record<string, string | boolean | undefined>;

function el<K extends keyof HTMLElementTagNameMap>(
  name: K,
  props: Props = {},
  ...children: (Node | string | null | undefined)[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(name);
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === false) continue;
    if (key === 'className') element.className = String(value);
    else if (key === 'text') element.textContent = String(value);
    else element.setAttribute(key, value === true ? '' : value);
  }
  for (const child of children) if (child !== null && child !== undefined) element.append(child);
  return element;
}

export function createTasksPanel(options: TasksPanelOptions): TasksPanel {
  const { locale, uid } = options;
  const t = (key: WidgetWord, values?: Record<string, string | number>) => say(locale, key, values);
  const abort = new AbortController();
  const api = createApiClient({
    base: options.base,
    getToken: options.getToken,
    ...(options.refreshToken ? { refreshToken: options.refreshToken } : {}),
    signal: abort.signal,
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });

  let ended = false;
  let loaded = false;
  let loading: Promise<void> | null = null;
  let timer: ReturnType<typeof setInterval> | undefined;
  let tasks: Task[] = [];
  const known = new Set<string>();
  /** Cards by task id, kept across refreshes so a form being filled in keeps what was typed. */
  const cards = new Map<string, HTMLLIElement>();
  let serial = 0;
  const nextId = (name: string) => {
    serial += 1;
    return `${uid}-${name}-${serial}`;
  };

  const headingId = `${uid}-tasks-heading`;
  const heading = el('h3', { id: headingId, className: 'cse-widget__tasks-heading', tabindex: '-1' });
  heading.textContent = t('tasksHeading');
  const intro = el('p', { className: 'cse-widget__hint', text: t('tasksIntro') });
  const updated = el('span', { className: 'cse-widget__updated' });
  const refreshButton = el('button', {
    type: 'button',
    className: 'cse-widget__secondary',
    text: t('refresh'),
  });
  // What happened (saved, cancelled, a new task): said once, politely, and kept on screen.
  const status = el('p', { className: 'cse-widget__status', role: 'status' });
  const problem = el('p', { className: 'cse-widget__error', role: 'alert' });
  const empty = el('p', { className: 'cse-widget__empty', text: t('tasksLoading') });
  const list = el('ul', { className: 'cse-widget__tasks', 'aria-labelledby': headingId });
  const element = el(
    'div',
    { className: 'cse-widget__tasks-view' },
    heading,
    intro,
    el('div', { className: 'cse-widget__tasks-meta' }, updated, refreshButton),
    status,
    problem,
    empty,
    list,
  );
  refreshButton.addEventListener('click', () => void refresh(false));

  const isEditing = (card: HTMLElement) => card.dataset.editing === 'true';
  const signatureOf = (task: Task) =>
    JSON.stringify([task.title, task.dueAt, task.overdue, task.routedTo, task.details, task.status]);

  function dueBadge(task: Task): HTMLElement {
    const { tone, text } = dueWords(task, Date.now(), locale);
    // The words carry the urgency; the colour and the icon only repeat them.
    return el(
      'span',
      { className: `cse-widget__due cse-widget__due--${tone}` },
      tone === 'overdue' ? el('span', { 'aria-hidden': 'true', text: '⚠ ' }) : null,
      text,
    );
  }

  function facts(task: Task): HTMLElement {
    const rows: [string, string][] = [
      [t('requirement'), task.requirementId],
      [t('citation'), task.citation],
      [t('caseRef'), task.subjectRef],
      [t('obligation'), t(task.obligation === 'policy' ? 'policy' : 'statute')],
    ];
    return el(
      'dl',
      { className: 'cse-widget__facts' },
      ...rows.flatMap(([term, value]) => [el('dt', { text: term }), el('dd', { text: value })]),
    );
  }

  function reply(result: ApiReply): string | null {
    if (result.status === 401) {
      options.onUnauthenticated();
      return null;
    }
    if (result.status === 404 || result.status === 409) {
      void refresh(true);
      return t('taskGone');
    }
    return t('taskFailed', { reason: reasonFor(locale, result.status, result.body?.error?.code, 'task') });
  }

  /** A task left the list: say so, and put the keyboard somewhere sensible. */
  function settled(task: Task, message: string) {
    cards.get(task.id)?.remove();
    cards.delete(task.id);
    tasks = tasks.filter((candidate) => candidate.id !== task.id);
    status.textContent = message;
    render();
    heading.focus();
  }

  function toggleForm(
    card: HTMLElement,
    trigger: HTMLButtonElement,
    build: (close: () => void) => HTMLFormElement,
  ) {
    const slot = card.querySelector<HTMLElement>('.cse-widget__task-form')!;
    const opening = trigger.getAttribute('aria-expanded') !== 'true';
    for (const other of card.querySelectorAll('[aria-expanded]'))
      other.setAttribute('aria-expanded', 'false');
    slot.replaceChildren();
    slot.hidden = !opening;
    card.dataset.editing = opening ? 'true' : '';
    if (!opening) {
      trigger.focus();
      return;
    }
    trigger.setAttribute('aria-expanded', 'true');
    const form = build(() => toggleForm(card, trigger, build));
    slot.append(form);
    form.querySelector<HTMLElement>('input, textarea')?.focus();
  }

  function labelled(label: string, control: HTMLInputElement | HTMLTextAreaElement): HTMLElement {
    const id = nextId('field');
    control.id = id;
    return el('div', { className: 'cse-widget__field' }, el('label', { for: id, text: label }), control);
  }

  function formShell(
    title: string,
    submitLabel: string,
    close: () => void,
    fields: HTMLElement[],
    onSubmit: () => Promise<string | null>,
  ): HTMLFormElement {
    const titleId = nextId('form');
    const error = el('p', { className: 'cse-widget__error', role: 'alert' });
    const submit = el('button', { type: 'submit', className: 'cse-widget__primary', text: submitLabel });
    const closeButton = el('button', {
      type: 'button',
      className: 'cse-widget__secondary',
      text: t('closeForm'),
    });
    closeButton.addEventListener('click', close);
    const form = el(
      'form',
      { className: 'cse-widget__form', 'aria-labelledby': titleId },
      el('h5', { id: titleId, text: title }),
      ...fields,
      error,
      el('div', { className: 'cse-widget__actions' }, submit, closeButton),
    );
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      if (submit.disabled) return;
      error.textContent = '';
      submit.disabled = true;
      // On failure the reason shows beside the form and everything typed stays where it was.
      const message = await onSubmit().catch((failure: unknown) => {
        if (failure instanceof EndedError) return null;
        return t('taskFailed', { reason: t('reasonOther') });
      });
      submit.disabled = false;
      if (message) error.textContent = message;
    });
    form.addEventListener('keydown', (event) => {
      // Escape closes the form (twice quickly is still the widget's quick exit).
      if (event.key === 'Escape') close();
    });
    return form;
  }

  const evidenceForm = (task: Task) => (close: () => void) => {
    const agency = el('input', { name: 'agency', required: true, maxlength: '200', autocomplete: 'off' });
    const reference = el('input', {
      name: 'referenceNumber',
      required: true,
      maxlength: '100',
      autocomplete: 'off',
    });
    // Starts at now, the usual case; the server refuses a time in the future.
    const when = el('input', { type: 'datetime-local', name: 'reportedAt', required: true });
    when.value = toLocalInputValue(new Date());
    return formShell(
      t('evidenceHeading'),
      t('saveDone'),
      close,
      [
        labelled(t('agency'), agency),
        labelled(t('referenceNumber'), reference),
        labelled(t('reportedAt'), when),
      ],
      async () => {
        const reportedAt = fromLocalInputValue(when.value);
        if (!reportedAt) return t('badTime');
        const evidence = { agency: agency.value.trim(), referenceNumber: reference.value.trim(), reportedAt };
        const result = await api.send('POST', `/tasks/${encodeURIComponent(task.id)}/complete`, { evidence });
        if (result.status !== 200) return reply(result);
        const onTime = result.body?.metDeadline !== false;
        settled(task, t(onTime ? 'doneOnTime' : 'doneLate', { title: task.title }));
        return null;
      },
    );
  };

  const cancelForm = (task: Task) => (close: () => void) => {
    const reason = el('textarea', { name: 'reason', required: true, maxlength: '1000', rows: '3' });
    return formShell(
      t('cancelHeading'),
      t('saveCancel'),
      close,
      [labelled(t('reason'), reason)],
      async () => {
        const result = await api.send('POST', `/tasks/${encodeURIComponent(task.id)}/cancel`, {
          reason: reason.value.trim(),
        });
        if (result.status !== 200) return reply(result);
        settled(task, t('cancelled', { title: task.title }));
        return null;
      },
    );
  };

  async function take(task: Task, card: HTMLElement) {
    const result = await api.send('POST', `/tasks/${encodeURIComponent(task.id)}/claim`);
    if (result.status !== 200) {
      const message = reply(result);
      if (message) card.querySelector('.cse-widget__card-error')!.textContent = message;
      return;
    }
    status.textContent = t('taken', { title: task.title });
    cards.delete(task.id);
    await refresh(true);
  }

  function buildCard(task: Task): HTMLLIElement {
    const titleId = nextId('task');
    const { tone } = dueWords(task, Date.now(), locale);
    const card = el('li', { className: `cse-widget__task cse-widget__task--${tone}` });
    card.dataset.taskId = task.id;
    card.dataset.signature = signatureOf(task);
    card.setAttribute('aria-labelledby', titleId);
    const routed =
      task.routedTo?.kind === 'queue'
        ? el('p', { text: t('routedQueue', { unit: task.routedTo.unit }) })
        : task.routedTo?.kind === 'supervisors'
          ? el('p', { text: t('routedSupervisors', { unit: task.routedTo.unit }) })
          : null;
    const needs = [task.description, ...(task.details ?? [])].filter(Boolean);
    const parts: (HTMLElement | null)[] = [
      el('h4', { id: titleId, text: task.title }),
      el(
        'p',
        { className: 'cse-widget__due-line' },
        dueBadge(task),
        el('span', { text: ` · ${t('dueAt', { date: formatDateTime(task.dueAt, locale) })}` }),
      ),
      facts(task),
      el('p', { className: 'cse-widget__needs-title', text: t('needs') }),
      el('ul', { className: 'cse-widget__needs' }, ...needs.map((line) => el('li', { text: line }))),
      el('p', {
        className: 'cse-widget__received',
        text: t('receivedAt', { date: formatDateTime(task.receivedAt, locale) }),
      }),
      routed,
      el('p', { className: 'cse-widget__error cse-widget__card-error', role: 'alert' }),
    ];
    card.append(...parts.filter((part): part is HTMLElement => part !== null));
    const actions = el('div', { className: 'cse-widget__actions' });
    // Each button says which task it acts on (the title), without repeating the title in its name.
    const describe = <T extends HTMLElement>(control: T) => {
      control.setAttribute('aria-describedby', titleId);
      return control;
    };
    const formSlotId = nextId('form-slot');
    if (task.routedTo?.kind === 'queue') {
      const takeButton = describe(
        el('button', { type: 'button', className: 'cse-widget__primary', text: t('takeIt') }),
      );
      takeButton.addEventListener('click', () => void take(task, card));
      actions.append(takeButton);
    }
    const forms: [WidgetWord, (close: () => void) => HTMLFormElement, boolean][] = [
      ['markDone', evidenceForm(task), task.routedTo?.kind !== 'queue'],
      ['cancelTask', cancelForm(task), false],
    ];
    for (const [label, build, primary] of forms) {
      const trigger = describe(
        el('button', {
          type: 'button',
          className: primary ? 'cse-widget__primary' : 'cse-widget__secondary',
          text: t(label),
          'aria-expanded': 'false',
          'aria-controls': formSlotId,
        }),
      );
      trigger.addEventListener('click', () => toggleForm(card, trigger, build));
      actions.append(trigger);
    }
    const slot = el('div', { className: 'cse-widget__task-form', id: formSlotId });
    slot.hidden = true;
    card.append(actions, slot);
    return card;
  }

  function refreshDue(card: HTMLElement, task: Task) {
    card.querySelector('.cse-widget__due')?.replaceWith(dueBadge(task));
    card.className = `cse-widget__task cse-widget__task--${dueWords(task, Date.now(), locale).tone}`;
  }

  function render() {
    const wanted = tasks.map((task) => {
      const existing = cards.get(task.id);
      if (existing && (existing.dataset.signature === signatureOf(task) || isEditing(existing))) {
        refreshDue(existing, task);
        return existing;
      }
      const card = buildCard(task);
      cards.set(task.id, card);
      return card;
    });
    // A card being filled in stays even if its task left the list elsewhere: saving then says why.
    const editing = [...cards.values()].filter((card) => isEditing(card) && !wanted.includes(card));
    for (const [id, card] of [...cards]) if (!wanted.includes(card) && !isEditing(card)) cards.delete(id);
    const next = [...wanted, ...editing];
    for (const child of [...list.children]) if (!next.includes(child as HTMLLIElement)) child.remove();
    const same =
      next.length === list.children.length && next.every((card, index) => list.children[index] === card);
    // Moving a card would drop the focus inside it: reorder only while nobody is typing.
    if (!same && !next.some(isEditing)) list.replaceChildren(...next);
    else if (!same) for (const card of next) if (!card.isConnected) list.append(card);
    empty.textContent = t('tasksNone');
    empty.hidden = next.length > 0;
    options.onCount(tasks.length, tasks.filter((task) => task.overdue).length);
  }

  async function load(background: boolean): Promise<void> {
    const found: Task[] = [];
    let cursor: string | null = null;
    for (let page = 0; page < MAX_PAGES; page += 1) {
      const query = new URLSearchParams({ status: 'open', scope: 'mine', limit: '100' });
      if (cursor) query.set('cursor', cursor);
      const result = await api.send('GET', `/tasks?${query}`);
      if (ended) return;
      if (result.status === 401) return options.onUnauthenticated();
      if (result.status !== 200) {
        if (!background || !loaded)
          problem.textContent = t('tasksFailed', {
            reason: reasonFor(locale, result.status, result.body?.error?.code, 'task'),
          });
        return;
      }
      found.push(...(result.body.tasks as Task[]));
      cursor = result.body.cursor ?? null;
      if (!cursor) break;
    }
    problem.textContent = '';
    const fresh = found.filter((task) => !known.has(task.id));
    for (const task of found) known.add(task.id);
    tasks = found.sort(byUrgency);
    render();
    updated.textContent = t('tasksUpdated', {
      time: new Intl.DateTimeFormat(tag(locale), { hour: '2-digit', minute: '2-digit' }).format(new Date()),
    });
    // A task that arrived since the last look is announced once; the first read announces nothing.
    if (loaded && fresh.length > 0)
      status.textContent = fresh
        .map((task) => t('newTask', { title: task.title, due: dueWords(task, Date.now(), locale).text }))
        .join(' ');
    loaded = true;
  }

  function refresh(background: boolean): Promise<void> {
    if (ended) return Promise.resolve();
    loading ??= load(background)
      .catch((error: unknown) => {
        if (!(error instanceof EndedError))
          problem.textContent = t('tasksFailed', { reason: t('reasonOther') });
      })
      .finally(() => {
        loading = null;
      });
    return loading;
  }

  timer = setInterval(() => void refresh(true), Math.max(options.refreshMs, 1000));
  void refresh(true);

  return {
    element,
    refresh: () => refresh(false),
    end() {
      if (ended) return;
      ended = true;
      clearInterval(timer);
      abort.abort();
      tasks = [];
      cards.clear();
      known.clear();
      element.replaceChildren();
    },
  };
}
