import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Page } from 'playwright-core';

/** Helpers for driving the shelter widget (web/widget) in Chromium. */

const root = join(import.meta.dirname, '..', '..');
export const ARTIFACTS = join(root, 'test-artifacts', 'widget');
const AXE = readFileSync(join(root, 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');

/** The demo shelter user, as the identity provider signs them in and as the API sees them. */
export const shelterUser = {
  sub: 'demo-shelter',
  org: 'demo-shelter',
  unit: 'main',
  roles: ['shelter_staff' as const],
};

/**
 * A host page of our own with any data-* options, served through page.route on the dev server's origin.
 * The identity provider's redirect back cannot land on a routed page (Playwright routes only the first
 * request of a redirect chain), so the screener signs in on the demo page first: the token is in this
 * tab's sessionStorage for the whole origin, as it would be on a shelter's intranet.
 */
export async function openHostPage(
  page: Page,
  serverUrl: string,
  attributes: Record<string, string>,
): Promise<void> {
  const data = Object.entries(attributes)
    .map(([name, value]) => ` data-${name}="${value.replace(/"/g, '&quot;')}"`)
    .join('');
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Test host</title></head>
<body><main><h1>Test host</h1><script src="/widget/widget.js"${data}></script></main></body></html>`;
  const url = `${serverUrl}/widget/test-host.html`;
  await page.route(`${url}*`, (route) =>
    route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: html }),
  );
  const locale = attributes.locale === 'es' ? 'es' : 'en';
  await page.goto(`${serverUrl}/widget/${locale === 'es' ? 'demo-es' : 'demo'}.html`);
  await signInWithMouse(page, locale === 'es' ? 'Iniciar sesión' : 'Sign in');
  await page.goto(url);
}

/** Signs in through the development identity provider's page, the way a screener would with a mouse. */
export async function signInWithMouse(page: Page, signIn: string | RegExp): Promise<void> {
  await page.getByRole('link', { name: signIn }).click();
  await page.getByRole('button', { name: /Shay Shelter Staff/ }).click();
  await page.locator('.cse-widget[data-phase="reference"]').waitFor();
}

/** Moves focus with Tab (at most `limit` presses) until the focused element matches. */
export async function tabTo(
  page: Page,
  matches: (element: { tag: string; text: string; placeholder: string }) => boolean,
  limit = 40,
): Promise<void> {
  for (let presses = 0; presses < limit; presses += 1) {
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => {
      const element = document.activeElement as HTMLInputElement | null;
      return {
        tag: element?.tagName ?? '',
        text: (element?.textContent ?? '').trim(),
        placeholder: element?.placeholder ?? '',
      };
    });
    if (matches(focused)) return;
  }
  throw new Error('Tab never reached the element');
}

/** The version of the conversation whose card is on screen (set once the card has rendered). */
export async function shownVersion(page: Page): Promise<number> {
  return Number(await page.locator('.cse-widget').getAttribute('data-version'));
}

/** After an answer: the next card (version + 1) is on screen, or the outcome when `last`. */
export async function waitForNext(page: Page, before: number, last = false): Promise<void> {
  const selector = last ? '.cse-widget[data-phase="done"]' : `.cse-widget[data-version="${before + 1}"]`;
  await page.locator(selector).waitFor();
}

/** The newest question card (earlier ones stay in the transcript above it). */
export const newestCard = (page: Page) => page.locator('.cse-widget .ac-adaptiveCard').last();

/** Presses a button on the newest card and waits for what comes next. */
export async function clickAnswer(page: Page, label: string, last = false): Promise<void> {
  const before = await shownVersion(page);
  await newestCard(page).getByRole('button', { name: label, exact: true }).click();
  await waitForNext(page, before, last);
}

/** Same, keyboard only: Tab from where the widget put focus to the button, then Enter. */
export async function keyAnswer(page: Page, label: string, last = false): Promise<void> {
  const before = await shownVersion(page);
  await tabTo(page, (element) => element.tag === 'BUTTON' && element.text === label, 15);
  await page.keyboard.press('Enter');
  await waitForNext(page, before, last);
}

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

/** axe-core in the page; only serious and critical findings are returned. */
export async function seriousAxeViolations(page: Page): Promise<AxeViolation[]> {
  // Evaluated through DevTools rather than as a <script>: the page's CSP rightly refuses inline scripts.
  const hasAxe = await page.evaluate(() => 'axe' in window);
  if (!hasAxe) await page.evaluate(AXE);
  const violations = await page.evaluate(async () => {
    // biome-ignore lint/suspicious/noExplicitAny: axe is injected at run time and has no types here
    const axe = (window as any).axe;
    const result = await axe.run(document, { resultTypes: ['violations'] });
    return result.violations as AxeViolation[];
  });
  return violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map(({ id, impact, help, nodes }) => ({
      id,
      impact,
      help,
      nodes: nodes.map((node) => ({ target: node.target })),
    }));
}

/** Saves a screenshot of the widget under test-artifacts/widget/ (and optionally another path). */
export async function saveScreenshot(page: Page, name: string, copyTo?: string): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const widget = page.locator('.cse-widget');
  const shot = (await widget.count()) > 0 ? widget : page.locator('body');
  const image = await shot.screenshot({ path: join(ARTIFACTS, `${name}.png`), animations: 'disabled' });
  if (copyTo) {
    mkdirSync(dirname(copyTo), { recursive: true });
    writeFileSync(copyTo, image);
  }
}

/** Everything a browser can keep for this origin, as the page sees it. */
export function storedInBrowser(page: Page) {
  return page.evaluate(async () => ({
    sessionStorage: sessionStorage.length,
    localStorage: localStorage.length,
    cookies: document.cookie,
    indexedDB: (await indexedDB.databases()).length,
  }));
}
