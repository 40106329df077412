// The supervisors' board: the unit's open tasks (overdue at the top) and who holds them, counts by
// requirement, how often deadlines were met (last 30 / 90 days and week by week, as a chart with a table
// alternative), reassigning a task, and the whole list as a CSV file.
import { errorMessage, request } from './api.js';
import { $, button, el, field, uniqueId } from './dom.js';
import { dueWords, formatDateTime, formatDay, formatRate, regionalTag } from './format.js';
import { t } from './words.js';

const CHART_SCRIPT = '/chat/vendor/chart.umd.js';

/** `changes` counts reassignments made here: a board read before the last one is stale. */
const board = { data: null, chart: null, changes: 0 };

let chartLibrary = null;
/** Chart.js is loaded only when a supervisor opens the board; served from this origin (CSP: 'self'). */
function loadChartLibrary() {
  chartLibrary ??= new Promise((resolve, reject) => {
    if (window.Chart) return resolve(window.Chart);
    const script = el('script', { src: CHART_SCRIPT });
    script.addEventListener('load', () => resolve(window.Chart));
    script.addEventListener('error', () => {
      chartLibrary = null;
      reject(new Error('chart library'));
    });
    document.head.append(script);
  });
  return chartLibrary;
}

/** The API says `due` (deadlines in the window); older drafts said `made`. */
const deadlinesOf = (window) => window.due ?? window.made ?? 0;

function ownerLabel(owner) {
  const [kind, unit] = owner.includes(':') ? owner.split(':') : ['user', owner];
  if (kind === 'queue') return t('queueOf', { unit });
  if (kind === 'supervisors') return t('supervisorsOf', { unit });
  return owner;
}

function table(caption, headers, rows, { captionHidden = false } = {}) {
  return el(
    'table',
    {},
    el('caption', { className: captionHidden ? 'visually-hidden' : '' }, caption),
    el('thead', {}, el('tr', {}, ...headers.map((header) => el('th', { scope: 'col' }, header)))),
    el('tbody', {}, ...rows),
  );
}

function cells(...values) {
  const [first, ...rest] = values;
  return el('tr', {}, el('th', { scope: 'row' }, first), ...rest.map((value) => el('td', {}, value)));
}

/** One tile of the summary: a dt/dd pair grouped in a div, which a <dl> allows. */
const tile = (label, ...value) =>
  el('div', { className: 'stat' }, el('dt', {}, label), el('dd', {}, ...value));

function onTimeTile(label, window) {
  const rate = formatRate(window.rate);
  const detail =
    rate === null ? t('noDeadlines') : t('onTimeOf', { onTime: window.onTime, due: deadlinesOf(window) });
  return tile(label, el('strong', {}, rate ?? '—'), ' ', el('span', { className: 'meta' }, detail));
}

function renderSummary({ summary, onTime }) {
  const count = (label, value, tone = '') => tile(label, el('strong', { className: tone }, String(value)));
  $('#board-summary').replaceChildren(
    count(t('summaryOpen'), summary.open),
    count(t('summaryOverdue'), summary.overdue, summary.overdue > 0 ? 'tone-overdue' : ''),
    count(t('summaryDone'), summary.done),
    count(t('summaryCancelled'), summary.cancelled),
    onTimeTile(t('onTime30'), onTime.last30),
    onTimeTile(t('onTime90'), onTime.last90),
  );
}

/** The chart's words for people who cannot see it: what it shows, where it started and ended. */
export function trendSummary(trend) {
  const known = trend.filter((point) => point.rate !== null && point.rate !== undefined);
  const summary =
    known.length === 0
      ? t('trendSummaryEmpty')
      : t('trendSummaryRange', {
          first: formatRate(known[0].rate),
          firstWeek: formatDay(known[0].weekStart),
          last: formatRate(known.at(-1).rate),
          lastWeek: formatDay(known.at(-1).weekStart),
        });
  return t('trendSummary', { weeks: trend.length, summary });
}

function renderTrendTable(trend) {
  const rows = trend.map((point) =>
    cells(
      formatDay(point.weekStart),
      String(deadlinesOf(point)),
      String(point.onTime),
      formatRate(point.rate) ?? '—',
    ),
  );
  $('#trend-table').replaceChildren(
    table(t('trendHeading'), [t('weekOf'), t('deadlinesDue'), t('deadlinesMet'), t('rate')], rows, {
      captionHidden: true,
    }),
  );
}

