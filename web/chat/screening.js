// The Screening view: start a conversation, continue an unfinished one, and the chat itself (one prompt
// at a time). Every answer is sent with a client-made event id, so a retry can never record it twice.
import { errorMessage, request } from './api.js';
import { $, button, el, field, hiddenText } from './dom.js';
import { formatDateTime, fromLocalInputValue } from './format.js';
import { t, ui } from './words.js';

/**
 * The conversation on screen, remembered for this tab so a reload or a new sign-in lands on the same
 * question. Only its id (not personal data) and whose it is; never answers or the case reference.
 */
const CURRENT = 'screening.current';

const state = { id: null, version: 0, locale: 'en', prompt: null, sub: null };
const w = (key, values) => t(key, values, state.locale);

export function rememberedConversation(sub) {
  try {
    const kept = JSON.parse(sessionStorage.getItem(CURRENT) ?? 'null');
    return kept && kept.sub === sub ? kept.id : null;
  } catch {
    return null;
  }
}

function remember(id) {
  sessionStorage.setItem(CURRENT, JSON.stringify({ id, sub: state.sub }));
}

function forget() {
  sessionStorage.removeItem(CURRENT);
  state.id = null;
  state.prompt = null;
}

/** Home: the start form and the unfinished list. Chat: the conversation alone, nothing to misclick. */
function showMode(mode) {
  $('#start').hidden = mode !== 'home';
  $('#unfinished').hidden = mode !== 'home';
  $('#chat').hidden = mode !== 'chat';
}

function say(role, text) {
  const item = el('li', { className: role }, role === 'you' ? hiddenText(`${w('you')}: `) : null, text);
  $('#log').append(item);
}

function setBusy(busy) {
  const box = $('#prompt');
  box.setAttribute('aria-busy', String(busy));
  for (const control of box.querySelectorAll('button, input, textarea')) control.disabled = busy;
}

async function send(event, echo) {
  // The same event id is reused on every retry of this one action.
  const body = { eventId: crypto.randomUUID(), expectedVersion: state.version, event };
  const asked = state.prompt;
  setBusy(true);
  const result = await request('POST', `/conversations/${state.id}/turns`, body);
  if (result.status === 401) return;
  if (result.status === 200) {
    // The question moves into the transcript only now, with its answer: on screen it is only ever once.
    if (asked) say('assistant', asked.text);
    if (echo) say('you', echo);
    return render(result.body);
  }
  setBusy(false);
  const error = result.body?.error;
  if (error?.code === 'version_conflict' && error.details) {
    // Another device moved this conversation on: show where it stands now, and say so.
    render({ ...error.details, outcome: error.details.outcome ?? null, tasks: [], warnings: [] });
  }
  $('#status').textContent = errorMessage(result);
}

function taskLine(task) {
  const due = `${w('due')} ${formatDateTime(task.dueAt, state.locale)}`;
  return [task.requirementId, task.title, task.citation, due, task.overdue ? w('overdue') : null]
    .filter(Boolean)
    .join(' · ');
}

/** A warning says which task it is about, by title and requirement, when the API names one. */
function warningText(warning, tasks) {
  const task = warning.taskId ? tasks.find((candidate) => candidate.id === warning.taskId) : null;
  return task
    ? `${w('aboutTask', { title: task.title, requirement: task.requirementId })}: ${warning.message}`
    : warning.message;
}

function renderOutcome(reply) {
  const { outcome, tasks = [], warnings = [] } = reply;
  const box = $('#prompt');
  box.append(el('h2', { tabIndex: -1, id: 'outcome-heading' }, w('done')));
  // Only screenings carry a proposal and a determination; every flow carries notices and tasks.
  if (outcome.proposal && outcome.determinationLabel) {
    box.append(
      el(
        'p',
        {},
        `${w('proposal')}: ${outcome.proposal.label} · ${w('determination')}: ${outcome.determinationLabel}`,
      ),
    );
  }
  for (const notice of outcome.notices ?? []) box.append(el('p', { className: 'warning' }, notice));
  for (const warning of warnings)
    box.append(el('p', { className: 'warning' }, '⚠ ', warningText(warning, tasks)));
  const list = el('div', { attrs: { role: 'group', 'aria-label': w('tasks') } });
  if (tasks.length === 0) list.textContent = w('none');
  for (const task of tasks)
    list.append(el('div', { className: task.overdue ? 'task overdue' : 'task' }, taskLine(task)));
  box.append(list);
}

