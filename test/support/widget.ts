import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Frame, FrameLocator, Page } from 'playwright-core';

/**
 * Helpers for driving the shelter widget (web/widget) in Chromium. Issue 18: the widget lives in an iframe
 * of the deployment's `/widget/frame.html`; the host page holds only the loader's iframe element. Issue 20:
 * the loader first paints a button, and makes the iframe when it is pressed (or at once after a reload of a
 * page where the widget was open).
 */

/** The iframe the loader makes on the host page. */
export const FRAME = 'iframe.cse-widget-frame';
/** The loader's button on the host page ("Start a screening"). */
export const LAUNCHER = 'button.cse-widget-launch';

/**
 * Opens the widget as a screener would: presses the launcher's button, unless the loader has already made
 * the frame (a reload while it was open), then waits for the widget inside the frame.
 */
export async function openWidget(page: Page): Promise<void> {
  const frame = page.locator(FRAME);
  // The loader decides in one go, when it mounts: the button alone, or the button (hidden) and the frame.
  await page.locator(LAUNCHER).waitFor({ state: 'attached' });
  if ((await frame.count()) === 0) await page.locator(LAUNCHER).click();
  await widget(page).locator('.cse-widget').waitFor();
}

/** The widget inside its frame, for locators (re-resolved after a reload). */
export const widget = (page: Page): FrameLocator => page.frameLocator(FRAME);

/** The widget's frame itself, for evaluating inside it (its document, its storage). */
export async function widgetFrame(page: Page): Promise<Frame> {
  await widget(page).locator('.cse-widget').waitFor();
  const frame = await (await page.locator(FRAME).elementHandle())?.contentFrame();
  if (!frame) throw new Error('The widget frame is not there');
  return frame;
}

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
 * The screener signs in on the demo page first: the token is in this tab's sessionStorage of the frame's
 * origin, which every frame of the widget in this tab shares. The widget is then opened on the new page.
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
  await openWidget(page);
  await signInWithMouse(page, locale === 'es' ? 'Iniciar sesión' : 'Sign in');
  await page.goto(url);
  await openWidget(page);
}

/**
 * Signs in through the development identity provider's page, the way a screener would with a mouse: the
 * widget opens it in a window of its own, which closes once it has handed the answer to the frame.
 */
export async function signInWithMouse(page: Page, signIn: string | RegExp): Promise<void> {
  const opened = page.context().waitForEvent('page');
  await widget(page).getByRole('link', { name: signIn }).click();
  const popup = await opened;
  await popup.getByRole('button', { name: /Shay Shelter Staff/ }).click();
  await popup.waitForEvent('close');
  await widget(page).locator('.cse-widget[data-phase="reference"]').waitFor();
}

/** The element with the keyboard focus, looking into the widget's frame when the focus is there. */
async function focusedElement(page: Page) {
  const describe = () => {
    const element = document.activeElement as HTMLInputElement | null;
    return {
      tag: element?.tagName ?? '',
      text: (element?.textContent ?? '').trim(),
      placeholder: element?.placeholder ?? '',
      frame: element?.matches('iframe.cse-widget-frame') ?? false,
    };
  };
  const onPage = await page.evaluate(describe);
  if (!onPage.frame) return onPage;
  return (await widgetFrame(page)).evaluate(describe);
}

/** Moves focus with Tab (at most `limit` presses) until the focused element matches. */
export async function tabTo(
  page: Page,
  matches: (element: { tag: string; text: string; placeholder: string }) => boolean,
  limit = 40,
): Promise<void> {
  for (let presses = 0; presses < limit; presses += 1) {
    await page.keyboard.press('Tab');
    if (matches(await focusedElement(page))) return;
  }
  throw new Error('Tab never reached the element');
}

/** The version of the conversation whose card is on screen (set once the card has rendered). */
export async function shownVersion(page: Page): Promise<number> {
  return Number(await widget(page).locator('.cse-widget').getAttribute('data-version'));
}

/** After an answer: the next card (version + 1) is on screen, or the outcome when `last`. */
export async function waitForNext(page: Page, before: number, last = false): Promise<void> {
  const selector = last ? '.cse-widget[data-phase="done"]' : `.cse-widget[data-version="${before + 1}"]`;
  await widget(page).locator(selector).waitFor();
}

/** The newest question card (earlier ones stay in the transcript above it). */
export const newestCard = (page: Page) => widget(page).locator('.cse-widget .ac-adaptiveCard').last();

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

/**
 * axe-core inside the widget's frame, and on the host page around it (where the frame must be named); only
 * serious and critical findings are returned.
 */
export async function seriousAxeViolations(page: Page): Promise<AxeViolation[]> {
  // Pages without the widget (the tablet app) are checked whole; with it, its frame and the page apart.
  const hasWidget = (await page.$('iframe.cse-widget-frame')) !== null;
  const violations = hasWidget
    ? [
        ...(await axeIn(await widgetFrame(page))),
        // The frame's inside was checked above; axe must not wait for an answer from a frame it cannot enter.
        ...(await axeIn(page.mainFrame(), { iframes: false })),
      ]
    : await axeIn(page.mainFrame());
  return violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map(({ id, impact, help, nodes }) => ({
      id,
      impact,
      help,
      nodes: nodes.map((node) => ({ target: node.target })),
    }));
}

async function axeIn(frame: Frame, options: { iframes?: boolean } = {}): Promise<AxeViolation[]> {
  // Evaluated through DevTools rather than as a <script>: the page's CSP rightly refuses inline scripts.
  const hasAxe = await frame.evaluate(() => 'axe' in window);
  if (!hasAxe) await frame.evaluate(AXE);
  return frame.evaluate(async (runOptions) => {
    // biome-ignore lint/suspicious/noExplicitAny: axe is injected at run time and has no types here
    const axe = (window as any).axe;
    const result = await axe.run(document, { resultTypes: ['violations'], ...runOptions });
    return result.violations as AxeViolation[];
  }, options);
}

/** Saves a screenshot of the widget under test-artifacts/widget/ (and optionally another path). */
export async function saveScreenshot(page: Page, name: string, copyTo?: string): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const frame = page.locator(FRAME);
  const shot = (await frame.count()) > 0 ? frame : page.locator('body');
  const image = await shot.screenshot({ path: join(ARTIFACTS, `${name}.png`), animations: 'disabled' });
  if (copyTo) {
    mkdirSync(dirname(copyTo), { recursive: true });
    writeFileSync(copyTo, image);
  }
}

/** Everything a browser can keep for this origin, as the page (or the widget's frame) sees it. */
export function storedInBrowser(page: Page | Frame) {
  return page.evaluate(async () => ({
    sessionStorage: sessionStorage.length,
    localStorage: localStorage.length,
    cookies: document.cookie,
    indexedDB: (await indexedDB.databases()).length,
  }));
}