async function renderChart(trend) {
  const canvas = $('#trend-chart');
  canvas.setAttribute('aria-label', trendSummary(trend));
  $('#chart-error').textContent = '';
  let Chart;
  try {
    Chart = await loadChartLibrary();
  } catch {
    $('#chart-error').textContent = t('chartUnavailable');
    return;
  }
  board.chart?.destroy();
  const axisDay = new Intl.DateTimeFormat(regionalTag(), { day: 'numeric', month: 'short', timeZone: 'UTC' });
  board.chart = new Chart(canvas, {
    type: 'line',
    data: {
      labels: trend.map((point) => axisDay.format(new Date(`${point.weekStart}T00:00:00Z`))),
      datasets: [
        {
          label: t('trendLabel'),
          data: trend.map((point) => (point.rate === null ? null : Math.round(point.rate * 1000) / 10)),
          borderColor: '#2b5fab',
          backgroundColor: '#2b5fab',
          pointRadius: 4,
          pointHoverRadius: 6,
          borderWidth: 2,
          // A week without deadlines is a gap in the data, not a 0 %: the line bridges it.
          spanGaps: true,
        },
      ],
    },
    options: {
      animation: false,
      responsive: true,
      maintainAspectRatio: false,
      locale: regionalTag(),
      scales: {
        // Percentages written the way the table and the summary write them ("75%", "75 %" in Spanish).
        y: { min: 0, max: 100, ticks: { callback: (value) => formatRate(value / 100) } },
      },
      plugins: {
        legend: { display: false },
        tooltip: { callbacks: { label: (item) => formatRate(item.raw / 100) } },
      },
    },
  });
}

function dueCell(task) {
  const { tone, text } = dueWords(task);
  return el(
    'td',
    {},
    el('span', { className: `due-badge tone-${tone}` }, tone === 'overdue' ? '⚠ ' : '', text),
    el('br'),
    el('span', { className: 'meta' }, formatDateTime(task.dueAt)),
  );
}

function assigneeOptions(task) {
  const options = (board.data.assignees ?? [])
    .map((assignee) =>
      assignee.kind === 'queue'
        ? { value: 'queue', label: t('queueOf', { unit: assignee.unit }), owner: `queue:${assignee.unit}` }
        : { value: `user:${assignee.userId}`, label: assignee.userId, owner: assignee.userId },
    )
    .filter((option) => option.owner !== task.owner);
  return [...options, { value: 'other', label: t('someoneElse') }];
}

function reassignForm(task, close) {
  const select = el('select', { name: 'to' });
  for (const option of assigneeOptions(task))
    select.append(el('option', { value: option.value }, option.label));
  const userId = el('input', { name: 'userId', maxLength: 128, autocomplete: 'off' });
  const userField = field(t('userId'), userId);
  const syncOther = () => {
    userField.hidden = select.value !== 'other';
    userId.required = select.value === 'other';
  };
  select.addEventListener('change', syncOther);
  syncOther();
  const error = el('p', { className: 'form-error', attrs: { role: 'alert' } });
  const headingId = uniqueId('reassign-heading');
  const submit = el('button', { type: 'submit' }, t('saveReassign'));
  const form = el(
    'form',
    { className: 'task-form', attrs: { 'aria-labelledby': headingId } },
    el('h3', { id: headingId }, t('reassignHeading', { title: task.title })),
    field(t('reassignTo'), select),
    userField,
    error,
    el('div', { className: 'form-actions' }, submit, button(t('closeForm'), close, true)),
  );
  form.addEventListener('submit', async (submitted) => {
    submitted.preventDefault();
    error.textContent = '';
    const to =
      select.value === 'queue'
        ? { kind: 'queue' }
        : { kind: 'user', userId: select.value === 'other' ? userId.value.trim() : select.value.slice(5) };
    submit.disabled = true;
    const result = await request('POST', `/tasks/${encodeURIComponent(task.id)}/reassign`, { to });
    submit.disabled = false;
    if (result.status === 401) return;
    if (result.status !== 200) {
      error.textContent = errorMessage(result);
      return;
    }
    $('#status').textContent = t('reassigned', { title: task.title, owner: ownerLabel(result.body.owner) });
    $('#board').dataset.editing = '';
    board.changes += 1;
    await refreshBoard();
    $('#board-tasks-heading').focus();
  });
  return form;
}

function taskRows(task) {
  const row = el('tr', {
    className: task.overdue ? 'overdue' : '',
    dataset: { taskId: task.id, owner: task.owner },
  });
  const formRow = el('tr', { className: 'form-row', hidden: true }, el('td', { colSpan: 5 }));
  const toggle = button(
    t('reassign'),
    () => {
      const opening = toggle.getAttribute('aria-expanded') !== 'true';
      toggle.setAttribute('aria-expanded', String(opening));
      formRow.hidden = !opening;
      $('#board').dataset.editing = opening ? 'true' : '';
      const close = () => toggle.click();
      formRow.firstChild.replaceChildren(...(opening ? [reassignForm(task, close)] : []));
      if (opening) formRow.querySelector('select')?.focus();
      else toggle.focus();
    },
    true,
  );
  toggle.setAttribute('aria-expanded', 'false');
  const titleId = uniqueId('board-task');
  toggle.setAttribute('aria-describedby', titleId);
  row.append(
    dueCell(task),
    el(
      'th',
      { scope: 'row', id: titleId },
      task.title,
      el('br'),
      el('span', { className: 'meta' }, `${task.requirementId} · ${task.citation}`),
    ),
    el('td', {}, task.subjectRef),
    el('td', {}, ownerLabel(task.owner)),
    el('td', {}, toggle),
  );
  return [row, formRow];
}

