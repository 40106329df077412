import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildWidget } from '../../scripts/build-widget.ts';
import { type RunningDevServer, startDevServer } from '../../scripts/dev-server.ts';
import { launchChromium } from '../support/browser.ts';
import { type Action, ScreeningDriver } from '../support/screening.ts';
import { createTestStack, type TestStack } from '../support/stack.ts';
import {
  clickAnswer,
  newestCard,
  openHostPage,
  openWidget,
  saveScreenshot,
  seriousAxeViolations,
  shelterUser,
  signInWithMouse,
  widget,
  widgetFrame,
} from '../support/widget.ts';

/**
 * Issue 17 in the shelter widget, in Chromium against the real API on DynamoDB Local: the "My tasks" tab
 * (the shelter's own report tasks, worked in place) and the offer to continue a case's unfinished screening.
 */

let stack: TestStack;
let server: RunningDevServer;
let browser: Browser;

const HOUR = 3_600_000;

beforeAll(async () => {
  await buildWidget();
  // The widget words a deadline by the browser's clock, so the server runs on the real one too.
  stack = await createTestStack({ liveClock: true });
  server = await startDevServer({
    deps: stack.deps,
    port: 0,
    // Issue 18: the widget signs in with authorization code + PKCE at the provider (no compat /sign-in page).
    oidc: { issuer: stack.idp.issuer, clientId: stack.idp.clientId },
  });
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

interface Task {
  id: string;
  title: string;
  requirementId: string;
  citation: string;
  dueAt: string;
  status: string;
  evidence?: { agency: string; referenceNumber: string; reportedAt: string };
  cancelReason?: string;
}

/**
 * A shelter's screening through the API (one indicator present, identified): the shelter's two
 * R-MANDATED-1 reports, by telephone at once and in writing within 36 hours of `receivedAt`.
 */
async function shelterScreening(subjectRef: string, receivedAt: string): Promise<Task[]> {
  const driver = await ScreeningDriver.start(stack, 'en', subjectRef, 'cse-screening', shelterUser);
  const actions: Action[] = [
    { answer: 'present' },
    ...Array.from({ length: 7 }, () => ({ answer: 'not_present' })),
    { answer: 'identified' },
    { skip: true },
    { answer: receivedAt },
  ];
  const done = await driver.sendAll(actions);
  expect(done.body.conversation.status).toBe('completed');
  return done.body.tasks as Task[];
}

async function tasksOf(status: 'open' | 'done' | 'cancelled'): Promise<Task[]> {
  const listed = await stack.call('listTasks', { query: { status }, user: shelterUser });
  expect(listed.status).toBe(200);
  return listed.body.tasks as Task[];
}

async function expectAccessible(page: Page, screen: string) {
  expect(await seriousAxeViolations(page), `axe on ${screen}`).toEqual([]);
}

const cards = (page: Page) => widget(page).locator('.cse-widget__task');

/** Types the case reference into Web Chat's send box. */
async function typeReference(page: Page, subjectRef: string) {
  const box = widget(page).locator('.cse-widget textarea');
  await box.fill(subjectRef);
  await box.press('Enter');
}

describe('"My tasks" in the shelter widget (issue 17)', () => {
  it('shelter staff complete a task with evidence and cancel one with a reason, in place; overdue first, in words; a new task shows without a reload; axe finds nothing serious', {
    timeout: 180_000,
  }, async () => {
    const received = new Date(Date.now() - 6 * HOUR - 5 * 60_000).toISOString();
    const opened = await shelterScreening('SHELTER-TASKS-1', received);
    const phone = opened.find((task) => Date.parse(task.dueAt) === Date.parse(received))!;
    const written = opened.find((task) => task.id !== phone.id)!;
    expect(phone).toBeDefined();

    const page = await browser.newPage({ viewport: { width: 820, height: 900 } });
    await openHostPage(page, server.url, {
      org: 'demo-shelter',
      locale: 'en',
      'tasks-refresh-seconds': '5',
    });
    await widget(page).locator('.cse-widget[data-phase="reference"]').waitFor();

    // Tabs by keyboard: the selected tab is the one tab stop; the arrow keys move between them.
    const screeningTab = widget(page).getByRole('tab', { name: 'Screening' });
    expect(await screeningTab.getAttribute('aria-selected')).toBe('true');
    await screeningTab.focus();
    await page.keyboard.press('ArrowRight');
    const tasksTab = widget(page).getByRole('tab', { name: /^My tasks/ });
    expect(await tasksTab.getAttribute('aria-selected')).toBe('true');
    expect(await (await widgetFrame(page)).evaluate(() => document.activeElement?.getAttribute('role'))).toBe(
      'tab',
    );
    const panel = widget(page).getByRole('tabpanel', { name: /^My tasks/ });
    expect(await panel.isVisible()).toBe(true);
    expect(await widget(page).locator('.cse-widget textarea').isVisible()).toBe(false);

    // Overdue first, said in words (colour and an icon only repeat it), with what the law asks.
    await expect.poll(() => cards(page).count(), { timeout: 30_000 }).toBe(2);
    await expect.poll(() => tasksTab.textContent()).toBe('My tasks (2)');
    const first = cards(page).first();
    expect(await first.getByRole('heading').textContent()).toBe(phone.title);
    expect(await first.locator('.cse-widget__due').textContent()).toMatch(/Overdue by 6 hours/);
    expect(await first.getAttribute('class')).toContain('cse-widget__task--overdue');
    const second = cards(page).nth(1);
    expect(await second.locator('.cse-widget__due').textContent()).toMatch(/^Due in (29|30) hours$/);
    const facts = await first.locator('.cse-widget__facts').textContent();
    expect(facts).toContain('R-MANDATED-1');
    expect(facts).toContain(phone.citation);
    expect(facts).toContain('SHELTER-TASKS-1');
    expect(facts).toContain('required by law');
    expect(await first.locator('.cse-widget__needs li').count()).toBeGreaterThan(0);
    await expectAccessible(page, 'My tasks');
    await saveScreenshot(page, '6-my-tasks');

    // Mark as done: the form opens in place, under the card, with the keyboard in its first field.
    const markDone = first.getByRole('button', { name: 'Mark as done' });
    await markDone.click();
    expect(await markDone.getAttribute('aria-expanded')).toBe('true');
    const form = first.getByRole('form', { name: 'The report you made' });
    await form.waitFor();
    expect(
      await (await widgetFrame(page)).evaluate(
        () => (document.activeElement as HTMLInputElement | null)?.name,
      ),
    ).toBe('agency');
    await page.keyboard.type('County Sheriff');
    await form.getByLabel('Reference number').fill('SO-4471');
    expect(await form.getByLabel('When you made the report').inputValue()).toMatch(
      /^\d{4}-\d\d-\d\dT\d\d:\d\d$/,
    );
    await expectAccessible(page, 'the evidence form');
    await saveScreenshot(page, '7-evidence-form');
    await form.getByRole('button', { name: 'Save as done' }).click();
    const status = widget(page).locator('.cse-widget__status');
    await expect.poll(() => status.textContent()).toContain(`Saved. “${phone.title}” is done`);
    // Reported after the deadline: said plainly, without blame.
    expect(await status.textContent()).toContain('after the deadline');
    await expect.poll(() => cards(page).count()).toBe(1);
    const done = (await tasksOf('done')).find((task) => task.id === phone.id)!;
    expect(done.evidence).toMatchObject({ agency: 'County Sheriff', referenceNumber: 'SO-4471' });

    // A task opened elsewhere (another screening) shows up without a reload, and is announced.
    const laterReceived = new Date().toISOString();
    const later = await shelterScreening('SHELTER-TASKS-2', laterReceived);
    await expect.poll(() => cards(page).count(), { timeout: 30_000 }).toBe(3);
    await expect.poll(() => status.textContent()).toContain('New task:');
    // The new phone report is due now: it comes first.
    const newPhone = later.find((task) => Date.parse(task.dueAt) === Date.parse(laterReceived))!;
    expect(await cards(page).first().getByRole('heading').textContent()).toBe(newPhone.title);

    // Cancel with a reason, in place.
    const toCancel = cards(page).filter({ hasText: 'SHELTER-TASKS-1' });
    await toCancel.getByRole('button', { name: 'Cancel this task' }).click();
    const cancelForm = toCancel.getByRole('form', { name: 'Why is this task not owed?' });
    await cancelForm.getByLabel('Reason').fill('The written report went with the telephone report.');
    await cancelForm.getByRole('button', { name: 'Cancel the task' }).click();
    await expect.poll(() => status.textContent()).toContain(`Cancelled “${written.title}”.`);
    await expect.poll(() => cards(page).count()).toBe(2);
    const cancelled = (await tasksOf('cancelled')).find((task) => task.id === written.id)!;
    expect(cancelled.cancelReason).toBe('The written report went with the telephone report.');

    // Back to the screening tab: the chat is where it was.
    await widget(page).getByRole('tab', { name: 'Screening' }).click();
    await widget(page).locator('.cse-widget textarea').waitFor();
    await page.close();
  });

  it('speaks Spanish on the tab, and forgets the tasks on sign-out', { timeout: 120_000 }, async () => {
    const page = await browser.newPage({ viewport: { width: 820, height: 900 } });
    await page.goto(`${server.url}/widget/demo-es.html`);
    await openWidget(page);
    await signInWithMouse(page, 'Iniciar sesión');
    await widget(page)
      .getByRole('tab', { name: /^Mis tareas/ })
      .click();
    await expect.poll(() => cards(page).count(), { timeout: 30_000 }).toBeGreaterThan(0);
    const text = await widget(page).locator('.cse-widget__tasks-view').textContent();
    expect(text).toMatch(/Vence (en|ahora)|Vencida/);
    expect(text).toContain('Base legal');
    expect(text).toContain('exigido por la ley');
    await expectAccessible(page, 'Mis tareas');
    await widget(page).getByRole('button', { name: 'Cerrar sesión' }).click();
    await widget(page).getByRole('link', { name: 'Iniciar sesión' }).waitFor();
    expect(await widget(page).locator('.cse-widget__task').count()).toBe(0);
    expect(await widget(page).getByRole('tab').count()).toBe(0);
    expect(await widget(page).locator('.cse-widget').textContent()).not.toContain('SHELTER-TASKS');
    await page.close();
  });
});

describe('continuing an unfinished screening in the widget (issue 17)', () => {
  it('offers a screening left mid-way for the same case reference after a reload, and continues at the same question; a paused one too', {
    timeout: 180_000,
  }, async () => {
    const page = await browser.newPage({ viewport: { width: 820, height: 900 } });
    await page.goto(`${server.url}/widget/demo.html`);
    await openWidget(page);
    await signInWithMouse(page, 'Sign in');
    await typeReference(page, 'SHELTER-RESUME-1');
    await widget(page).locator('.cse-widget[data-version="0"]').waitFor();
    await clickAnswer(page, 'Yes, there is information about this');
    await clickAnswer(page, 'No, not from what I know');
    const question = await newestCard(page).locator('.ac-textBlock').nth(1).textContent();

    // Reload: the screen starts afresh, the screener types the same reference.
    await page.reload();
    await widget(page).locator('.cse-widget[data-phase="reference"]').waitFor();
    await typeReference(page, 'SHELTER-RESUME-1');
    await widget(page).locator('.cse-widget[data-phase="resume"]').waitFor();
    const offer = newestCard(page);
    expect(await offer.textContent()).toContain('SHELTER-RESUME-1 has a screening that was not finished');
    expect(await offer.textContent()).toContain('question 3 of 11');
    await expectAccessible(page, 'the offer to continue');
    await saveScreenshot(page, '8-continue-offer');
    // The keyboard is on the offer's first button.
    expect(await (await widgetFrame(page)).evaluate(() => document.activeElement?.textContent?.trim())).toBe(
      'Continue where it stopped',
    );
    await page.keyboard.press('Enter');
    await widget(page).locator('.cse-widget[data-phase="screening"][data-version="2"]').waitFor();
    expect(await newestCard(page).locator('.ac-textBlock').nth(1).textContent()).toBe(question);
    await expect.poll(() => widget(page).locator('.cse-widget progress').getAttribute('value')).toBe('3');

    // Paused at question 4, then the page reloads: continuing resumes at question 4.
    await clickAnswer(page, 'No, not from what I know');
    const pausedAt = await newestCard(page).locator('.ac-textBlock').nth(1).textContent();
    await clickAnswer(page, 'Pause');
    const conversations = await stack.call('listConversations', {
      query: { status: 'unfinished', subjectRef: 'SHELTER-RESUME-1' },
      user: shelterUser,
    });
    expect(conversations.body.conversations).toMatchObject([{ status: 'paused', version: 4 }]);
    await page.reload();
    await widget(page).locator('.cse-widget[data-phase="reference"]').waitFor();
    await typeReference(page, 'SHELTER-RESUME-1');
    await widget(page).locator('.cse-widget[data-phase="resume"]').waitFor();
    expect(await newestCard(page).textContent()).toContain('It was paused.');
    await newestCard(page).getByRole('button', { name: 'Continue where it stopped' }).click();
    await widget(page).locator('.cse-widget[data-phase="screening"][data-version="5"]').waitFor();
    expect(await newestCard(page).locator('.ac-textBlock').nth(1).textContent()).toBe(pausedAt);
    await expect.poll(() => widget(page).locator('.cse-widget progress').getAttribute('value')).toBe('4');
    await page.close();
  });

  it('offers the unfinished screening of the case reference the page holds, and starts a new one on request', {
    timeout: 120_000,
  }, async () => {
    const page = await browser.newPage({ viewport: { width: 820, height: 900 } });
    await openHostPage(page, server.url, {
      org: 'demo-shelter',
      locale: 'en',
      'subject-ref': 'SHELTER-RESUME-1',
    });
    await widget(page).locator('.cse-widget[data-phase="resume"]').waitFor();
    expect(await newestCard(page).textContent()).toContain('SHELTER-RESUME-1 has a screening');
    const created = page.waitForResponse(
      (response) => response.url().endsWith('/conversations') && response.request().method() === 'POST',
    );
    await newestCard(page).getByRole('button', { name: 'Start a new screening' }).click();
    expect((await created).status()).toBe(201);
    await widget(page).locator('.cse-widget[data-phase="screening"][data-version="0"]').waitFor();
    await expect.poll(() => widget(page).locator('.cse-widget progress').getAttribute('value')).toBe('1');
    await page.close();
  });
});
