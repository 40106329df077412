// "My tasks": the caller's open reporting tasks and their unit queue's, most urgent first, each completed
// with evidence or cancelled with a reason in place; and the notifications (reminders, escalations) that
// arrive while the page is open.
import { errorMessage, request } from './api.js';
import { $, button, el, field, uniqueId } from './dom.js';
import { dueWords, formatDateTime, fromLocalInputValue, toLocalInputValue } from './format.js';
import { t } from './words.js';

/** A unit's inbox is rarely long; past this many pages the oldest are left for the board. */
const MAX_PAGES = 3;
const SHOWN_NOTIFICATIONS = 10;

const inbox = {
  tasks: [],
  notifications: [],
  seen: new Set(),
  unseen: 0,
  loaded: false,
  updatedAt: null,
  /** Counts this page's own changes (done, cancelled, taken): a list read before the last one is stale. */
  changes: 0,
};
/** Cards by task id, kept across refreshes so an open form keeps what the user typed. */
const cards = new Map();
let badgeChanged = () => {};

const byUrgency = (a, b) => Number(b.overdue) - Number(a.overdue) || a.dueAt.localeCompare(b.dueAt);
const lowerFirst = (text) => text.charAt(0).toLocaleLowerCase() + text.slice(1);
const noticeKey = (notice) => `${notice.taskId}|${notice.actionId ?? notice.type}|${notice.createdAt}`;

async function fetchTasks(background) {
  const tasks = [];
  let cursor = null;
  for (let page = 0; page < MAX_PAGES; page += 1) {
    const query = new URLSearchParams({ status: 'open', scope: 'mine', limit: '100' });
    if (cursor) query.set('cursor', cursor);
    const result = await request('GET', `/tasks?${query}`, null, { background });
    if (result.status !== 200) return { error: result };
    tasks.push(...result.body.tasks);
    cursor = result.body.cursor;
    if (!cursor) break;
  }
  return { tasks: tasks.sort(byUrgency) };
}

function dueBadge(task) {
  const { tone, text } = dueWords(task);
  // The words carry the urgency; colour and the icon only repeat it.
  return el('span', { className: `due-badge tone-${tone}` }, tone === 'overdue' ? '⚠ ' : '', text);
}

function facts(task) {
  const rows = [
    [t('requirement'), task.requirementId],
    [t('citation'), task.citation],
    [t('caseRef'), task.subjectRef],
    [t('obligation'), t(`obligations.${task.obligation}`)],
  ];
  return el(
    'dl',
    { className: 'facts' },
    ...rows.flatMap(([term, value]) => [el('dt', {}, term), el('dd', {}, value)]),
  );
}

function routedLine(task) {
  if (task.routedTo?.kind === 'queue')
    return el('p', { className: 'routed' }, t('routedQueue', task.routedTo));
  if (task.routedTo?.kind === 'supervisors')
    return el('p', { className: 'routed' }, t('routedSupervisors', task.routedTo));
  return null;
}

/** Shows a form under the card's buttons; one at a time, the button says whether it is open. */
function toggleForm(card, trigger, build) {
  const slot = card.querySelector('.card-form');
  const opening = trigger.getAttribute('aria-expanded') !== 'true';
  for (const other of card.querySelectorAll('[aria-expanded]')) other.setAttribute('aria-expanded', 'false');
  slot.replaceChildren();
  slot.hidden = !opening;
  card.dataset.editing = opening ? 'true' : '';
  if (!opening) return;
  trigger.setAttribute('aria-expanded', 'true');
  const form = build(() => toggleForm(card, trigger, build));
  slot.append(form);
  form.querySelector('input, textarea')?.focus();
}

function formShell(headingText, submitLabel, close, fields, onSubmit) {
  const headingId = uniqueId('form-heading');
  const error = el('p', { className: 'form-error', attrs: { role: 'alert' } });
  const submit = el('button', { type: 'submit' }, submitLabel);
  const form = el(
    'form',
    { className: 'task-form', attrs: { 'aria-labelledby': headingId } },
    el('h4', { id: headingId }, headingText),
    ...fields,
    error,
    el('div', { className: 'form-actions' }, submit, button(t('closeForm'), close, true)),
  );
  form.addEventListener('submit', async (submitted) => {
    submitted.preventDefault();
    error.textContent = '';
    submit.disabled = true;
    // On failure the message shows next to the form and every typed value stays where it was.
    const message = await onSubmit();
    submit.disabled = false;
    if (message) error.textContent = message;
  });
  return form;
}