function noteField(prompt) {
  if (!prompt.allowsNote) return { element: null, value: () => ({}) };
  const input = el('input', { type: 'text', maxLength: 1000, autocomplete: 'off' });
  return {
    element: field(w('note'), input),
    value: () => (input.value.trim() ? { note: input.value.trim() } : {}),
  };
}

function multichoiceForm(prompt, note) {
  const form = el('form');
  // Named by the question itself (aria-labelledby), so its text is in the page once.
  const group = el('fieldset', { attrs: { 'aria-labelledby': 'question' } });
  for (const choice of prompt.choices)
    group.append(el('label', {}, el('input', { type: 'checkbox', value: choice.id }), ` ${choice.label}`));
  form.append(group, el('button', { type: 'submit' }, w('send')));
  form.addEventListener('submit', (submitted) => {
    submitted.preventDefault();
    const chosen = [...group.querySelectorAll('input:checked')];
    if (chosen.length === 0) return;
    send(
      {
        type: 'answer.given',
        promptId: prompt.id,
        value: chosen.map((input) => input.value),
        ...note.value(),
      },
      chosen.map((input) => input.parentElement.textContent.trim()).join(', '),
    );
  });
  return form;
}

function choiceButtons(prompt, note) {
  const choices = el('div', { className: 'choices' });
  for (const choice of prompt.choices) {
    choices.append(
      button(choice.label, () =>
        send({ type: 'answer.given', promptId: prompt.id, value: choice.id, ...note.value() }, choice.label),
      ),
    );
  }
  return choices;
}

function textForm(prompt) {
  const form = el('form');
  const input = el('input', { required: true, attrs: { 'aria-labelledby': 'question' } });
  if (prompt.kind === 'datetime') input.type = 'datetime-local';
  else input.maxLength = 1000;
  form.append(input, el('button', { type: 'submit' }, w('send')));
  form.addEventListener('submit', (submitted) => {
    submitted.preventDefault();
    const value = prompt.kind === 'datetime' ? fromLocalInputValue(input.value) : input.value;
    if (!value) return;
    const echo = prompt.kind === 'datetime' ? formatDateTime(value, state.locale) : input.value;
    send({ type: 'answer.given', promptId: prompt.id, value }, echo);
  });
  return form;
}

function navButtons(prompt) {
  const nav = el('div', { className: 'nav' });
  const { actions } = prompt;
  if (prompt.allowsUnknown)
    nav.append(
      button(
        actions.unknown,
        () => send({ type: 'answer.unknown', promptId: prompt.id }, actions.unknown),
        true,
      ),
    );
  if (prompt.skippable)
    nav.append(
      button(actions.skip, () => send({ type: 'answer.skipped', promptId: prompt.id }, actions.skip), true),
    );
  if (prompt.canGoBack)
    nav.append(button(actions.back, () => send({ type: 'nav.back' }, actions.back), true));
  nav.append(button(actions.pause, () => send({ type: 'nav.pause' }, actions.pause), true));
  return nav;
}

function renderPrompt(prompt) {
  const box = $('#prompt');
  box.append(
    el('p', { className: 'progress' }, `${prompt.section} · ${w('question', prompt.progress)}`),
    // Focus goes to the question, so a screen reader reads it before the answers.
    el('p', { id: 'question', tabIndex: -1 }, prompt.text),
  );
  if (prompt.help) box.append(el('p', { className: 'help' }, prompt.help));
  // The note comes before the answers: a choice button sends at once, so the note must already be typed.
  const note = noteField(prompt);
  if (note.element) box.append(note.element);
  if (prompt.kind === 'multichoice') box.append(multichoiceForm(prompt, note));
  else if (prompt.kind === 'choice') box.append(choiceButtons(prompt, note));
  else box.append(textForm(prompt));
  box.append(navButtons(prompt));
}

function renderPaused(paused) {
  const box = $('#prompt');
  box.append(el('p', { id: 'question', tabIndex: -1 }, paused.text));
  box.append(button(paused.resume, () => send({ type: 'nav.resume' }, paused.resume)));
}

