import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTablet } from '../../scripts/build-tablet.ts';
import { type RunningDevServer, startDevServer } from '../../scripts/dev-server.ts';
import { launchChromium } from '../support/browser.ts';
import { createTestStack, type TestStack } from '../support/stack.ts';
import { answerFirst, screenshot, signInAndChoosePin, unlock } from '../support/tablet.ts';
import { seriousAxeViolations } from '../support/widget.ts';

/**
 * Issue 20, item 3: the interviewer's screens follow the interviewer's own language (their choice, kept on
 * the tablet, at first the browser's), the youth's questions the interview's language.
 */

let stack: TestStack;
let server: RunningDevServer;
let browser: Browser;

beforeAll(async () => {
  stack = await createTestStack({ liveClock: true });
  await buildTablet();
  server = await startDevServer({
    deps: stack.deps,
    port: 0,
    oidc: { issuer: stack.idp.issuer, clientId: stack.idp.clientId },
  });
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

const context = (locale: string) =>
  browser.newContext({
    viewport: { width: 820, height: 1180 },
    timezoneId: 'America/Los_Angeles',
    locale,
    serviceWorkers: 'allow',
  });

const header = async (page: Page) => ({
  lock: await page.locator('#lock').textContent(),
  wipe: await page.locator('#wipe').textContent(),
  queue: await page.locator('#queue').textContent(),
  network: await page.locator('#network').textContent(),
  progress: await page.locator('#progress-text').textContent(),
  lang: await page.locator('html').getAttribute('lang'),
});

describe('the interviewer’s language and the youth’s are separate (issue 20)', () => {
  it('an English-speaking interviewer runs a Spanish interview: the youth’s questions in Spanish, Lock, Wipe, the determination and the outcome in English', async () => {
    const ctx = await context('en-US');
    const page = await ctx.newPage();
    await signInAndChoosePin(page, `${server.url}/tablet/`);
    await page.getByLabel('Case reference (not a name)').fill('RET-4001');
    await page.getByLabel('Language of the interview').selectOption('es');
    await page.getByRole('button', { name: 'Start', exact: true }).click();
    await page.locator('.interview[data-version="0"]').waitFor();
    await page.locator('#queue[data-pending="0"]').waitFor();

    // The youth's question speaks Spanish, and says so to assistive technology; the interviewer's frame English.
    const card = page.locator('.prompt');
    expect(await card.getAttribute('lang')).toBe('es');
    expect(await page.locator('#question').textContent()).toMatch(/^Gracias por hablar conmigo/);
    expect(await card.getByRole('button', { name: 'Listo', exact: true }).count()).toBe(1);
    expect(await header(page)).toEqual({
      lock: 'Lock',
      wipe: 'Wipe tablet',
      queue: 'All answers sent',
      network: 'Online',
      progress: expect.stringMatching(/^Question 1 of \d+$/),
      lang: 'en',
    });
    expect(await seriousAxeViolations(page)).toEqual([]);
    await screenshot(page, 'language-youth-es-interviewer-en');

    // The youth's eleven questions, in Spanish throughout.
    for (let asked = 0; asked < 11; asked += 1) {
      expect(await card.getAttribute('lang')).toBe('es');
      await answerFirst(page);
    }
    // The interviewer's part: in English, though the interview is Spanish.
    expect(await card.getAttribute('data-prompt')).toBe('determination');
    expect(await card.getAttribute('lang')).toBe('en');
    expect(await page.locator('#question').textContent()).toMatch(
      /^For the interviewer: from the youth’s answers/,
    );
    // The answers so far: the youth's in Spanish.
    expect(await page.locator('#transcript').textContent()).toContain('Conflictos o peleas donde vivía');
    expect(await page.locator('#transcript li').first().getAttribute('lang')).toBe('es');
    expect(await seriousAxeViolations(page)).toEqual([]);
    await screenshot(page, 'language-determination-en');

    // The wipe dialog and the lock screen are the interviewer's.
    await page.getByRole('button', { name: 'Wipe tablet' }).click();
    await page.getByRole('heading', { name: 'Wipe this tablet?' }).waitFor();
    await page.getByRole('button', { name: 'Cancel' }).click();
    await page.getByRole('button', { name: 'Lock', exact: true }).click();
    await page.getByRole('heading', { name: 'Locked' }).waitFor();
    await unlock(page);
    await page.locator('.prompt[data-prompt="determination"]').waitFor();

    // Through to the end: the outcome in English.
    while (
      (await card.getAttribute('data-prompt')) !== 'finished' &&
      (await page.locator('#sent').count()) === 0
    )
      await answerFirst(page).catch(async (error) => {
        // The last answer leaves the interview screen for the confirmation: no version to wait for.
        if ((await page.locator('#sent').count()) === 0) throw error;
      });
    await page.locator('#sent').waitFor({ timeout: 30_000 });
    expect(await page.locator('#sent h2').textContent()).toBe(
      'The interview is finished and in the county’s records. Nothing about it is left on this tablet.',
    );
    expect(await page.locator('#sent h3').textContent()).toBe('Reporting tasks opened');
    expect(await seriousAxeViolations(page)).toEqual([]);
    await ctx.close();
  }, 180_000);

  it('the interviewer’s language is at first the browser’s, and their choice is kept on the tablet', async () => {
    const ctx = await context('es-US');
    const page = await ctx.newPage();
    await page.goto(`${server.url}/tablet/`);
    await page.getByRole('link', { name: 'Iniciar sesión', exact: true }).waitFor();
    expect(await page.locator('#wipe').textContent()).toBe('Borrar tableta');
    await page.getByRole('button', { name: 'English', exact: true }).click();
    await page.getByRole('link', { name: 'Sign in', exact: true }).waitFor();
    await page.reload();
    await page.getByRole('link', { name: 'Sign in', exact: true }).waitFor();
    expect(await page.locator('#wipe').textContent()).toBe('Wipe tablet');
    // Only the language is kept, nothing about anyone.
    expect(await page.evaluate(() => ({ ...localStorage }))).toEqual({ 'tablet.language': 'en' });
    await ctx.close();
  }, 60_000);
});
