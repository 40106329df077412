import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { act, answerFirst, signInAndChoosePin } from '../support/tablet.ts';
import { withTabletApp } from '../support/tablet-app.ts';
import { seriousAxeViolations } from '../support/widget.ts';

/**
 * Issue 20, item 4: one term per idea on the youth's screens, in both languages: "Skip" and "Not sure"
 * (the words of the questions' own help and of the interviewer's reasons), never "Prefer not to say / skip"
 * or "Unknown", no "Skip" beside the flow's "I'd rather not say", and the reminder that any question may be
 * skipped said once, on the first question, not on every one.
 */

const app = withTabletApp();

const terms = {
  en: {
    browser: 'en-US',
    reference: 'Case reference (not a name)',
    start: 'Start',
    skip: 'Skip',
    notSure: 'Not sure',
    ratherNot: 'I’d rather not say'.replace('’', "'"),
    retired: ['Prefer not to say / skip', 'Unknown'],
    reminder: /You can skip|say you are not sure/,
    interviewerUnknown: 'Unknown',
    ownWords: 'Say it in your own words, as much or as little as you like.',
  },
  es: {
    browser: 'es-US',
    reference: 'Referencia del caso (no un nombre)',
    start: 'Comenzar',
    skip: 'Saltar',
    notSure: 'No sé',
    ratherNot: 'Prefiero no decirlo',
    retired: ['Prefiero no decir / omitir', 'No se sabe'],
    reminder: /Puedes saltar|decir que no sabes/,
    interviewerUnknown: 'No se sabe',
    ownWords: 'Dilo con tus propias palabras, tanto o tan poco como quieras.',
  },
} as const;

async function labelsOf(page: Page): Promise<string[]> {
  return page.locator('.prompt .nav button').allInnerTexts();
}

describe('the youth’s words: one term per idea, the help said once (issue 20)', () => {
  for (const locale of ['en', 'es'] as const) {
    const words = terms[locale];
    it(`in ${locale === 'en' ? 'English' : 'Spanish'}`, async () => {
      const context = await app.browser.newContext({
        viewport: { width: 820, height: 1180 },
        timezoneId: 'America/Los_Angeles',
        locale: words.browser,
        serviceWorkers: 'allow',
      });
      const page = await context.newPage();
      await signInAndChoosePin(page, app.url);
      await page.getByLabel(words.reference).fill(`RET-50${locale === 'en' ? '01' : '02'}`);
      await page.getByRole('button', { name: words.start, exact: true }).click();
      await page.locator('.interview[data-version="0"]').waitFor();

      const helpSentences: string[] = [];
      const reminders: string[] = [];
      let answeredNotSure = false;
      for (let asked = 0; asked < 11; asked += 1) {
        const prompt = page.locator('.prompt');
        const id = (await prompt.getAttribute('data-prompt')) ?? '';
        const labels = await labelsOf(page);
        const choices = await prompt.locator('button.choice').allInnerTexts();
        for (const retired of words.retired) expect(labels, id).not.toContain(retired);
        expect(labels, id).toContain(words.notSure);
        if (choices.includes(words.ratherNot)) {
          // The flow's own "I'd rather not say" is this question's way to decline: no second one beside it.
          expect(id).toBe('away_stayed');
          expect(labels, id).not.toContain(words.skip);
        } else {
          expect(labels, id).toContain(words.skip);
        }
        const help =
          (await prompt.locator('.help').count()) > 0
            ? ((await prompt.locator('.help').textContent()) ?? '')
            : '';
        const question = (await page.locator('#question').textContent()) ?? '';
        for (const sentence of `${question} ${help}`.split(/(?<=[.!?])\s+/)) {
          if (words.reminder.test(sentence)) reminders.push(`${id}: ${sentence}`);
        }
        helpSentences.push(...help.split(/(?<=[.!?])\s+/).filter((sentence) => sentence !== ''));
        if (asked === 0) expect(await seriousAxeViolations(page)).toEqual([]);
        if (!answeredNotSure && id === 'away_felt_safe') {
          await act(page, () => prompt.getByRole('button', { name: words.notSure, exact: true }).click());
          answeredNotSure = true;
        } else {
          await answerFirst(page);
        }
      }
      // The reminder is said once, at the start; no help sentence repeats from question to question.
      expect(reminders).toHaveLength(1);
      expect(reminders[0]).toMatch(/^leaving_factors: /);
      // Only the two questions answered in the youth's own words share their one instruction for it.
      const repeated = helpSentences.filter((sentence, index) => helpSentences.indexOf(sentence) !== index);
      expect(repeated).toEqual([words.ownWords]);
      // The answers so far say what the buttons said.
      expect(await page.locator('#transcript').textContent()).toContain(words.notSure);
      // The interviewer's own questions keep "Unknown", and "Skip" for declining.
      await page.locator('.prompt[data-prompt="determination"]').waitFor();
      await answerFirst(page);
      const interviewerLabels = await labelsOf(page);
      expect(interviewerLabels).toContain(words.interviewerUnknown);
      expect(interviewerLabels).not.toContain(words.retired[0]);
      expect(await seriousAxeViolations(page)).toEqual([]);
      await context.close();
    }, 180_000);
  }
});
