import { readFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sweepDueTasks } from '#functions/reminders/actions.ts';
import { fullScreening, ScreeningDriver } from '../support/screening.ts';
import type { TestUser } from '../support/stack.ts';
import {
  BROWSER_TEST,
  type ChatHarness,
  demo,
  expectAccessible,
  openSignedIn,
  saveChatScreenshot,
  startChatHarness,
  WAIT,
} from './chat-support.ts';

const NOW = '2026-11-28T17:00:00.000Z';
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const at = (offsetMs: number) => new Date(Date.parse(NOW) + offsetMs).toISOString();

interface Task {
  id: string;
  requirementId: string;
  title: string;
  dueAt: string;
  owner?: string;
  overdue: boolean;
  status: string;
}

let harness: ChatHarness;
/** The caseworker's screening two hours ago: two immediate cross-reports already overdue, a 24-hour report. */
let current: Task[];
/** The second caseworker's screening an hour ago. */
let colleagues: Task[];

const caseworker = demo.caseworker.user;
const supervisor = demo.supervisor.user;

async function screen(user: TestUser, subjectRef: string, receivedAt: string): Promise<Task[]> {
  const driver = await ScreeningDriver.start(harness.stack, 'en', subjectRef, 'cse-screening', user);
  const done = await driver.sendAll(
    fullScreening({ determination: 'identified', cws: 'yes', open602: 'no', receivedAt }),
  );
  return done.body.tasks;
}

async function complete(task: Task, reportedAt: string, user: TestUser = caseworker) {
  const result = await harness.stack.call('completeTask', {
    id: task.id,
    body: { evidence: { agency: 'County Sheriff', referenceNumber: `SO-${task.id.slice(-6)}`, reportedAt } },
    user,
  });
  expect(result.status, JSON.stringify(result.body)).toBe(200);
}

/**
 * Ten past weeks of screenings, every report made; in two of them the 24-hour report was made late, so
 * the weekly on-time rate has something to show.
 */
async function seedHistory() {
  for (let week = 10; week >= 1; week -= 1) {
    const received = at(-week * 7 * DAY - 5 * HOUR);
    harness.stack.clock.set(received);
    const tasks = await screen(caseworker, `CASE-W${week}`, received);
    harness.stack.clock.set(new Date(Date.parse(received) + 45 * HOUR).toISOString());
    for (const task of tasks) {
      const late = week % 4 === 0 && task.requirementId === 'R-REPORT-1';
      await complete(task, late ? new Date(Date.parse(received) + 30 * HOUR).toISOString() : received);
    }
  }
  harness.stack.clock.set(NOW);
}

const byRequirement = (tasks: Task[], requirementId: string) =>
  tasks.filter((task) => task.requirementId === requirementId);

beforeAll(async () => {
  harness = await startChatHarness(NOW);
  await seedHistory();
  current = await screen(caseworker, 'CASE-2041', at(-2 * HOUR));
  colleagues = await screen(demo.caseworker2.user, 'CASE-2042', at(-1 * HOUR));
  // The case plan goes to the unit's queue, where anyone in the unit may take it.
  const plan = byRequirement(current, 'R-PLAN-1')[0]!;
  const queued = await harness.stack.call('reassignTask', {
    id: plan.id,
    body: { to: { kind: 'queue' } },
    user: supervisor,
  });
  expect(queued.status, JSON.stringify(queued.body)).toBe(200);
}, 300_000);

afterAll(async () => {
  await harness?.close();
});

/** A tab whose clock reads what the stack's clock reads, so "due in" words match the API's view of time. */
async function pageAtStackTime(): Promise<Page> {
  const page = await harness.browser.newPage({ viewport: { width: 1100, height: 900 } });
  await page.clock.install({ time: harness.stack.clock.now });
  return page;
}

const card = (page: Page, title: string, nth = 0) =>
  page
    .locator('.task-card')
    .filter({ has: page.getByRole('heading', { name: title, exact: true }) })
    .nth(nth);

