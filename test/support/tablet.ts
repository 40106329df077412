import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { expect } from 'vitest';
import type { TestUser } from './stack.ts';

/** Helpers for driving the interviewers' tablet app (web/tablet) in Chromium. */

export const TABLET_ARTIFACTS = join(import.meta.dirname, '..', '..', 'test-artifacts', 'tablet');

export const interviewer: TestUser = {
  sub: 'demo-interviewer',
  org: 'demo-county',
  unit: 'unit-1',
  roles: ['interviewer'],
};

export const PIN = '246810';

/** A tablet: landscape, Pacific time, allowed to run the app's service worker. */
export function tabletContext(browser: import('playwright-core').Browser): Promise<BrowserContext> {
  return browser.newContext({
    viewport: { width: 1180, height: 820 },
    timezoneId: 'America/Los_Angeles',
    locale: 'en-US',
    serviceWorkers: 'allow',
  });
}

/** First use: sign in through the identity provider, then choose the tablet's PIN. */
export async function signInAndChoosePin(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await page.locator('#sign-in').click();
  await page.getByRole('button', { name: /Indy Interviewer/ }).click();
  await page.getByLabel(/^(PIN again|Repita el PIN)$/).waitFor();
  await page.getByLabel(/^PIN$/).fill(PIN);
  await page.getByLabel(/^(PIN again|Repita el PIN)$/).fill(PIN);
  await page.getByRole('button', { name: /^(Save PIN|Guardar PIN)$/ }).click();
}

export async function unlock(page: Page, pin = PIN): Promise<void> {
  await page.getByLabel(/^PIN$/).fill(pin);
  await page.getByRole('button', { name: /^(Unlock|Desbloquear)$/ }).click();
}

export async function shownVersion(page: Page): Promise<number> {
  return Number(await page.locator('.interview').getAttribute('data-version'));
}

/** Runs an action on the current question and waits until the tablet shows the state after it. */
export async function act(page: Page, action: () => Promise<void>): Promise<void> {
  const before = await shownVersion(page);
  await action();
  await page.locator(`.interview[data-version="${before + 1}"]`).waitFor();
}

export const click = (page: Page, name: string) =>
  act(page, () => page.locator('.prompt').getByRole('button', { name, exact: true }).click());

export const toggleAndFinish = (page: Page, names: string[], done = 'Done') =>
  act(page, async () => {
    for (const name of names)
      await page.locator('.prompt').getByRole('button', { name, exact: true }).click();
    await page.locator('.prompt').getByRole('button', { name: done, exact: true }).click();
  });

export const typeAnswer = (page: Page, text: string, save = 'Save answer') =>
  act(page, async () => {
    await page.locator('#answer').fill(text);
    await page.locator('.prompt').getByRole('button', { name: save, exact: true }).click();
  });

export async function waitForQueue(page: Page, pending: number): Promise<void> {
  await page.locator(`#queue[data-pending="${pending}"]`).waitFor();
}

/** Every value the app keeps in IndexedDB, by key, as stored. */
export function deviceRecords(page: Page): Promise<Record<string, string>> {
  return page.evaluate(
    () =>
      new Promise<Record<string, string>>((resolve, reject) => {
        const request = indexedDB.open('screening-tablet');
        request.onerror = () => reject(request.error);
        request.onsuccess = () => {
          const store = request.result.transaction('records', 'readonly').objectStore('records');
          const keys = store.getAllKeys();
          const values = store.getAll();
          values.onsuccess = () => {
            const records: Record<string, string> = {};
            (keys.result as string[]).forEach((key, index) => {
              records[key] = values.result[index] as string;
            });
            request.result.close();
            resolve(records);
          };
        };
      }),
  );
}

/** Every URL in the app's caches: the service worker may hold the app itself and nothing else. */
export function cachedUrls(page: Page): Promise<string[]> {
  return page.evaluate(async () => {
    const urls: string[] = [];
    for (const name of await caches.keys()) {
      for (const request of await (await caches.open(name)).keys()) urls.push(request.url);
    }
    return urls.sort();
  });
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(TABLET_ARTIFACTS, { recursive: true });
  await page.screenshot({ path: join(TABLET_ARTIFACTS, `${name}.png`), fullPage: true });
}

export async function expectTranscriptToShow(page: Page, answers: string[]): Promise<void> {
  const transcript = await page.locator('#transcript').textContent();
  for (const text of answers) expect(transcript).toContain(text);
}

/**
 * Answers the question on screen with its first choice (or a few words, or an hour ago), whatever the
 * language it is shown in, and waits for the state after it.
 */
export async function answerFirst(page: Page): Promise<void> {
  const prompt = page.locator('.prompt');
  await act(page, async () => {
    const when = prompt.locator('input[type="datetime-local"]');
    if ((await when.count()) > 0) {
      const hourAgo = await page.evaluate(() => {
        const earlier = new Date(Date.now() - 3_600_000);
        const pad = (n: number) => String(n).padStart(2, '0');
        return `${earlier.getFullYear()}-${pad(earlier.getMonth() + 1)}-${pad(earlier.getDate())}T${pad(earlier.getHours())}:${pad(earlier.getMinutes())}`;
      });
      await when.fill(hourAgo);
      await prompt.locator('.row button').click();
      return;
    }
    if ((await page.locator('#answer').count()) > 0) {
      await page.locator('#answer').fill('A few words');
      await prompt.locator('.row button').click();
      return;
    }
    // A question taking several answers has its own "done" button after the choices (counted before the
    // click: a single choice moves on at once).
    const done = prompt.locator(':scope > button:not(.secondary)');
    const several = (await done.count()) > 0;
    await prompt.locator('button.choice').first().click();
    if (several) await done.click();
  });
}