/**
 * The API lists the unit's tasks overdue first, then by due time. "By owner" keeps that order within each
 * owner (so each person's overdue work is at the top of their group), owners with overdue work first.
 */
function ordered(open) {
  if ($('#board-order').value !== 'owner') return open;
  const owners = [...new Set(open.map((task) => task.owner))];
  const overdueOf = (owner) => open.filter((task) => task.owner === owner && task.overdue).length;
  owners.sort(
    (a, b) => overdueOf(b) - overdueOf(a) || ownerLabel(a).localeCompare(ownerLabel(b), regionalTag()),
  );
  return owners.flatMap((owner) => open.filter((task) => task.owner === owner));
}

function renderTasks(tasks) {
  const open = ordered(tasks.filter((task) => task.status === 'open'));
  // Any reassign form open in the old rows goes with them, so polling may redraw the board again.
  $('#board').dataset.editing = '';
  $('#board-tasks').replaceChildren(
    open.length === 0
      ? el('p', {}, t('noOpenTasks'))
      : table(
          `${t('unitTasksHeading')} (${t($('#board-order').value === 'owner' ? 'orderOwner' : 'orderDue')})`,
          [t('dueColumn'), t('task'), t('caseRef'), t('owner'), t('actions')],
          open.flatMap(taskRows),
          { captionHidden: true },
        ),
  );
}

function renderCounts({ byOwner, byRequirement }) {
  $('#board-owners').replaceChildren(
    table(
      t('byOwnerHeading'),
      [t('owner'), t('open'), t('overdueCount')],
      byOwner.map((row) => cells(ownerLabel(row.owner), String(row.open), String(row.overdue))),
      { captionHidden: true },
    ),
  );
  $('#board-requirements').replaceChildren(
    table(
      t('byRequirementHeading'),
      [t('requirement'), t('open'), t('overdueCount'), t('done2'), t('cancelled2')],
      byRequirement.map((row) =>
        cells(
          row.requirementId,
          String(row.open),
          String(row.overdue),
          String(row.done),
          String(row.cancelled),
        ),
      ),
      { captionHidden: true },
    ),
  );
}

function renderBoard() {
  const data = board.data;
  if (!data) return;
  renderSummary(data);
  renderTasks(data.tasks);
  renderCounts(data);
  renderTrendTable(data.trend ?? []);
  return renderChart(data.trend ?? []);
}

/** Reads the board again; a poll never rebuilds it under a supervisor's half-filled reassign form. */
export async function refreshBoard({ background = false } = {}) {
  if (background && $('#board').dataset.editing === 'true') return;
  const asOf = board.changes;
  const result = await request('GET', '/supervisor/tasks', null, { background });
  if (asOf !== board.changes) return;
  // A form may have been opened while the poll was on its way: the fresh data waits for the next poll.
  if (background && $('#board').dataset.editing === 'true') return;
  if (result.status === 401) return;
  if (result.status !== 200) {
    if (!background) $('#board-error').textContent = errorMessage(result);
    return;
  }
  $('#board-error').textContent = '';
  board.data = result.body;
  await renderBoard();
}

async function downloadCsv() {
  const result = await request('GET', '/supervisor/tasks?format=csv', null, { as: 'blob' });
  if (result.status === 401) return;
  if (result.status !== 200) {
    $('#board-error').textContent = result.status ? `HTTP ${result.status}` : '';
    return;
  }
  // The file needs the bearer token, so it is fetched here and handed to the browser as a Blob URL.
  const url = URL.createObjectURL(result.body);
  const link = el('a', { href: url, download: `unit-tasks-${new Date().toISOString().slice(0, 10)}.csv` });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
  $('#status').textContent = t('downloaded');
}

function toggleTrendTable() {
  const toggle = $('#trend-toggle');
  const showing = toggle.getAttribute('aria-expanded') === 'true';
  toggle.setAttribute('aria-expanded', String(!showing));
  toggle.textContent = t(showing ? 'showTable' : 'hideTable');
  $('#trend-table').hidden = showing;
}

export function rerenderBoard() {
  const toggle = $('#trend-toggle');
  toggle.textContent = t(toggle.getAttribute('aria-expanded') === 'true' ? 'hideTable' : 'showTable');
  return renderBoard();
}

export function initBoard() {
  // Re-ordering is local: the rows are redrawn from what was read, nothing is fetched.
  $('#board-order').addEventListener('change', () => {
    if (board.data) renderTasks(board.data.tasks);
  });
  $('#csv-download').addEventListener('click', downloadCsv);
  $('#trend-toggle').addEventListener('click', toggleTrendTable);
}