describe('My tasks (the inbox)', BROWSER_TEST, () => {
  it('lists my open tasks overdue first, with what each needs, and shows a new reminder without a reload', async () => {
    const page = await pageAtStackTime();
    await openSignedIn(harness, demo.caseworker.name, page);
    await page.getByRole('link', { name: /My tasks/ }).click();
    await page.locator('.task-card').first().waitFor();
    expect(await page.getByRole('link', { name: /My tasks/ }).getAttribute('aria-current')).toBe('page');

    const cards = page.locator('.task-card');
    // Mine (four of the screening) and the queue's case plan; the colleague's are not in my inbox.
    expect(await cards.count()).toBe(5);
    const words = await cards.locator('.due-badge').allTextContents();
    expect(words.slice(0, 2)).toEqual(['⚠ Overdue by 2 hours', '⚠ Overdue by 2 hours']);
    expect(words[2]).toBe('Due in 22 hours');
    const report = byRequirement(current, 'R-REPORT-1')[0]!;
    const reportCard = card(page, report.title);
    const text = (await reportCard.textContent())!;
    for (const expected of ['R-REPORT-1', 'Penal Code', 'CASE-2041', 'required by law'])
      expect(text).toContain(expected);
    expect(text).not.toMatch(/\d{4}-\d{2}-\d{2}T/);
    expect(await page.locator('#task-list').textContent()).not.toMatch(/\b(null|undefined)\b/);
    const queued = card(page, byRequirement(current, 'R-PLAN-1')[0]!.title);
    expect(await queued.textContent()).toContain('In your unit’s queue (unit-1)');
    await expectAccessible(page, 'inbox');

    // The reminder job runs (12 hours before the report is due); the page shows it at its next poll.
    const swept = await sweepDueTasks(harness.stack.deps.services, new Date(at(10 * HOUR + MINUTE)));
    expect(swept.notifications).toBeGreaterThan(0);
    await page.clock.fastForward('00:21');
    await expect
      .poll(() => page.locator('#notice-live').textContent(), WAIT)
      .toContain(`Reminder: “${report.title}” (R-REPORT-1)`);
    expect(await page.locator('#notification-list .notice.fresh').first().textContent()).toContain(
      'Reminder',
    );

    // The README's screenshot reads as of just after the reminder went out. Only the page's clock moves:
    // no deadline falls between now and then, so the API's overdue flags stay what they are.
    await page.clock.setSystemTime(new Date(at(10 * HOUR + 5 * MINUTE)));
    await page.clock.fastForward('00:21');
    await expect
      .poll(() => cards.locator('.due-badge').first().textContent(), WAIT)
      .toBe('⚠ Overdue by 12 hours');
    await saveChatScreenshot(page, 'inbox');
    await page.close();
  });

  it('completes a task with evidence in place; a refused report keeps what was typed and says why', async () => {
    const page = await pageAtStackTime();
    await openSignedIn(harness, demo.caseworker.name, page);
    await page.getByRole('link', { name: /My tasks/ }).click();
    const report = byRequirement(current, 'R-REPORT-1')[0]!;
    const reportCard = card(page, report.title);
    await reportCard.getByRole('button', { name: 'Mark as done' }).click();
    expect(await reportCard.getByRole('button', { name: 'Mark as done' }).getAttribute('aria-expanded')).toBe(
      'true',
    );
    await reportCard.getByLabel('Agency you reported to').fill('County Sheriff');
    await reportCard.getByLabel('Reference number').fill('SO-2026-118');
    // Before the information was received: the API refuses it.
    await reportCard.getByLabel('When you made the report').fill('2026-11-20T09:00');
    await expectAccessible(page, 'evidence form');
    await reportCard.getByRole('button', { name: 'Save as done' }).click();
    await expect
      .poll(
        () =>
          reportCard
            .getByRole('alert')
            .filter({ hasText: /before the information was received/ })
            .count(),
        WAIT,
      )
      .toBe(1);
    expect(await reportCard.getByLabel('Agency you reported to').inputValue()).toBe('County Sheriff');
    expect(await reportCard.getByLabel('Reference number').inputValue()).toBe('SO-2026-118');

    const reportedAt = new Date(Date.parse(NOW) - 30 * MINUTE);
    await reportCard.getByLabel('When you made the report').fill(
      await page.evaluate((iso) => {
        const date = new Date(iso);
        const pad = (n: number) => String(n).padStart(2, '0');
        return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
      }, reportedAt.toISOString()),
    );
    const saved = page.waitForResponse((response) => response.url().endsWith(`/tasks/${report.id}/complete`));
    await reportCard.getByRole('button', { name: 'Save as done' }).click();
    expect((await saved).status()).toBe(200);
    await page.getByText(`Saved. “${report.title}” is done, and the report was made on time.`).waitFor();
    expect(await card(page, report.title).count()).toBe(0);

    const done = await harness.stack.call('listTasks', { query: { status: 'done' }, user: caseworker });
    const stored = done.body.tasks.find((task: { id: string }) => task.id === report.id);
    expect(stored.evidence).toEqual({
      agency: 'County Sheriff',
      referenceNumber: 'SO-2026-118',
      reportedAt: reportedAt.toISOString(),
    });
    expect(stored.metDeadline).toBe(true);
    await page.close();
  });

  it('takes a task from the queue, cancels one with a reason, and opens the conversation behind a task', async () => {
    const page = await pageAtStackTime();
    await openSignedIn(harness, demo.caseworker.name, page);
    await page.getByRole('link', { name: /My tasks/ }).click();
    const plan = byRequirement(current, 'R-PLAN-1')[0]!;
    await card(page, plan.title).getByRole('button', { name: 'Take it' }).click();
    await page.getByText(`You took “${plan.title}”. It is now yours.`).waitFor();
    await expect
      .poll(() => card(page, plan.title).getByRole('button', { name: 'Take it' }).count(), WAIT)
      .toBe(0);
    const board = await harness.stack.call('supervisorBoard', { user: supervisor });
    expect(board.body.tasks.find((task: Task) => task.id === plan.id).owner).toBe('demo-caseworker');

    const written = byRequirement(current, 'R-REPORT-3').find((task) => !task.overdue)!;
    const writtenCard = card(page, written.title);
    await writtenCard.getByRole('button', { name: 'Cancel this task' }).click();
    await writtenCard.getByLabel('Reason').fill('Reported together with the phone report, same reference.');
    await writtenCard.getByRole('button', { name: 'Cancel the task' }).click();
    await page.getByText(`Cancelled “${written.title}”.`).waitFor();
    const cancelled = await harness.stack.call('listTasks', {
      query: { status: 'cancelled' },
      user: caseworker,
    });
    expect(cancelled.body.tasks.map((task: Task) => task.id)).toContain(written.id);

    await card(page, plan.title).getByRole('link', { name: 'Open the conversation' }).click();
    await page.locator('#prompt h2').getByText('Screening complete').waitFor();
    expect(await page.locator('#chat-case').textContent()).toContain('CASE-2041');
    expect(await page.locator('#prompt .task').count()).toBe(5);
    expect(await page.getByRole('link', { name: 'Screening' }).getAttribute('aria-current')).toBe('page');
    await page.close();
  });
});

