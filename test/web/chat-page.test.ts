import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BROWSER_TEST,
  type ChatHarness,
  clickAndWaitForTurn,
  demo,
  expectAccessible,
  openSignedIn,
  questionText,
  shownVersion,
  startChatHarness,
  startFromForm,
  WAIT,
} from './chat-support.ts';

let harness: ChatHarness;

beforeAll(async () => {
  harness = await startChatHarness('2026-11-28T17:00:00.000Z');
});

afterAll(async () => {
  await harness?.close();
});

const caseworker = demo.caseworker.user;
const signedIn = () => openSignedIn(harness, demo.caseworker.name);

/** Every answer.given event recorded for a conversation, as the API keeps them. */
async function answersOf(conversationId: string) {
  const detail = await harness.stack.call('getConversation', { id: conversationId, user: caseworker });
  expect(detail.status).toBe(200);
  return (detail.body.events as { type: string; promptId?: string }[]).filter(
    (event) => event.type === 'answer.given',
  );
}

/** The page's visible text, for checks on how it reads (no raw ISO instants). */
// biome-ignore lint/performance/useDomNodeTextContent: what is on screen is the point, hidden text is not
const visibleText = (page: Page) => page.locator('main').innerText();

describe('the chat page in Chromium', BROWSER_TEST, () => {
  it.each([
    [
      'en',
      'Yes, there is information about this',
      'No, not from what I know',
      'Identified as a victim of CSE',
      'Yes',
      'Unknown',
      'Screening complete',
    ],
    [
      'es',
      'Sí, hay información sobre esto',
      'No, según lo que sé',
      'Identificado como víctima de ESC',
      'Sí',
      'No se sabe',
      'Evaluación completa',
    ],
  ] as const)(
    'runs a complete screening against the API (%s) and shows the tasks it opened',
    async (locale, present, absent, identified, yes, unknown, done) => {
      const page = await signedIn();
      await startFromForm(page, `CASE-${locale}`, { locale });

      await clickAndWaitForTurn(page, present);
      for (let i = 1; i < 8; i += 1) await clickAndWaitForTurn(page, absent);
      await clickAndWaitForTurn(page, identified);
      await clickAndWaitForTurn(page, yes);
      // Open § 602 matter, services needed, when received: each answered "unknown".
      for (let i = 0; i < 3; i += 1) await clickAndWaitForTurn(page, unknown);

      await expect.poll(() => page.locator('#prompt h2').textContent(), WAIT).toBe(done);
      // R-REPORT-1, the three R-REPORT-3 cross-reports, R-PLAN-1, and R-DEF-1 (§ 602 status unknown).
      const tasks = await page.locator('.task').allTextContents();
      expect(tasks.map((task) => task.match(/R-[A-Z]+-\d/)?.[0])).toEqual([
        'R-REPORT-1',
        'R-REPORT-3',
        'R-REPORT-3',
        'R-REPORT-3',
        'R-PLAN-1',
        'R-DEF-1',
      ]);
      const stored = await harness.stack.call('listTasks', { query: { status: 'open' }, user: caseworker });
      expect(
        stored.body.tasks.filter((task: { subjectRef: string }) => task.subjectRef === `CASE-${locale}`),
      ).toHaveLength(6);
      await page.close();
    },
  );

  it('runs a missing-from-care report with a several-choice question and shows the reports it opened', async () => {
    const page = await signedIn();
    await startFromForm(page, 'CASE-MISSING', { flow: 'missing-from-care' });
    await clickAndWaitForTurn(page, 'Yes');
    for (let guard = 0; guard < 20; guard += 1) {
      const checkbox = page.locator('#prompt input[type=checkbox]').first();
      if (await page.locator('#prompt h2').count()) break;
      if (await checkbox.count()) {
        await checkbox.check();
        await clickAndWaitForTurn(page, 'Send');
      } else {
        await clickAndWaitForTurn(page, 'Unknown');
      }
    }
    await expect.poll(() => page.locator('#prompt h2').textContent(), WAIT).toBe('Screening complete');
    const tasks = await page.locator('.task').allTextContents();
    expect(tasks.some((task) => task.includes('R-REPORT-2'))).toBe(true);
    expect(tasks.some((task) => task.includes('R-RUN-2'))).toBe(true);
    await page.close();
  });
});

