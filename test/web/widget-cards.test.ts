import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Prompt } from '#flows/prompt.ts';
import { promptCard } from '#functions/teams/cards.ts';
import { buildWidget } from '../../scripts/build-widget.ts';
import { type RunningDevServer, startDevServer } from '../../scripts/dev-server.ts';
import { say } from '../../web/widget/words.ts';
import { launchChromium } from '../support/browser.ts';
import { createTestStack, type TestStack } from '../support/stack.ts';
import {
  clickAnswer,
  newestCard,
  openWidget,
  saveScreenshot,
  seriousAxeViolations,
  signInWithMouse,
  widget,
  widgetFrame,
} from '../support/widget.ts';

/**
 * Issue 20 in the shelter widget, in Chromium against the real API on DynamoDB Local: a date/time card is
 * checked on its own fields before anything is sent (item 6), an API refusal is said in plain words (item 6).
 */

let stack: TestStack;
let server: RunningDevServer;
let browser: Browser;

beforeAll(async () => {
  await buildWidget();
  stack = await createTestStack({ startAt: '2026-11-28T17:00:00.000Z' });
  server = await startDevServer({
    deps: stack.deps,
    port: 0,
    oidc: { issuer: stack.idp.issuer, clientId: stack.idp.clientId },
  });
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

const words = {
  en: {
    page: '/widget/demo.html',
    signIn: 'Sign in',
    present: 'Yes, there is information about this',
    absent: 'No, not from what I know',
    identified: 'Identified as a victim of CSE',
    unknown: 'Unknown',
    send: 'Send',
    skip: 'Skip',
    done: 'Done',
  },
  es: {
    page: '/widget/demo-es.html',
    signIn: 'Iniciar sesión',
    present: 'Sí, hay información sobre esto',
    absent: 'No, según lo que sé',
    identified: 'Identificado como víctima de ESC',
    unknown: 'No se sabe',
    send: 'Enviar',
    skip: 'Omitir',
    done: 'Listo',
  },
} as const;

type Locale = keyof typeof words;

/** Signs in, types a case reference and answers up to the date and time the information was received. */
async function toDateTimeCard(page: Page, locale: Locale, subjectRef: string) {
  const w = words[locale];
  await page.goto(`${server.url}${w.page}`);
  await openWidget(page);
  await signInWithMouse(page, w.signIn);
  const box = widget(page).locator('.cse-widget textarea');
  await box.fill(subjectRef);
  await box.press('Enter');
  await widget(page).locator('.cse-widget[data-version="0"]').waitFor();
  // Item 7: the screener's checklist offers a professional's "Skip", not the youth's "Prefer not to say".
  const buttons = (await newestCard(page).getByRole('button').allTextContents()).map((text) => text.trim());
  expect(buttons).toEqual(expect.arrayContaining([w.unknown, w.skip]));
  expect(buttons.join(' ')).not.toMatch(/prefer not to say|prefiero no decir/i);
  for (const label of [w.present, ...Array<string>(7).fill(w.absent), w.identified, w.unknown])
    await clickAnswer(page, label);
  await newestCard(page).locator('input[type="date"]').waitFor();
}

/** What the frame shows about the newest card's date and time fields, and where the keyboard is. */
function fieldState(page: Page) {
  return widgetFrame(page).then((frame) =>
    frame.evaluate(() => {
      const cards = Array.from(document.querySelectorAll('.ac-adaptiveCard')).filter(
        (card) => !card.parentElement?.closest('.ac-adaptiveCard'),
      );
      const card = cards.at(-1)!;
      const field = (type: string) => {
        const input = card.querySelector(`input[type="${type}"]`) as HTMLInputElement;
        const ids: string[] = (input.getAttribute('aria-describedby') ?? '').split(' ').filter(Boolean);
        const messages = ids
          .map((id) => document.getElementById(id))
          .filter((note): note is HTMLElement => !!note?.classList.contains('cse-widget__field-error'))
          .map((note) => note.textContent);
        const box = input.getBoundingClientRect();
        return {
          invalid: input.getAttribute('aria-invalid'),
          messages,
          // The message is inside the card, next to its field.
          onCard: ids.every(
            (id) => !document.getElementById(id) || card.contains(document.getElementById(id)),
          ),
          inView: box.top >= 0 && box.bottom <= window.innerHeight,
        };
      };
      const focused = document.activeElement as HTMLInputElement | null;
      return {
        date: field('date'),
        time: field('time'),
        focus: focused?.tagName === 'INPUT' ? focused.type : (focused?.tagName ?? ''),
        version: document.querySelector('.cse-widget')?.getAttribute('data-version'),
        botProblems: Array.from(
          document.querySelectorAll('.webchat__bubble:not(.webchat__bubble--from-user)'),
        )
          .map((bubble) => bubble.textContent ?? '')
          .filter((text) => /invalid_request|could not be saved|No se pudo guardar/.test(text)),
      };
    }),
  );
}

describe('the widget’s date and time card (issue 20, item 6)', () => {
  for (const locale of ['en', 'es'] as const) {
    it(`checks a date without a time on the field itself, in ${locale === 'en' ? 'English' : 'Spanish'}, and sends nothing until both are there`, {
      timeout: 180_000,
    }, async () => {
      const w = words[locale];
      const page = await browser.newPage({ viewport: { width: 800, height: 820 } });
      const turns: string[] = [];
      page.on('request', (request) => {
        if (request.method() === 'POST' && request.url().endsWith('/turns')) turns.push(request.url());
      });
      await toDateTimeCard(page, locale, `FIELDS-${locale.toUpperCase()}-1`);
      const card = newestCard(page);
      const date = card.locator('input[type="date"]');
      const time = card.locator('input[type="time"]');
      const send = card.getByRole('button', { name: w.send, exact: true });
      const sent = turns.length;
      const version = (await fieldState(page)).version;

      // Neither: both fields say so; the keyboard goes to the date; nothing is sent; the card stays in view.
      await send.click();
      let state = await fieldState(page);
      expect(state.date).toMatchObject({
        invalid: 'true',
        messages: [say(locale, 'needDate')],
        onCard: true,
        inView: true,
      });
      expect(state.time).toMatchObject({
        invalid: 'true',
        messages: [say(locale, 'needTime')],
        onCard: true,
      });
      expect(state.focus).toBe('date');
      expect(await seriousAxeViolations(page)).toEqual([]);
      await saveScreenshot(page, `fields-${locale}-neither`);

      // A date alone: the date's message goes as it is filled; the time's stays, and the keyboard goes there.
      await date.fill('2026-11-28');
      expect((await fieldState(page)).date).toMatchObject({ invalid: null, messages: [] });
      await send.click();
      state = await fieldState(page);
      expect(state.date).toMatchObject({ invalid: null, messages: [] });
      expect(state.time).toMatchObject({
        invalid: 'true',
        messages: [say(locale, 'needTime')],
        inView: true,
      });
      expect(state.focus).toBe('time');

      // A time alone (the date cleared): the date is asked for, once (a second press does not repeat it).
      await date.fill('');
      await time.fill('08:30');
      await send.click();
      await send.click();
      state = await fieldState(page);
      expect(state.date).toMatchObject({
        invalid: 'true',
        messages: [say(locale, 'needDate')],
        inView: true,
      });
      expect(state.time).toMatchObject({ invalid: null, messages: [] });
      expect(state.focus).toBe('date');
      expect(
        await card.locator('.cse-widget__field-error').count(),
        'one message per field, never repeated',
      ).toBe(1);

      // Nothing was sent, no error came back, the same question is on screen.
      expect(turns.length).toBe(sent);
      expect(state.version).toBe(version);
      expect(state.botProblems).toEqual([]);

      // Both: sent once, and the screening ends.
      await date.fill('2026-11-28');
      await send.click();
      await widget(page).locator('.cse-widget[data-phase="done"]').waitFor();
      expect(turns.length).toBe(sent + 1);
      await expect.poll(() => newestCard(page).textContent()).toContain(w.done);
      await page.close();
    });
  }

  it('says an API refusal in plain words in the screener’s language, never its code', {
    timeout: 180_000,
  }, async () => {
    for (const locale of ['en', 'es'] as const) {
      const page = await browser.newPage({ viewport: { width: 800, height: 820 } });
      await toDateTimeCard(page, locale, `FIELDS-${locale.toUpperCase()}-2`);
      const w = words[locale];
      // The next turn is refused as a malformed request would be, then as a step the flow does not accept.
      const refusals = [
        { status: 400, code: 'invalid_request', reason: say(locale, 'reasonCheck') },
        { status: 409, code: 'event_not_accepted', reason: say(locale, 'reasonNotPossible') },
      ];
      for (const refusal of refusals) {
        await page.route('**/conversations/*/turns', (route) =>
          route.fulfill({
            status: refusal.status,
            contentType: 'application/json',
            body: JSON.stringify({ error: { code: refusal.code, message: 'refused' } }),
          }),
        );
        await newestCard(page).getByRole('button', { name: w.unknown, exact: true }).click();
        const said = say(locale, 'problem', { reason: refusal.reason });
        await expect
          .poll(() => widget(page).locator('.cse-widget .webchat__bubble').allTextContents())
          .toEqual(expect.arrayContaining([expect.stringContaining(said)]));
        await page.unroute('**/conversations/*/turns');
      }
      const transcript = (await widget(page).locator('.cse-widget .webchat__bubble').allTextContents()).join(
        ' ',
      );
      expect(transcript).not.toMatch(/invalid_request|event_not_accepted|\(4\d\d\)/);
      await page.close();
    }
  });
});

describe('the widget’s words for an API refusal (issue 20, item 6)', () => {
  it('maps every 4xx code to a sentence in both languages, never showing the code', async () => {
    const { reasonFor } = await import('../../web/widget/words.ts');
    const cases: [number, string, string][] = [
      [400, 'invalid_request', 'reasonCheck'],
      [400, 'malformed_json', 'reasonCheck'],
      [422, 'empty_answer', 'reasonCheck'],
      [422, 'invalid_datetime', 'reasonCheck'],
      [422, 'datetime_in_future', 'reasonFuture'],
      [413, 'payload_too_large', 'reasonTooLong'],
      [403, 'forbidden', 'reasonForbidden'],
      [404, 'not_found', 'reasonNotFound'],
      [429, 'rate_limited', 'reasonBusy'],
      [409, 'event_not_accepted', 'reasonNotPossible'],
      [422, 'choice_not_offered', 'reasonNotPossible'],
      [422, 'some_future_code', 'reasonNotPossible'],
      [418, 'teapot', 'reasonOther'],
      [500, 'internal_error', 'reasonOther'],
    ];
    for (const [status, code, word] of cases) {
      for (const locale of ['en', 'es'] as const) {
        const said = reasonFor(locale, status, code);
        expect(said, `${status} ${code}`).toBe(say(locale, word as 'reasonCheck'));
        expect(said).not.toContain(code);
      }
      expect(reasonFor('es', status, code)).not.toBe(reasonFor('en', status, code));
    }
    expect(reasonFor('en', 400, 'invalid_request', 'task')).toBe(say('en', 'reasonTaskCheck'));
  });
});

describe('the skip button’s words by who answers (issue 20, item 7)', () => {
  const prompt = (locale: 'en' | 'es'): Prompt => ({
    id: 'q1',
    kind: 'choice',
    section: 'S',
    text: 'Q',
    choices: [{ id: 'yes', label: 'Yes' }],
    skippable: true,
    allowsUnknown: true,
    allowsNote: false,
    canGoBack: false,
    progress: { n: 1, of: 2 },
    actions:
      locale === 'en'
        ? { unknown: 'Unknown', skip: 'Prefer not to say / skip', back: 'Back', pause: 'Pause' }
        : { unknown: 'No se sabe', skip: 'Prefiero no decir / omitir', back: 'Atrás', pause: 'Pausar' },
  });
  const titles = (card: ReturnType<typeof promptCard>) =>
    (card.content.actions as { title: string; data: { event?: string } }[])
      .filter((action) => action.data.event === 'skip')
      .map((action) => action.title);
  const target = { conversationId: 'c1', expectedVersion: 0 };

  it('gives a professional “Skip” / “Omitir”, and a youth the flow’s own “Prefer not to say / skip”', () => {
    expect(titles(promptCard(prompt('en'), target, 'en', { audience: 'professional' }))).toEqual(['Skip']);
    expect(titles(promptCard(prompt('es'), target, 'es', { audience: 'professional' }))).toEqual(['Omitir']);
    // Unmarked prompts keep the flow's words (Teams, and every youth-facing interview).
    expect(titles(promptCard(prompt('en'), target, 'en'))).toEqual(['Prefer not to say / skip']);
    expect(titles(promptCard(prompt('es'), target, 'es', { audience: 'youth' }))).toEqual([
      'Prefiero no decir / omitir',
    ]);
  });

  it('follows the prompt’s own audience when the flow marks it, over the channel’s default', () => {
    const youth = { ...prompt('en'), audience: 'youth' } as Prompt;
    const professional = { ...prompt('es'), audience: 'professional' } as Prompt;
    expect(titles(promptCard(youth, target, 'en', { audience: 'professional' }))).toEqual([
      'Prefer not to say / skip',
    ]);
    expect(titles(promptCard(professional, target, 'es'))).toEqual(['Omitir']);
  });
});

describe('the newest question on a phone (issue 20, item 5)', () => {
  it('at 390×844 the newest card’s first line is below the widget’s fixed header after each answer', {
    timeout: 240_000,
  }, async () => {
    const w = words.en;
    const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
    await page.goto(`${server.url}${w.page}`);
    await openWidget(page);
    await signInWithMouse(page, w.signIn);
    const box = widget(page).locator('.cse-widget textarea');
    await box.fill('PHONE-1');
    await box.press('Enter');
    await widget(page).locator('.cse-widget[data-version="0"]').waitFor();
    // Everything that stays put above the transcript: the bar, the sign-in line, the tabs and the progress.
    const header = widget(page).locator('.cse-widget__progress');
    const frameBox = (await page.locator('iframe.cse-widget-frame').boundingBox())!;
    const placement = async () => {
      const first = (await newestCard(page).locator('.ac-textBlock').first().boundingBox())!;
      const below = (await header.boundingBox())!;
      return {
        belowHeader: first.y >= below.y + below.height - 0.5,
        onScreen: first.y + first.height <= Math.min(frameBox.y + frameBox.height, 844),
      };
    };
    const answers = [w.present, ...Array<string>(7).fill(w.absent), w.identified, w.unknown];
    for (const [index, label] of ['', ...answers].entries()) {
      if (label) await clickAnswer(page, label);
      await expect.poll(placement, { message: `card ${index + 1}`, timeout: 5_000 }).toEqual({
        belowHeader: true,
        onScreen: true,
      });
      if (index === 1) await saveScreenshot(page, 'phone-card-2');
    }
    expect(await seriousAxeViolations(page)).toEqual([]);
    await page.close();
  });
});