describe('the supervisors’ board', BROWSER_TEST, () => {
  it('shows an overdue task at the top, the weekly on-time chart with its table, and reassigns the task', async () => {
    const report = byRequirement(colleagues, 'R-REPORT-1')[0]!;
    // The colleague's 24-hour report passes its deadline.
    harness.stack.clock.advance(25 * HOUR);
    const page = await pageAtStackTime();
    await openSignedIn(harness, demo.supervisor.name, page);
    await page.getByRole('link', { name: 'Board' }).click();
    await page.locator('#board-tasks tbody tr').first().waitFor();
    const api = (await harness.stack.call('supervisorBoard', { user: supervisor })).body;

    // Overdue at the top, in the API's order.
    const rows = page.locator('#board-tasks tbody tr:not(.form-row)');
    const open = api.tasks.filter((task: Task) => task.status === 'open');
    expect(await rows.count()).toBe(open.length);
    expect(await rows.first().getAttribute('data-task-id')).toBe(open[0].id);
    expect(await rows.first().textContent()).toMatch(/Overdue by/);
    const reportRow = page.locator(`#board-tasks tr[data-task-id="${report.id}"]`);
    expect(await reportRow.textContent()).toContain('⚠ Overdue by 2 hours');
    expect(await reportRow.textContent()).toContain('demo-caseworker-2');
    const summary = (await page.locator('#board-summary').textContent())!;
    expect(summary).toContain(String(api.summary.overdue));
    expect(api.onTime.last90.rate).not.toBeNull();
    expect(summary).toContain(`${Math.round(api.onTime.last90.rate * 100)}%`);

    // The chart is drawn (Chart.js from this origin), and described for people who cannot see it.
    const readChart = () =>
      page.evaluate(() => {
        const canvas = document.querySelector<HTMLCanvasElement>('#trend-chart')!;
        // biome-ignore lint/suspicious/noExplicitAny: Chart.js is a global from its UMD build here
        const instance = (window as any).Chart?.getChart(canvas);
        if (!instance || canvas.width === 0 || canvas.height === 0) return null;
        const pixels = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
        let drawn = 0;
        for (let i = 3; i < pixels.length; i += 4) if (pixels[i]! > 0) drawn += 1;
        return { labels: instance.data.labels.length, points: instance.data.datasets[0].data, drawn };
      });
    // Not blank: axes, grid and the line put well over 2,000 pixels on the canvas.
    await expect.poll(async () => (await readChart())?.drawn ?? 0, WAIT).toBeGreaterThan(2000);
    const chart = (await readChart())!;
    expect(chart.labels).toBe(api.trend.length);
    expect(chart.points).toEqual(
      api.trend.map((week: { rate: number | null }) =>
        week.rate === null ? null : Math.round(week.rate * 1000) / 10,
      ),
    );
    const label = (await page.locator('#trend-chart').getAttribute('aria-label'))!;
    expect(await page.locator('#trend-chart').getAttribute('role')).toBe('img');
    expect(label).toMatch(/share of deadlines met each week over the last 13 weeks/);

    // The table alternative holds the same numbers.
    await page.getByRole('button', { name: 'Show the chart as a table' }).click();
    const tableRows = await page
      .locator('#trend-table tbody tr')
      .evaluateAll((trs) => trs.map((tr) => Array.from(tr.children, (cell) => cell.textContent)));
    expect(tableRows).toHaveLength(api.trend.length);
    expect(tableRows.map((cells) => cells.slice(1))).toEqual(
      api.trend.map((week: { due: number; onTime: number; rate: number | null }) => [
        String(week.due),
        String(week.onTime),
        week.rate === null ? '—' : `${Math.round(week.rate * 100)}%`,
      ]),
    );
    expect(await page.getByRole('button', { name: 'Hide the table' }).getAttribute('aria-expanded')).toBe(
      'true',
    );
    await expectAccessible(page, 'board with the table');
    await saveChatScreenshot(page, 'board');

    // By owner: each owner's tasks together, still the most urgent first within each.
    await page.getByLabel('Order').selectOption('owner');
    const grouped = await rows.evaluateAll((trs) =>
      trs.map((tr) => ({ id: tr.getAttribute('data-task-id'), owner: tr.getAttribute('data-owner') })),
    );
    expect(grouped.map((row) => row.id).sort()).toEqual(open.map((task: Task) => task.id).sort());
    const owners = grouped.map((row) => row.owner);
    expect(owners.filter((owner, index) => owner !== owners[index - 1])).toEqual([...new Set(owners)]);
    for (const owner of new Set(owners)) {
      const theirs = open.filter((task: Task) => task.owner === owner).map((task: Task) => task.id);
      expect(grouped.filter((row) => row.owner === owner).map((row) => row.id)).toEqual(theirs);
    }
    await page.getByLabel('Order').selectOption('due');

    // Reassign the overdue report to the first caseworker.
    await reportRow.getByRole('button', { name: 'Reassign' }).click();
    const form = page.locator('#board-tasks form');
    await form.getByLabel('Give it to').selectOption('user:demo-caseworker');
    await expectAccessible(page, 'reassign form');
    await form.getByRole('button', { name: 'Reassign' }).click();
    await page.getByText(`“${report.title}” now belongs to demo-caseworker.`).waitFor();
    const after = await harness.stack.call('supervisorBoard', { user: supervisor });
    expect(after.body.tasks.find((task: Task) => task.id === report.id).owner).toBe('demo-caseworker');
    await expect
      // The owner's cell: due, case reference, owner, actions are the row's data cells.
      .poll(() => page.locator(`#board-tasks tr[data-task-id="${report.id}"] td`).nth(2).textContent(), WAIT)
      .toBe('demo-caseworker');
    await page.close();
  });

  it('downloads the unit’s tasks as CSV with the bearer token', async () => {
    const page = await pageAtStackTime();
    await openSignedIn(harness, demo.supervisor.name, page);
    await page.getByRole('link', { name: 'Board' }).click();
    await page.locator('#board-tasks tbody tr').first().waitFor();
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Download all tasks (CSV)' }).click();
    const file = await download;
    expect(file.suggestedFilename()).toMatch(/^unit-tasks-\d{4}-\d{2}-\d{2}\.csv$/);
    const csv = await readFile((await file.path())!, 'utf8');
    expect(csv.split('\r\n')[0]).toContain('"requirement"');
    expect(csv).toContain(byRequirement(colleagues, 'R-REPORT-1')[0]!.id);
    await page.close();
  });

  it('serves Chart.js from the page’s own origin, under the page’s CSP', async () => {
    const response = await fetch(`${harness.server.url}/chat/vendor/chart.umd.js`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect(await response.text()).toContain('Chart');
    expect((await fetch(`${harness.server.url}/chat/vendor/chart.js`)).status).toBe(404);
    expect((await fetch(`${harness.server.url}/node_modules/chart.js/package.json`)).status).toBe(404);
  });

  it('is not offered to a caseworker', async () => {
    const page = await openSignedIn(harness, demo.caseworker.name);
    expect(await page.getByRole('link', { name: 'Board' }).count()).toBe(0);
    await page.goto(`${harness.server.url}/#board`);
    await page.locator('#views').waitFor();
    expect(await page.locator('#view-board').isVisible()).toBe(false);
    expect(await page.locator('#view-screening').isVisible()).toBe(true);
    await page.close();
  });
});
