import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BuiltWidget, buildWidget } from '../../scripts/build-widget.ts';
import { type RunningDevServer, startDevServer } from '../../scripts/dev-server.ts';
import { launchChromium } from '../support/browser.ts';
import { createTestStack, type TestStack } from '../support/stack.ts';
import { FRAME, LAUNCHER, seriousAxeViolations, widget, widgetFrame } from '../support/widget.ts';

/**
 * Issue 20, item 8: the one script tag loads a small launcher that paints its button at once; the chat's
 * frame (Web Chat and React, about 2 MB) is asked for only when the button is pressed, and is kept in the
 * browser's cache for the next opening. Sizes are asserted here; times are measured by `npm run bench`.
 */

let stack: TestStack;
let server: RunningDevServer;
let browser: Browser;
let built: BuiltWidget;

beforeAll(async () => {
  built = await buildWidget();
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

/** Every address the page (and its frames) asked for, in order. */
function requestsOf(page: Page): string[] {
  const seen: string[] = [];
  page.on('request', (request) => seen.push(request.url()));
  return seen;
}
const isFrameFile = (url: string) => /\/widget\/frame\.(js|html)\b/.test(new URL(url).pathname);

/** What the launcher's status line says, each time it changes (watched from before the press). */
function watchStatus(page: Page) {
  return page.evaluate(() => {
    const status = document.querySelector('.cse-widget-launcher [role="status"]')!;
    const said: string[] = [];
    (window as unknown as { __said: string[] }).__said = said;
    new MutationObserver(() => said.push(status.textContent ?? '')).observe(status, {
      childList: true,
      characterData: true,
      subtree: true,
    });
  });
}

describe('the widget’s launcher (issue 20)', () => {
  it('is a loader of at most 50 KB gzipped, with neither Web Chat nor React in it', () => {
    const loader = readFileSync(built.file);
    expect(built.gzipBytes).toBe(gzipSync(loader).length);
    expect(built.gzipBytes).toBeLessThanOrEqual(50 * 1024);
    expect(loader.toString('utf8')).not.toMatch(/webchat__|__SECRET_INTERNALS|botframework/i);
    // The frame is the one that carries them.
    expect(readFileSync(built.frame.file, 'utf8')).toMatch(/webchat__/);
  });

  it('paints its button before any of the frame is asked for; the press loads the chat and moves the keyboard into it', {
    timeout: 120_000,
  }, async () => {
    const page = await browser.newPage({ viewport: { width: 800, height: 820 } });
    const requests = requestsOf(page);
    await page.goto(`${server.url}/widget/demo.html`);
    const button = page.getByRole('button', { name: 'Start a screening' });
    await button.waitFor();
    expect(await button.evaluate((element) => element.matches('button.cse-widget-launch'))).toBe(true);
    expect(await page.locator(FRAME).count()).toBe(0);
    expect(requests.some((url) => url.endsWith('/widget/widget.js'))).toBe(true);
    expect(requests.filter(isFrameFile)).toEqual([]);
    // Only the host page and its loader: nothing of the chat, and no call to the API or the provider.
    expect(requests.map((url) => new URL(url).pathname)).toEqual(['/widget/demo.html', '/widget/widget.js']);
    expect(await seriousAxeViolations(page)).toEqual([]);

    // Still nothing after a while on the page (no speculative loading).
    await page.waitForLoadState('networkidle');
    expect(requests.filter(isFrameFile)).toEqual([]);

    await watchStatus(page);
    await button.click();
    await widget(page).getByRole('link', { name: 'Sign in' }).waitFor();
    const frameFiles = requests.filter(isFrameFile).map((url) => new URL(url));
    expect(frameFiles.map((url) => url.pathname)).toEqual(['/widget/frame.html', '/widget/frame.js']);
    expect(frameFiles[1]!.searchParams.get('v')).toBe(built.frame.version);
    // A polite "opening" while the frame loaded, then emptied; the button gave way to the chat.
    expect(await page.evaluate(() => (window as unknown as { __said: string[] }).__said)).toEqual([
      'Opening the screening assistant…',
      '',
    ]);
    await expect.poll(() => page.locator(LAUNCHER).isVisible()).toBe(false);
    expect(await page.locator(FRAME).isVisible()).toBe(true);
    expect(await page.evaluate(() => document.activeElement?.matches('iframe.cse-widget-frame'))).toBe(true);
    expect(await seriousAxeViolations(page)).toEqual([]);
    await page.close();
  });

  it('in Spanish on a Spanish host page; styled under a CSP without unsafe-inline; visible focus', {
    timeout: 90_000,
  }, async () => {
    const page = await browser.newPage();
    await page.goto(`${server.url}/widget/demo-es.html`);
    const button = page.getByRole('button', { name: 'Iniciar una evaluación' });
    await button.waitFor();
    expect(await page.locator('.cse-widget-launcher').getAttribute('lang')).toBe('es');
    expect(await seriousAxeViolations(page)).toEqual([]);

    // A host page whose CSP refuses inline styles: the launcher is styled through the CSSOM all the same.
    const strict = `${server.url}/widget/test-strict-host.html`;
    await page.route(`${strict}*`, (route) =>
      route.fulfill({
        status: 200,
        headers: {
          'content-type': 'text/html; charset=utf-8',
          'content-security-policy': "default-src 'self'; style-src 'self'; frame-src 'self'",
        },
        body: `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Strict host</title></head>
<body><main><h1>Strict host</h1><p><a href="#top">A link before the widget</a></p>
<script src="/widget/widget.js" data-org="demo-shelter" data-locale="en"></script></main></body></html>`,
      }),
    );
    const violations: string[] = [];
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
    });
    await page.goto(strict);
    const english = page.getByRole('button', { name: 'Start a screening' });
    await english.waitFor();
    const look = () =>
      english.evaluate((element) => {
        const style = getComputedStyle(element);
        return {
          background: style.backgroundColor,
          color: style.color,
          outline: `${style.outlineStyle} ${style.outlineWidth}`,
          height: element.getBoundingClientRect().height,
        };
      });
    expect(await look()).toMatchObject({ background: 'rgb(26, 95, 180)', color: 'rgb(255, 255, 255)' });
    expect((await look()).height).toBeGreaterThanOrEqual(44);
    // By keyboard: a 3 px ring of its own.
    await page.getByRole('link', { name: 'A link before the widget' }).focus();
    await page.keyboard.press('Tab');
    expect(await english.evaluate((element) => element === document.activeElement)).toBe(true);
    expect((await look()).outline).toBe('solid 3px');
    expect(await seriousAxeViolations(page)).toEqual([]);
    // Opened by the keyboard, under the same CSP.
    await page.keyboard.press('Enter');
    await widget(page).getByRole('link', { name: 'Sign in' }).waitFor();
    expect(violations).toEqual([]);
    await page.close();
  });

  it('keeps the frame’s script for good under its version, and the second opening reads it from the cache', {
    timeout: 120_000,
  }, async () => {
    // The headers: the versioned script for a year, unchanged; the loader and the page revalidated.
    const frameJs = await fetch(`${server.url}/widget/frame.js?v=${built.frame.version}`);
    expect(frameJs.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    await frameJs.arrayBuffer();
    for (const path of ['/widget/frame.js?v=not-this-one', '/widget/frame.js', '/widget/widget.js']) {
      const response = await fetch(`${server.url}${path}`);
      expect(response.headers.get('cache-control'), path).toBe('no-cache');
      await response.arrayBuffer();
    }
    const page1 = await fetch(`${server.url}/widget/frame.html`);
    expect(page1.headers.get('cache-control')).toBe('no-cache');
    expect(await page1.text()).toContain(`<script src="/widget/frame.js?v=${built.frame.version}"></script>`);
    const etag = page1.headers.get('etag')!;
    const again = await fetch(`${server.url}/widget/frame.html`, { headers: { 'if-none-match': etag } });
    expect(again.status).toBe(304);

    const context = await browser.newContext();
    const page = await context.newPage();
    const frameScript = async () =>
      (await widgetFrame(page)).evaluate(() => {
        const entry = performance
          .getEntriesByType('resource')
          .find((found) => new URL(found.name).pathname === '/widget/frame.js') as PerformanceResourceTiming;
        return { transferred: entry.transferSize, size: entry.decodedBodySize };
      });
    await page.goto(`${server.url}/widget/demo.html`);
    await page.locator(LAUNCHER).click();
    await widget(page).getByRole('link', { name: 'Sign in' }).waitFor();
    const first = await frameScript();
    expect(first.size).toBe(built.frame.bytes);
    expect(first.transferred).toBeGreaterThan(0);

    // Another visit to the page (not a reload): the button again, and the press takes the script from the cache.
    await page.goto(`${server.url}/widget/demo.html`);
    await page.locator(LAUNCHER).waitFor();
    expect(await page.locator(FRAME).count()).toBe(0);
    await page.locator(LAUNCHER).click();
    await widget(page).getByRole('link', { name: 'Sign in' }).waitFor();
    expect(await frameScript()).toEqual({ transferred: 0, size: built.frame.bytes });
    await context.close();
  });

  it('comes back open after a reload while it was open, with only a boolean kept across the reload', {
    timeout: 120_000,
  }, async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${server.url}/widget/demo.html`);
    // Not opened: a reload shows the button again.
    await page.reload();
    await page.locator(LAUNCHER).waitFor();
    expect(await page.locator(FRAME).count()).toBe(0);

    await page.locator(LAUNCHER).click();
    await widget(page).getByRole('link', { name: 'Sign in' }).waitFor();
    // The flag is written only as the page goes; while the page shows, the host's storage has none of it.
    const flag = () => page.evaluate(() => sessionStorage.getItem('cse-widget.was-open'));
    expect(await flag()).toBeNull();
    // Read before any of the page's own scripts run: what the reloaded page finds, before the loader takes it.
    await page.addInitScript(() => {
      (window as unknown as { __found: unknown }).__found = sessionStorage.getItem('cse-widget.was-open');
    });
    await page.reload();
    const kept = await page.evaluate(() => (window as unknown as { __found: unknown }).__found);
    // Back open without a press, and the flag taken back at once.
    await widget(page).getByRole('link', { name: 'Sign in' }).waitFor();
    expect(await page.locator(LAUNCHER).isVisible()).toBe(false);
    expect(kept).toBe('1');
    expect(await flag()).toBeNull();

    // Going to the page anew (a link, the address bar) shows the button, and the flag is gone too.
    await page.goto(`${server.url}/widget/demo-es.html`);
    await page.getByRole('button', { name: 'Iniciar una evaluación' }).waitFor();
    expect(await page.locator(FRAME).count()).toBe(0);
    expect(await flag()).toBeNull();
    await context.close();
  });
});