function evidenceForm(task) {
  return (close) => {
    const agency = el('input', { name: 'agency', required: true, maxLength: 200, autocomplete: 'off' });
    const reference = el('input', {
      name: 'referenceNumber',
      required: true,
      maxLength: 100,
      autocomplete: 'off',
    });
    // Starts at now, the usual case; the server judges a time in the future (with some clock skew allowed).
    const when = el('input', {
      type: 'datetime-local',
      name: 'reportedAt',
      required: true,
      value: toLocalInputValue(new Date()),
    });
    return formShell(
      t('evidenceHeading'),
      t('saveDone'),
      close,
      [field(t('agency'), agency), field(t('referenceNumber'), reference), field(t('reportedAt'), when)],
      async () => {
        const reportedAt = fromLocalInputValue(when.value);
        if (!reportedAt) return t('reportedAt');
        const evidence = { agency: agency.value.trim(), referenceNumber: reference.value.trim(), reportedAt };
        const result = await request('POST', `/tasks/${encodeURIComponent(task.id)}/complete`, { evidence });
        if (result.status === 401) return null;
        if (result.status !== 200) return errorMessage(result);
        const onTime = result.body.metDeadline !== false;
        settled(task, t(onTime ? 'doneOnTime' : 'doneLate', { title: task.title }));
        return null;
      },
    );
  };
}

function cancelForm(task) {
  return (close) => {
    const reason = el('textarea', { name: 'reason', required: true, maxLength: 1000, rows: 3 });
    return formShell(t('cancelHeading'), t('saveCancel'), close, [field(t('reason'), reason)], async () => {
      const result = await request('POST', `/tasks/${encodeURIComponent(task.id)}/cancel`, {
        reason: reason.value.trim(),
      });
      if (result.status === 401) return null;
      if (result.status !== 200) return errorMessage(result);
      settled(task, t('cancelled', { title: task.title }));
      return null;
    });
  };
}

async function take(task, card) {
  const result = await request('POST', `/tasks/${encodeURIComponent(task.id)}/claim`);
  if (result.status === 401) return;
  if (result.status !== 200) {
    card.querySelector('.card-error').textContent = errorMessage(result);
    return;
  }
  $('#status').textContent = t('taken', { title: task.title });
  cards.delete(task.id);
  inbox.changes += 1;
  await refreshInbox();
}

/** A task left the inbox: say so where it was, and move focus somewhere sensible. */
function settled(task, message) {
  const card = cards.get(task.id);
  cards.delete(task.id);
  inbox.changes += 1;
  inbox.tasks = inbox.tasks.filter((candidate) => candidate.id !== task.id);
  card?.remove();
  $('#status').textContent = message;
  $('#tasks-heading').focus();
  renderTaskList();
  badgeChanged();
}

function actions(task, card, titleId) {
  // Each button says which task it acts on (its title), without repeating the title in its name.
  const describe = (element) => {
    element.setAttribute('aria-describedby', titleId);
    return element;
  };
  const row = el('div', { className: 'card-actions' });
  if (task.routedTo?.kind === 'queue') row.append(describe(button(t('takeIt'), () => take(task, card))));
  for (const [label, build, secondary] of [
    [t('markDone'), evidenceForm(task), task.routedTo?.kind === 'queue'],
    [t('cancelTask'), cancelForm(task), true],
  ]) {
    const trigger = describe(button(label, () => toggleForm(card, trigger, build), secondary));
    trigger.setAttribute('aria-expanded', 'false');
    row.append(trigger);
  }
  row.append(
    describe(
      el('a', { href: `#screening/${encodeURIComponent(task.conversationId)}` }, t('openConversation')),
    ),
  );
  return row;
}

function buildCard(task) {
  const titleId = uniqueId('task-title');
  // el() leaves out what a task does not have (details, a routing line): never a "null" on the card.
  const card = el(
    'li',
    {
      className: `task-card tone-${dueWords(task).tone}`,
      dataset: { taskId: task.id, signature: signatureOf(task) },
    },
    el('h3', { id: titleId }, task.title),
    el(
      'p',
      { className: 'due-line' },
      dueBadge(task),
      ` · ${t('dueAt', { date: formatDateTime(task.dueAt) })}`,
    ),
    facts(task),
    task.description ? el('p', { className: 'description' }, task.description) : null,
    task.details?.length
      ? el('ul', { className: 'details' }, ...task.details.map((line) => el('li', {}, line)))
      : null,
    el('p', { className: 'received' }, t('receivedAt', { date: formatDateTime(task.receivedAt) })),
    routedLine(task),
    el('p', { className: 'card-error form-error', attrs: { role: 'alert' } }),
  );
  card.append(actions(task, card, titleId), el('div', { className: 'card-form', hidden: true }));
  return card;
}

/** What, if changed, means a card must be built again (the due words alone are refreshed in place). */
const signatureOf = (task) =>
  JSON.stringify([task.title, task.dueAt, task.overdue, task.routedTo, task.details, task.status]);

const isEditing = (card) => card.dataset.editing === 'true';

function refreshDueWords(card, task) {
  const badge = card.querySelector('.due-badge');
  badge.replaceWith(dueBadge(task));
  card.className = `task-card tone-${dueWords(task).tone}`;
}

