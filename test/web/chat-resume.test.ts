import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ScreeningDriver } from '../support/screening.ts';
import {
  BROWSER_TEST,
  type ChatHarness,
  clickAndWaitForTurn,
  demo,
  expectAccessible,
  openSignedIn,
  questionText,
  shownVersion,
  signInAs,
  startChatHarness,
  startFromForm,
} from './chat-support.ts';

let harness: ChatHarness;

beforeAll(async () => {
  harness = await startChatHarness('2026-11-28T17:00:00.000Z');
});

afterAll(async () => {
  await harness?.close();
});

const ABSENT = 'No, not from what I know';

/** What this origin keeps in the browser, as the page sees it. */
const storage = (page: Page) =>
  page.evaluate(() => ({
    session: Object.fromEntries(Object.entries(sessionStorage)),
    local: localStorage.length,
  }));

/** A token shaped like the provider's, signed by it, that expired an hour ago. */
async function expiredToken(): Promise<string> {
  const { idp } = harness.stack;
  const now = Math.floor(Date.now() / 1000);
  return idp.signToken({
    iss: idp.issuer,
    aud: idp.audience,
    sub: 'demo-caseworker',
    iat: now - 7200,
    exp: now - 3600,
    token_use: 'id',
    'custom:org': 'demo-county',
    'custom:unit': 'unit-1',
    'cognito:groups': ['caseworker'],
    name: 'Casey Caseworker',
  });
}

describe('resuming on the chat page', BROWSER_TEST, () => {
  it('a reload mid-screening shows the same question; only the conversation id is kept in the tab', async () => {
    const page = await openSignedIn(harness, demo.caseworker.name);
    const id = await startFromForm(page, 'CASE-RELOAD');
    await clickAndWaitForTurn(page, ABSENT);
    await clickAndWaitForTurn(page, ABSENT);
    const question = await questionText(page);
    const version = await shownVersion(page);

    await page.reload();

    await page.locator(`#prompt[data-version="${version}"]`).waitFor();
    expect(await questionText(page)).toBe(question);
    expect(await page.locator('#start').isVisible()).toBe(false);
    const kept = await storage(page);
    expect(kept.local).toBe(0);
    expect(JSON.parse(kept.session['screening.current']!)).toEqual({ id, sub: 'demo-caseworker' });
    // Never an answer or the case reference.
    expect(JSON.stringify(kept.session)).not.toContain('CASE-RELOAD');
    await clickAndWaitForTurn(page, ABSENT);
    await page.close();
  });

  it('an expired token is refreshed before it is sent: no sign-in, the screening goes on at the next question', async () => {
    const page = await openSignedIn(harness, demo.caseworker.name);
    await startFromForm(page, 'CASE-REFRESHED');
    await clickAndWaitForTurn(page, ABSENT);
    const version = await shownVersion(page);
    const expired = await expiredToken();
    await page.evaluate((token) => sessionStorage.setItem('screening.id_token', token), expired);

    const refreshed = page.waitForRequest((request) => request.url().endsWith('/oauth2/token'));
    const turn = page.waitForRequest((request) => request.url().includes('/turns'));
    await clickAndWaitForTurn(page, ABSENT);

    expect(new URLSearchParams((await refreshed).postData() ?? '').get('grant_type')).toBe('refresh_token');
    expect((await turn).headers().authorization).not.toBe(`Bearer ${expired}`);
    expect(await shownVersion(page)).toBe(version + 1);
    expect(await page.getByText('Your session ended').isVisible()).toBe(false);
    await page.close();
  });

  it('an expired token whose refresh is refused too leads to sign-in, and back to the same question', async () => {
    const page = await openSignedIn(harness, demo.caseworker.name);
    await startFromForm(page, 'CASE-EXPIRED');
    await clickAndWaitForTurn(page, ABSENT);
    const question = await questionText(page);
    const version = await shownVersion(page);
    const token = await expiredToken();
    await page.evaluate((expired) => {
      sessionStorage.setItem('screening.id_token', expired);
      sessionStorage.setItem('screening.refresh_token', 'revoked-long-ago');
    }, token);

    const refused = page.waitForResponse((response) => response.url().includes('/turns'));
    await page.locator('#prompt').getByRole('button', { name: ABSENT }).click();
    expect((await refused).status()).toBe(401);
    await page.getByText('Your session ended').waitFor();
    expect(await page.locator('#prompt').isVisible()).toBe(false);
    expect(await page.evaluate(() => sessionStorage.getItem('screening.refresh_token'))).toBeNull();
    await expectAccessible(page, 'session ended');

    await signInAs(page, demo.caseworker.name);

    await page.locator(`#prompt[data-version="${version}"]`).waitFor();
    expect(await questionText(page)).toBe(question);
    await clickAndWaitForTurn(page, ABSENT);
    await page.close();
  });

  it('a conversation started and paused elsewhere is listed as unfinished and resumes at the same prompt', async () => {
    // Another channel (the widget, Teams) drives the API: two answers, then a pause.
    const elsewhere = await ScreeningDriver.start(
      harness.stack,
      'en',
      'CASE-ELSEWHERE',
      'cse-screening',
      demo.caseworker.user,
    );
    await elsewhere.sendAll([{ answer: 'not_present' }, { answer: 'not_present' }]);
    const pausedAt = elsewhere.last.body.prompt;
    await elsewhere.send({ pause: true });
    const paused = elsewhere.last.body.paused;
    expect(paused).toBeTruthy();
    // And one still running, at its first question.
    await ScreeningDriver.start(harness.stack, 'en', 'CASE-RUNNING', 'cse-screening', demo.caseworker.user);

    const page = await openSignedIn(harness, demo.caseworker.name);
    const list = page.getByRole('region', { name: 'Unfinished conversations' });
    await list.getByRole('button', { name: 'Continue CASE-ELSEWHERE' }).waitFor();
    const items = await list.getByRole('listitem').allInnerTexts();
    const pausedItem = items.find((item) => item.includes('CASE-ELSEWHERE'))!;
    const runningItem = items.find((item) => item.includes('CASE-RUNNING'))!;
    expect(pausedItem).toContain('Paused');
    expect(runningItem).toContain('In progress');
    expect(runningItem).toMatch(/question 1 of \d+/);
    expect(items.join('\n')).not.toMatch(/\d{4}-\d{2}-\d{2}T/);
    await expectAccessible(page, 'unfinished conversations');

    await list.getByRole('button', { name: 'Continue CASE-ELSEWHERE' }).click();
    await page.locator('#prompt').getByText(paused.text).waitFor();
    expect(await page.locator('#chat-case').textContent()).toContain('CASE-ELSEWHERE');
    await expectAccessible(page, 'paused conversation');
    await clickAndWaitForTurn(page, paused.resume);

    expect(await questionText(page)).toBe(pausedAt.text);
    expect(await page.locator('#prompt .progress').textContent()).toContain(
      `Question ${pausedAt.progress.n} of ${pausedAt.progress.of}`,
    );
    await page.close();
  });
});