function render(reply) {
  const { conversation } = reply;
  state.version = conversation.version;
  state.locale = conversation.locale ?? state.locale;
  state.prompt = reply.prompt;
  const box = $('#prompt');
  box.replaceChildren();
  box.setAttribute('aria-busy', 'false');
  box.lang = state.locale;
  $('#log').lang = state.locale;
  // Which version is on screen, so assistive tooling and tests can tell a fresh prompt from the last one.
  box.dataset.version = String(conversation.version);
  $('#chat-case').textContent = t('caseLine', {
    subject: conversation.subjectRef,
    flow: t(`flows.${conversation.flow}`),
  });
  if (reply.prompt) renderPrompt(reply.prompt);
  else if (reply.paused) renderPaused(reply.paused);
  else if (reply.outcome) renderOutcome(reply);
  // Finished or paused: offer the way back to the start form and the unfinished list.
  $('#chat-after').hidden = Boolean(reply.prompt);
  (box.querySelector('#question, h2') ?? box).focus?.();
}

/** Shows a conversation from its first reply (created) or from GET /conversations/{id} (resumed). */
function showConversation(reply) {
  state.id = reply.conversation.id;
  remember(state.id);
  $('#log').replaceChildren();
  $('#status').textContent = '';
  showMode('chat');
  render(reply);
}

/** Loads a conversation by id and shows it where it stands: its prompt, paused, or its outcome. */
export async function openConversation(id) {
  showMode('chat');
  $('#prompt').replaceChildren(el('p', {}, t('loadingConversation')));
  const result = await request('GET', `/conversations/${encodeURIComponent(id)}`);
  if (result.status === 401) return;
  if (result.status === 200) return showConversation(result.body);
  forget();
  await showHome();
  $('#status').textContent = t('conversationGone');
}

function unfinishedItem(conversation) {
  const where = conversation.position
    ? t('position', { section: conversation.position.section, ...conversation.position.progress })
    : null;
  const meta = [
    conversation.status === 'paused' ? t('pausedStatus') : t('activeStatus'),
    where,
    t('updated', { date: formatDateTime(conversation.updatedAt) }),
  ]
    .filter(Boolean)
    .join(' · ');
  const open = button('', () => openConversation(conversation.id));
  open.append(t('continue'), hiddenText(` ${conversation.subjectRef}`));
  return el(
    'li',
    { className: 'unfinished-item' },
    el(
      'div',
      {},
      el(
        'p',
        { className: 'case' },
        el('strong', {}, conversation.subjectRef),
        ` · ${t(`flows.${conversation.flow}`)}`,
      ),
      el('p', { className: 'meta' }, meta),
    ),
    open,
  );
}

async function loadUnfinished() {
  const list = $('#unfinished-list');
  const result = await request('GET', '/conversations?status=unfinished');
  if (result.status !== 200) {
    list.replaceChildren(el('li', {}, errorMessage(result)));
    return;
  }
  const { conversations } = result.body;
  list.replaceChildren(
    ...(conversations.length ? conversations.map(unfinishedItem) : [el('li', {}, t('unfinishedNone'))]),
  );
}

/** The start form and the unfinished conversations. */
export async function showHome() {
  showMode('home');
  await loadUnfinished();
}

/** The Screening view as it should be now: the remembered conversation, else home. */
export async function showScreening() {
  const id = state.id ?? rememberedConversation(state.sub);
  if (id && id !== state.id) return openConversation(id);
  if (id) return showMode('chat');
  return showHome();
}

async function startConversation(submitted) {
  submitted.preventDefault();
  const form = submitted.currentTarget;
  const error = $('#start-error');
  error.textContent = '';
  form.querySelector('button[type=submit]').disabled = true;
  const result = await request('POST', '/conversations', {
    flow: $('#flow').value,
    locale: $('#locale').value,
    subjectRef: $('#subject').value.trim(),
  });
  form.querySelector('button[type=submit]').disabled = false;
  if (result.status === 401) return;
  if (result.status !== 201) {
    error.textContent = errorMessage(result);
    return;
  }
  showConversation(result.body);
}

export function initScreening(sub) {
  state.sub = sub;
  $('#locale').value = ui.locale;
  $('#start').addEventListener('submit', startConversation);
  $('#another').addEventListener('click', () => {
    forget();
    $('#log').replaceChildren();
    $('#prompt').replaceChildren();
    showHome();
    $('#subject').focus();
  });
}