function renderTaskList() {
  const list = $('#task-list');
  const wanted = inbox.tasks.map((task) => {
    const existing = cards.get(task.id);
    if (existing && (existing.dataset.signature === signatureOf(task) || isEditing(existing))) {
      refreshDueWords(existing, task);
      return existing;
    }
    const card = buildCard(task);
    cards.set(task.id, card);
    return card;
  });
  // A card being filled in stays even if the task left the list elsewhere: the save then says why.
  const editing = [...cards.values()].filter((card) => isEditing(card) && !wanted.includes(card));
  for (const [id, card] of [...cards]) if (!wanted.includes(card) && !isEditing(card)) cards.delete(id);
  const next = [...wanted, ...editing];
  for (const child of [...list.children]) if (!next.includes(child)) child.remove();
  const same =
    next.length === list.children.length && next.every((card, index) => list.children[index] === card);
  // Moving a card would drop the focus inside it: reorder only when nobody is typing.
  if (!same && !next.some(isEditing)) list.replaceChildren(...next);
  else if (!same) for (const card of next) if (!card.isConnected) list.append(card);
  $('#tasks-empty').hidden = next.length > 0;
}

function noticeText(notice) {
  const overdue = Date.parse(notice.dueAt) <= Date.now();
  const due = lowerFirst(dueWords({ dueAt: notice.dueAt, overdue }).text);
  // A task put in the unit's queue is not given to anyone in particular: it says so.
  const type = notice.type === 'assignment' && notice.recipient?.queue ? 'assignment_queue' : notice.type;
  const key = `notices.${type}`;
  const template = t(key) === key ? 'notices.other' : key;
  return t(template, { title: notice.title, requirement: notice.requirementId, due });
}

function noticeItem(notice) {
  const fresh = !inbox.seen.has(noticeKey(notice));
  return el(
    'li',
    { className: fresh ? 'notice fresh' : 'notice' },
    el('span', {}, noticeText(notice)),
    el(
      'span',
      { className: 'meta' },
      [
        notice.subjectRef ? `${t('caseRef')} ${notice.subjectRef}` : null,
        t('noticeAt', { date: formatDateTime(notice.createdAt) }),
      ]
        .filter(Boolean)
        .join(' · '),
    ),
  );
}

function renderNotifications() {
  const shown = inbox.notifications.slice(0, SHOWN_NOTIFICATIONS);
  $('#notification-list').replaceChildren(...shown.map(noticeItem));
  $('#notifications-empty').hidden = shown.length > 0;
}

/** New notifications since the last look: announced once (polite), counted on the nav until seen. */
function takeNotifications(notifications) {
  const fresh = notifications.filter((notice) => !inbox.seen.has(noticeKey(notice)));
  inbox.notifications = notifications;
  const looking = !$('#view-tasks').hidden;
  if (inbox.loaded && fresh.length > 0) {
    if (!looking) inbox.unseen += fresh.length;
    $('#notice-live').textContent = fresh.map(noticeText).join(' ');
  }
  renderNotifications();
  if (!inbox.loaded || looking) for (const notice of fresh) inbox.seen.add(noticeKey(notice));
  badgeChanged();
}

/** Reads the inbox and the notifications again; `background` polls stay quiet on a failure. */
export async function refreshInbox({ background = false } = {}) {
  const asOf = inbox.changes;
  const [tasks, notifications] = await Promise.all([
    fetchTasks(background),
    request('GET', '/notifications', null, { background }),
  ]);
  // A list read while a task was being completed or taken would bring it back: the next read is used.
  if (tasks.tasks && asOf === inbox.changes) {
    inbox.tasks = tasks.tasks;
    inbox.updatedAt = new Date();
    $('#tasks-updated').textContent = t('tasksUpdated', {
      date: formatDateTime(inbox.updatedAt.toISOString()),
    });
    $('#tasks-error').textContent = '';
    renderTaskList();
  } else if (tasks.error && !background && tasks.error.status !== 401) {
    $('#tasks-error').textContent = errorMessage(tasks.error);
  }
  if (notifications.status === 200) takeNotifications(notifications.body.notifications);
  inbox.loaded = true;
}

/** The user is looking at the inbox: what was new is now seen. */
export function inboxShown() {
  for (const notice of inbox.notifications) inbox.seen.add(noticeKey(notice));
  inbox.unseen = 0;
  badgeChanged();
}

export const unseenCount = () => inbox.unseen;

/** After a language switch: every card again in the new words (those being typed in stay). */
export function rerenderInbox() {
  for (const [id, card] of cards) if (!isEditing(card)) cards.delete(id);
  renderTaskList();
  renderNotifications();
  if (inbox.updatedAt)
    $('#tasks-updated').textContent = t('tasksUpdated', {
      date: formatDateTime(inbox.updatedAt.toISOString()),
    });
}

export function initInbox(onBadgeChanged) {
  badgeChanged = onBadgeChanged;
}