describe('the chat page under stress', BROWSER_TEST, () => {
  it('hides the start form when signed out and while a conversation runs; shows it again after a pause', async () => {
    const page = await harness.browser.newPage();
    await page.goto(`${harness.server.url}/`);
    await page.getByRole('link', { name: 'Sign in' }).waitFor();
    expect(await page.locator('#start').isVisible()).toBe(false);
    await expectAccessible(page, 'signed out');

    await page.getByRole('link', { name: 'Sign in' }).click();
    await page.getByRole('button', { name: demo.caseworker.name }).click();
    await page.getByLabel('Case reference (not a name)').waitFor();
    expect(await page.locator('#start').isVisible()).toBe(true);
    await expectAccessible(page, 'start form');

    await startFromForm(page, 'CASE-HIDE');
    expect(await page.locator('#start').isVisible()).toBe(false);
    expect(await page.getByLabel('Case reference (not a name)').isVisible()).toBe(false);
    await clickAndWaitForTurn(page, 'Pause');
    await page.getByRole('button', { name: 'Start or continue another conversation' }).click();
    await page.getByLabel('Case reference (not a name)').waitFor();
    expect(await page.locator('#start').isVisible()).toBe(true);

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('link', { name: 'Sign in' }).waitFor();
    expect(await page.locator('#start').isVisible()).toBe(false);
    await page.close();
  });

  it('shows a question exactly once, with the note field before the answer buttons', async () => {
    const page = await signedIn();
    await startFromForm(page, 'CASE-ONCE');
    const first = (await questionText(page))!;
    expect(await page.getByText(first, { exact: true }).count()).toBe(1);
    // The note is typed before a choice button sends the answer, so it must come first.
    const noteBeforeChoices = await page.evaluate(() => {
      const note = document.querySelector('#prompt input[type=text]');
      const choice = document.querySelector('#prompt .choices button');
      return Boolean(
        note && choice && note.compareDocumentPosition(choice) & Node.DOCUMENT_POSITION_FOLLOWING,
      );
    });
    expect(noteBeforeChoices).toBe(true);
    await expect.poll(() => page.getByLabel('Note (optional)').count(), WAIT).toBe(1);
    await expectAccessible(page, 'first question');

    await page.getByLabel('Note (optional)').fill('Seen at the shelter');
    await clickAndWaitForTurn(page, 'No, not from what I know');
    const second = (await questionText(page))!;
    expect(second).not.toBe(first);
    // The answered question moved into the transcript, once; the new one is on screen, once.
    expect(await page.getByText(first, { exact: true }).count()).toBe(1);
    expect(await page.getByText(second, { exact: true }).count()).toBe(1);
    expect(await page.locator('#log li').allTextContents()).toEqual([first, 'You: No, not from what I know']);
    await page.close();
  });

  it('keeps retrying through 503s with the status on screen, and the answer lands exactly once', async () => {
    const page = await signedIn();
    const id = await startFromForm(page, 'CASE-503');
    let calls = 0;
    await page.route('**/conversations/*/turns', async (route) => {
      calls += 1;
      if (calls === 1) {
        // The server records the answer, but the reply is lost on the way back: the retry must not repeat it.
        await route.fetch();
        return route.fulfill({
          status: 503,
          contentType: 'application/json',
          body: '{"message":"Service Unavailable"}',
        });
      }
      if (calls <= 3) return route.fulfill({ status: 503, contentType: 'application/json', body: '{}' });
      return route.continue();
    });
    const before = await shownVersion(page);
    await page.locator('#prompt').getByRole('button', { name: 'No, not from what I know' }).click();
    await expect
      .poll(() => page.getByRole('status').filter({ hasText: 'Connection problem' }).count(), WAIT)
      .toBe(1);
    expect(await page.locator('#connection').isVisible()).toBe(true);
    expect(await page.getByRole('button', { name: 'Try now' }).isVisible()).toBe(true);

    await page.locator(`#prompt[data-version="${before + 1}"]`).waitFor({ timeout: 20_000 });
    expect(calls).toBe(4);
    expect(await page.locator('#connection').isVisible()).toBe(false);
    expect(await answersOf(id)).toHaveLength(1);
    await page.close();
  });

  it('shows dates as dates, and a warning names the task it is about', async () => {
    const page = await signedIn();
    await startFromForm(page, 'CASE-LATE');
    await clickAndWaitForTurn(page, 'Yes, there is information about this');
    for (let i = 1; i < 8; i += 1) await clickAndWaitForTurn(page, 'No, not from what I know');
    await clickAndWaitForTurn(page, 'Identified as a victim of CSE');
    await clickAndWaitForTurn(page, 'Yes');
    for (let i = 0; i < 2; i += 1) await clickAndWaitForTurn(page, 'Unknown');
    // Received two days before the screening: the 24-hour report opens already overdue, with a warning.
    await page.locator('#prompt input[type=datetime-local]').fill('2026-11-26T08:11');
    const reply = page.waitForResponse((response) => response.url().includes('/turns'));
    await clickAndWaitForTurn(page, 'Send');
    const body = await (await reply).json();

    const report = body.tasks.find((task: { requirementId: string }) => task.requirementId === 'R-REPORT-1');
    const warning = body.warnings.find((candidate: { taskId?: string }) => candidate.taskId === report.id);
    expect(warning.code).toBe('task_overdue_on_creation');
    const shown = await page.locator('#prompt .warning').allTextContents();
    expect(shown).toContainEqual(
      expect.stringContaining(`“${report.title}” (R-REPORT-1): ${warning.message}`),
    );
    const text = await visibleText(page);
    expect(text).not.toMatch(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/);
    // The answer is echoed as a date, and due times read like "28 Nov 2026, 17:00" in the browser's format.
    const expectedDue = new Intl.DateTimeFormat('en-US', {
      day: 'numeric',
      month: 'short',
      year: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
    }).format(new Date(report.dueAt));
    expect(await page.locator('.task').first().textContent()).toContain(expectedDue);
    expect(await page.locator('#log li.you').last().textContent()).toContain('2026');
    await expectAccessible(page, 'outcome with a warning');
    await page.close();
  });
});
