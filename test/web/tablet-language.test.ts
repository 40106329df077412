import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { ScreeningDriver } from '../support/screening.ts';
import { answerFirst, interviewer, screenshot, signInAndChoosePin, unlock } from '../support/tablet.ts';
import { withTabletApp } from '../support/tablet-app.ts';
import { seriousAxeViolations } from '../support/widget.ts';

/**
 * Issue 20, item 3: the interviewer's screens follow the interviewer's own language (their choice, kept on
 * the tablet, at first the browser's), the youth's questions the interview's language.
 */

const app = withTabletApp();

const context = (locale: string) =>
  app.browser.newContext({
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
    await signInAndChoosePin(page, app.url);
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
    await page.goto(app.url);
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

  it('a Spanish interview continued from elsewhere shows the youth’s earlier answers in Spanish and the interviewer’s own in English', async () => {
    // Started elsewhere in Spanish: the youth's part answered, then the interviewer's determination.
    const elsewhere = await ScreeningDriver.start(app.stack, 'es', 'RET-4002', 'runaway-return', interviewer);
    for (let turn = 0; turn < 20 && elsewhere.promptId !== 'determination'; turn += 1) {
      const prompt = elsewhere.last.body.prompt;
      const result = await elsewhere.send(
        prompt.allowsUnknown
          ? { unknown: true }
          : prompt.kind === 'text'
            ? { answer: 'Unas palabras' }
            : prompt.kind === 'multichoice'
              ? { answer: [prompt.choices[0].id] }
              : { answer: prompt.choices[0].id },
      );
      expect(result.status).toBe(200);
    }
    expect((await elsewhere.send({ answer: 'identified' })).status).toBe(200);

    const ctx = await context('en-US');
    const page = await ctx.newPage();
    await signInAndChoosePin(page, app.url);
    const item = page.locator(`#unfinished li[data-conversation="${elsewhere.id}"]`);
    await item.getByRole('button', { name: 'Continue' }).click();
    await page.locator(`.interview[data-conversation="${elsewhere.id}"]`).waitFor();
    const lines = page.locator('#transcript li');
    const count = await lines.count();
    expect(count).toBe(elsewhere.version);
    // The youth's lines as the youth saw them, with the tablet's own words for "not sure".
    expect(await lines.first().getAttribute('lang')).toBe('es');
    expect(await page.locator('#transcript li[lang="es"]').allTextContents()).toContainEqual(
      expect.stringContaining('No sé'),
    );
    // The interviewer's determination in the interviewer's language.
    const last = lines.nth(count - 1);
    expect(await last.getAttribute('lang')).toBe('en');
    expect(await last.textContent()).toMatch(
      /^For the interviewer: from the youth’s answers.*Identified as a victim of CSE$/,
    );
    expect(await seriousAxeViolations(page)).toEqual([]);
    await ctx.close();
  }, 120_000);
});
