import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { expect } from 'vitest';
import { type RunningDevServer, startDevServer } from '../../scripts/dev-server.ts';
import { launchChromium } from '../support/browser.ts';
import { createTestStack, type TestStack, type TestUser } from '../support/stack.ts';

/** Helpers for the chat page's browser tests (web/chat): the stack, signing in, answering, axe. */

export interface ChatHarness {
  stack: TestStack;
  server: RunningDevServer;
  browser: Browser;
  close(): Promise<void>;
}

export async function startChatHarness(startAt: string): Promise<ChatHarness> {
  const stack = await createTestStack({ startAt });
  // An unfinished conversation carries a TTL 30 days after its last turn by the stack's clock, and DynamoDB
  // Local enforces TTL against the real clock: a conversation seeded weeks in the stack's past (the board's
  // history), or any once the real date is 30 days past `startAt`, could vanish mid-test. Expiry has tests
  // of its own; here it is pushed out of reach.
  stack.deps.services.retention.abandonedAfterDays = 36_500;
  const server = await startDevServer({
    deps: stack.deps,
    port: 0,
    // The chat page signs in with authorization code + PKCE at the provider (issue 18).
    oidc: { issuer: stack.idp.issuer, clientId: stack.idp.clientId },
  });
  const browser = await launchChromium();
  return {
    stack,
    server,
    browser,
    async close() {
      await browser.close();
      await server.close();
    },
  };
}

/**
 * How long expect.poll waits for the page to catch up: a wait on a condition, not a timing check, and
 * generous because the tests share two cores with DynamoDB Local and Chromium.
 */
export const WAIT = { timeout: 20_000 } as const;

/** A limit for one browser test (a whole screening is a dozen turns): a ceiling for a stuck test, no more. */
export const BROWSER_TEST = { timeout: 180_000 } as const;

/** The demo users as the identity provider's sign-in page names them, and as the API sees them. */
export const demo = {
  caseworker: {
    name: 'Casey Caseworker',
    user: { sub: 'demo-caseworker', org: 'demo-county', unit: 'unit-1', roles: ['caseworker'] },
  },
  caseworker2: {
    name: 'Robin Caseworker',
    user: { sub: 'demo-caseworker-2', org: 'demo-county', unit: 'unit-1', roles: ['caseworker'] },
  },
  supervisor: {
    name: 'Sam Supervisor',
    user: { sub: 'demo-supervisor', org: 'demo-county', unit: 'unit-1', roles: ['supervisor'] },
  },
} as const satisfies Record<string, { name: string; user: TestUser }>;

/**
 * On the page's sign-in view: follows the link (an authorization request with PKCE, state and nonce) and
 * picks the demo user on the identity provider's page; the page trades the code for tokens.
 */
export async function signInAs(page: Page, name: string): Promise<void> {
  await page.getByRole('link', { name: 'Sign in' }).click();
  await page.getByRole('button', { name }).click();
  await page.locator('#views').waitFor();
}

/** Opens the chat page (optionally at a view, e.g. "#tasks") and signs in. */
export async function openSignedIn(harness: ChatHarness, name: string, page?: Page): Promise<Page> {
  const tab = page ?? (await harness.browser.newPage());
  await tab.goto(`${harness.server.url}/`);
  await signInAs(tab, name);
  return tab;
}

/** The version of the conversation on screen (set once its prompt has rendered). */
export async function shownVersion(page: Page): Promise<number> {
  return Number((await page.locator('#prompt').getAttribute('data-version')) ?? '-1');
}

/** Clicks, waits for the turn's reply, and then for the page to show the next version. */
export async function clickAndWaitForTurn(page: Page, name: string | RegExp): Promise<void> {
  const before = await shownVersion(page);
  const turn = page.waitForResponse((response) => response.url().includes('/turns'));
  await page
    .locator('#prompt')
    .getByRole('button', { name, exact: typeof name === 'string' })
    .click();
  expect((await turn).status()).toBe(200);
  await page.locator(`#prompt[data-version="${before + 1}"]`).waitFor();
}

/** Starts a conversation from the start form and waits for its first prompt. */
export async function startFromForm(
  page: Page,
  subjectRef: string,
  options: { flow?: string; locale?: 'en' | 'es' } = {},
): Promise<string> {
  await page.getByLabel('Case reference (not a name)').fill(subjectRef);
  if (options.flow) await page.getByLabel('Conversation', { exact: true }).selectOption(options.flow);
  if (options.locale) await page.getByLabel('Language / Idioma').selectOption(options.locale);
  const created = page.waitForResponse(
    (response) => response.url().endsWith('/conversations') && response.request().method() === 'POST',
  );
  await page.getByRole('button', { name: 'Start', exact: true }).click();
  const body = await (await created).json();
  await page.locator('#prompt[data-version="0"]').waitFor();
  return body.conversation.id;
}

/** The question on screen (the current prompt's text). */
export const questionText = (page: Page) => page.locator('#question').textContent();

const ROOT = join(import.meta.dirname, '..', '..');
const AXE = readFileSync(join(ROOT, 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');

/** axe-core's serious and critical findings on the chat page (the page itself: it has no frames). */
export async function expectAccessible(page: Page, screen: string): Promise<void> {
  // Evaluated through DevTools rather than as a <script>: the page's CSP rightly refuses inline scripts.
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE);
  const violations = await page.evaluate(async () => {
    // biome-ignore lint/suspicious/noExplicitAny: axe is injected at run time and has no types here
    const axe = (window as any).axe;
    const result = await axe.run(document, { resultTypes: ['violations'] });
    return (result.violations as { id: string; impact: string; help: string; nodes: { target: unknown }[] }[])
      .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
      .map(({ id, impact, help, nodes }) => ({
        id,
        impact,
        help,
        targets: nodes.map((node) => node.target),
      }));
  });
  expect(violations, `axe on ${screen}`).toEqual([]);
}

/** A screenshot in test-artifacts/chat; copied into docs/screenshots only when asked (UPDATE_README_SCREENSHOT=1). */
export async function saveChatScreenshot(page: Page, name: string): Promise<void> {
  const image = await page.screenshot({ fullPage: true, animations: 'disabled' });
  const artifact = join(ROOT, 'test-artifacts', 'chat', `${name}.png`);
  mkdirSync(dirname(artifact), { recursive: true });
  writeFileSync(artifact, image);
  if (process.env.UPDATE_README_SCREENSHOT === '1') {
    const doc = join(ROOT, 'docs', 'screenshots', `${name}.png`);
    mkdirSync(dirname(doc), { recursive: true });
    writeFileSync(doc, image);
  }
}
