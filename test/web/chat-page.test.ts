import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningDevServer, startDevServer } from '../../scripts/dev-server.ts';
import { launchChromium } from '../support/browser.ts';
import { createTestStack, type TestStack, type TestUser } from '../support/stack.ts';

let stack: TestStack;
let server: RunningDevServer;
let browser: Browser;

beforeAll(async () => {
  stack = await createTestStack({ startAt: '2026-11-28T17:00:00.000Z' });
  server = await startDevServer({ deps: stack.deps, port: 0, signInUrl: `${stack.idp.issuer}/sign-in` });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

/** The demo caseworker the page signs in as, through the identity provider's sign-in page. */
const caseworker: TestUser = {
  sub: 'demo-caseworker',
  org: 'demo-county',
  unit: 'unit-1',
  roles: ['caseworker'],
};

async function openSignedIn(): Promise<Page> {
  const page = await browser.newPage();
  await page.goto(`${server.url}/`);
  await page.getByRole('link', { name: 'Sign in' }).click();
  await page
    .getByRole('button', { name: /caseworker/i })
    .first()
    .click();
  await page.getByLabel('Case reference (not a name)').waitFor();
  return page;
}

/** Clicks, waits for the turn's reply, and then for the page to show the next version, so no click lands on a stale prompt. */
async function clickAndWaitForTurn(page: Page, name: string | RegExp) {
  const before = Number((await page.locator('#prompt').getAttribute('data-version')) ?? '0');
  const turn = page.waitForResponse((response) => response.url().includes('/turns'));
  await page.getByRole('button', { name, exact: typeof name === 'string' }).click();
  expect((await turn).status()).toBe(200);
  await page.locator(`#prompt[data-version="${before + 1}"]`).waitFor();
}

describe('the chat page in Chromium', () => {
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
  ])(
    'runs a complete screening against the API (%s) and shows the tasks it opened',
    async (locale, present, absent, identified, yes, unknown, done) => {
      const page = await openSignedIn();
      await page.getByLabel('Case reference (not a name)').fill(`CASE-${locale}`);
      await page.getByLabel('Language / Idioma').selectOption(locale);
      await page.getByRole('button', { name: 'Start', exact: true }).click();

      await clickAndWaitForTurn(page, present);
      for (let i = 1; i < 8; i += 1) await clickAndWaitForTurn(page, absent);
      await clickAndWaitForTurn(page, identified);
      await clickAndWaitForTurn(page, yes);
      // Open § 602 matter, services needed, when received: each answered "unknown".
      for (let i = 0; i < 3; i += 1) await clickAndWaitForTurn(page, unknown);

      await expect.poll(() => page.locator('#prompt h2').textContent()).toBe(done);
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
      const stored = await stack.call('listTasks', { query: { status: 'open' }, user: caseworker });
      expect(
        stored.body.tasks.filter((task: { subjectRef: string }) => task.subjectRef === `CASE-${locale}`),
      ).toHaveLength(6);
      await page.close();
    },
  );

  it('runs a missing-from-care report with a several-choice question and shows the reports it opened', {
    timeout: 90_000,
  }, async () => {
    const page = await openSignedIn();
    await page.getByLabel('Case reference (not a name)').fill('CASE-MISSING');
    await page.getByLabel('Conversation').selectOption('missing-from-care');
    await page.getByRole('button', { name: 'Start', exact: true }).click();
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
    await expect.poll(() => page.locator('#prompt h2').textContent()).toBe('Screening complete');
    const tasks = await page.locator('.task').allTextContents();
    expect(tasks.some((task) => task.includes('R-REPORT-2'))).toBe(true);
    expect(tasks.some((task) => task.includes('R-RUN-2'))).toBe(true);
    await page.close();
  });
});
