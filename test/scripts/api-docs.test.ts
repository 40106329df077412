import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningDevServer, startDevServer } from '../../scripts/dev-server.ts';
import { launchChromium } from '../support/browser.ts';
import { createTestStack, demoUser, type TestStack } from '../support/stack.ts';

/**
 * Issue 19: the API reference at /docs/ (Swagger UI, from this server's origin, rendering /openapi.json) and
 * the chat page's icon and manifest, in Chromium: nothing fails, nothing is fetched from anywhere else.
 */

let stack: TestStack;
let server: RunningDevServer;
let browser: Browser;

beforeAll(async () => {
  stack = await createTestStack();
  server = await startDevServer({ deps: stack.deps, port: 0 });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

const WAIT = { timeout: 30_000 } as const;

/** A page that records its console errors, its uncaught exceptions and every URL it asks for. */
async function watchedPage(): Promise<{ page: Page; errors: string[]; requested: string[] }> {
  const page = await browser.newPage();
  const errors: string[] = [];
  const requested: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(String(error)));
  page.on('request', (request) => requested.push(request.url()));
  page.on('requestfailed', (request) => errors.push(`failed: ${request.url()}`));
  return { page, errors, requested };
}

/** Every request went to the dev server (data: URIs are the page's own bytes). */
function expectOnlyLocal(requested: string[]): void {
  const origin = new URL(server.url).origin;
  const elsewhere = requested.filter((url) => !url.startsWith('data:') && new URL(url).origin !== origin);
  expect(elsewhere).toEqual([]);
}

describe('the API reference page', { timeout: 120_000 }, () => {
  it('is served with scripts from its own origin only, and /docs leads to it', async () => {
    const page = await fetch(`${server.url}/docs/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    const policy = page.headers.get('content-security-policy') ?? '';
    expect(policy).toContain("script-src 'self';");
    expect(policy).not.toMatch(/unsafe-eval|https?:/);
    expect(policy).toContain("connect-src 'self'");
    const html = await page.text();
    expect(html).not.toMatch(/<script>|<script(?![^>]*\ssrc=)[^>]*>/);
    expect(html).not.toMatch(/https?:\/\//);

    const moved = await fetch(`${server.url}/docs`, { redirect: 'manual' });
    expect([moved.status, moved.headers.get('location')]).toEqual([308, '/docs/']);
    // Only the two files the page needs come from swagger-ui-dist, nothing else of the package or node_modules.
    for (const path of [
      '/docs/vendor/swagger-ui-bundle.js',
      '/docs/vendor/swagger-ui.css',
      '/docs/init.js',
      '/docs/api-docs.css',
    ])
      expect((await fetch(`${server.url}${path}`)).status, path).toBe(200);
    for (const path of [
      '/docs/vendor/swagger-ui.js',
      '/docs/vendor/index.html',
      '/docs/vendor/swagger-ui-bundle.js.map',
      '/docs/vendor/../../package.json',
      '/docs/..%2f..%2fpackage.json',
    ])
      expect((await fetch(`${server.url}${path}`)).status, path).toBe(404);
  });

  it('renders every operation of /openapi.json, with the parameters’ formats, without errors or outside requests', async () => {
    const { page, errors, requested } = await watchedPage();
    await page.goto(`${server.url}/docs/`);

    const create = page.locator('#operations-default-createConversation');
    await create.waitFor(WAIT);
    await expect.poll(() => create.locator('.opblock-summary-method').textContent(), WAIT).toBe('POST');
    expect(await create.locator('.opblock-summary-path').getAttribute('data-path')).toBe('/conversations');
    const document = await (await fetch(`${server.url}/openapi.json`)).json();
    const operations = Object.values(document.paths).flatMap((item) => Object.keys(item as object));
    expect(await page.locator('.opblock').count()).toBe(operations.length);
    // The document parsed as valid: Swagger UI lists problems with it above the operations.
    expect(await page.locator('.errors-wrapper').count()).toBe(0);
    expect(await page.getByRole('heading', { name: /CSE screening assistant API/ }).count()).toBe(1);

    // The activity report's period, as the reference shows it.
    const activity = page.locator('#operations-default-activityReport');
    await activity.locator('.opblock-summary-control').click();
    const from = activity.locator('tr[data-param-name="from"]');
    await from.waitFor(WAIT);
    expect(await from.locator('.parameter__type').textContent()).toBe('string($date-time)');
    expect(await from.locator('.parameter__name.required').count()).toBe(1);
    expect(await from.textContent()).toContain('RFC 3339');
    const status = page.locator('#operations-default-listTasks');
    await status.locator('.opblock-summary-control').click();
    const limit = status.locator('tr[data-param-name="limit"]');
    await limit.waitFor(WAIT);
    expect(await limit.locator('.parameter__type').textContent()).toBe('integer');

    expect(errors).toEqual([]);
    expectOnlyLocal(requested);
    expect(requested.some((url) => url.endsWith('/openapi.json'))).toBe(true);
    await page.close();
  });

  it('tries an operation against this server with a bearer token (“Try it out”)', async () => {
    const { page, errors, requested } = await watchedPage();
    await page.goto(`${server.url}/docs/`);
    await page.locator('.btn.authorize').click(WAIT);
    await page.locator('.auth-container input').fill(await stack.tokenFor(demoUser));
    await page.locator('.auth-container button.authorize').click();
    await page.locator('.auth-container button.btn-done').click();

    const tasks = page.locator('#operations-default-listTasks');
    await tasks.locator('.opblock-summary-control').click();
    await tasks.getByRole('button', { name: 'Try it out' }).click();
    await tasks.locator('tr[data-param-name="status"] select').selectOption('open');
    const called = page.waitForResponse((response) => new URL(response.url()).pathname === '/tasks');
    await tasks.getByRole('button', { name: 'Execute' }).click();
    const response = await called;
    expect(response.status()).toBe(200);
    expect(response.request().headers().authorization).toMatch(/^Bearer /);
    expect(new URL(response.url()).searchParams.get('status')).toBe('open');
    await expect
      .poll(
        () => tasks.locator('.live-responses-table tbody .response-col_status').first().textContent(),
        WAIT,
      )
      .toBe('200');

    expect(errors).toEqual([]);
    expectOnlyLocal(requested);
    await page.close();
  });
});

describe('the chat page’s icon and manifest in Chromium', { timeout: 60_000 }, () => {
  it('Chromium reads the manifest without errors and fetches nothing from elsewhere', async () => {
    const { page, errors, requested } = await watchedPage();
    await page.goto(`${server.url}/`);
    const session = await page.context().newCDPSession(page);
    const manifest = (await session.send('Page.getAppManifest')) as {
      url: string;
      errors: { message: string }[];
      data?: string;
    };
    expect(manifest.url).toBe(`${server.url}/chat/manifest.webmanifest`);
    expect(manifest.errors).toEqual([]);
    expect(JSON.parse(manifest.data ?? '{}').short_name).toBe('Screening');
    const { installabilityErrors } = (await session.send('Page.getInstallabilityErrors')) as {
      installabilityErrors: { errorId: string }[];
    };
    // Playwright's contexts are incognito ones, where nothing is installable; nothing else stands in the way.
    expect(installabilityErrors.map((error) => error.errorId).filter((id) => id !== 'in-incognito')).toEqual(
      [],
    );
    expect(await page.locator('link[rel="icon"]').getAttribute('href')).toBe('/chat/favicon.svg');
    expect(errors).toEqual([]);
    expectOnlyLocal(requested);
    await page.close();
  });
});
