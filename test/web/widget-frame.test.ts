import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, ConsoleMessage, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildWidget } from '../../scripts/build-widget.ts';
import { type RunningDevServer, startDevServer } from '../../scripts/dev-server.ts';
import { CHANNEL, FrameToHost, HostToFrame, SignInAnswer } from '../../web/widget/contract.ts';
import { launchChromium } from '../support/browser.ts';
import { createTestStack, type TestStack } from '../support/stack.ts';
import {
  clickAnswer,
  FRAME,
  newestCard,
  openWidget,
  seriousAxeViolations,
  shelterUser,
  signInWithMouse,
  storedInBrowser,
  widget,
  widgetFrame,
} from '../support/widget.ts';

/**
 * Issue 18: the widget's token is out of the host page's reach. A shelter's page on another origin (a
 * second loopback server) embeds the one script tag; its own script then tries every way a script on the
 * shelter's site could read the token, and finds nothing, while a screening completes inside the frame.
 */

let stack: TestStack;
let server: RunningDevServer;
let shelterSite: Server;
let shelter: string;
let browser: Browser;

/**
 * The host page's own script: it runs before the widget's loader, listens to every message the page gets,
 * and keeps what it saw where the test can read it (as a malicious or compromised script on the site would).
 */
const SPY = `window.__seen = [];
window.addEventListener('message', (event) => {
  window.__seen.push(JSON.stringify({ origin: event.origin, data: event.data }));
}, true);`;

function hostPage(api: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Shelter intranet</title>
<script>${SPY}</script></head>
<body><main><h1 tabindex="-1">Intake desk</h1>
<script src="${api}/widget/widget.js" data-org="demo-shelter" data-locale="en" data-exit-url="/neutral.html"></script>
</main></body></html>`;
}

beforeAll(async () => {
  await buildWidget();
  stack = await createTestStack({ startAt: '2026-11-28T17:00:00.000Z' });
  server = await startDevServer({
    deps: stack.deps,
    port: 0,
    // Issue 18: the widget signs in with authorization code + PKCE at the provider (no compat /sign-in page).
    oidc: { issuer: stack.idp.issuer, clientId: stack.idp.clientId },
  });
  shelterSite = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://127.0.0.1').pathname;
    const body =
      path === '/intake.html'
        ? hostPage(server.url)
        : path === '/neutral.html'
          ? '<!doctype html><html lang="en"><title>Search</title><p>Search</p></html>'
          : null;
    response.writeHead(body === null ? 404 : 200, { 'content-type': 'text/html; charset=utf-8' });
    response.end(body ?? 'Not found');
  });
  await new Promise<void>((resolve) => shelterSite.listen(0, '127.0.0.1', resolve));
  shelter = `http://127.0.0.1:${(shelterSite.address() as AddressInfo).port}`;
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await new Promise<void>((resolve) => (shelterSite ? shelterSite.close(() => resolve()) : resolve()));
});

/** What a script on the shelter's page can find, trying every door. */
function whatTheHostSees(page: Page) {
  return page.evaluate(async (frameSelector) => {
    const iframe = document.querySelector<HTMLIFrameElement>(frameSelector);
    const attempt = (read: () => unknown) => {
      try {
        return { read: String(read()) };
      } catch (error) {
        return { refused: (error as Error).name };
      }
    };
    return {
      sessionStorage: JSON.stringify({ ...sessionStorage }),
      localStorage: JSON.stringify({ ...localStorage }),
      cookies: document.cookie,
      indexedDB: (await indexedDB.databases()).length,
      contentDocument: iframe?.contentDocument === null ? 'null' : 'readable',
      frameDocument: attempt(() => iframe?.contentWindow?.document.body.innerHTML),
      frameSessionStorage: attempt(() => JSON.stringify({ ...iframe?.contentWindow?.sessionStorage })),
      frameLocalStorage: attempt(() => JSON.stringify({ ...iframe?.contentWindow?.localStorage })),
      frameLocation: attempt(() => iframe?.contentWindow?.location.href),
      frameName: attempt(() => iframe?.contentWindow?.name),
      src: iframe?.src ?? '',
      sandbox: iframe?.getAttribute('sandbox') ?? '',
      phase: iframe?.dataset.phase ?? null,
      html: document.documentElement.outerHTML,
      address: location.href,
      resources: performance.getEntries().map((entry) => entry.name),
      // biome-ignore lint/suspicious/noExplicitAny: the spy's own record, set by the page's script
      messages: (window as any).__seen as string[],
    };
  }, FRAME);
}

/** Waits until the console has said `text` `count` times (the widget names every message it refuses). */
function warnings(page: Page, text: string, count: number): Promise<void> {
  let seen = 0;
  return new Promise((resolve) => {
    const listen = (message: ConsoleMessage) => {
      if (message.type() !== 'warning' || !message.text().includes(text)) return;
      seen += 1;
      if (seen < count) return;
      page.off('console', listen);
      resolve();
    };
    page.on('console', listen);
  });
}

describe('the widget on a shelter’s page of another origin (issue 18)', () => {
  it('the host page cannot read the widget’s token by any means, while a screening completes inside the frame', {
    timeout: 180_000,
  }, async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const hostNavigations: string[] = [];
    page.on('framenavigated', (frame) => {
      if (frame === page.mainFrame()) hostNavigations.push(frame.url());
    });
    const signInWindows: string[] = [];
    context.on('page', (popup) => popup.on('framenavigated', (frame) => signInWindows.push(frame.url())));

    await page.goto(`${shelter}/intake.html`);
    await openWidget(page);
    await widget(page).getByRole('link', { name: 'Sign in' }).waitFor();
    await signInWithMouse(page, 'Sign in');
    const frame = await widgetFrame(page);
    const token = await frame.evaluate(() => sessionStorage.getItem('cse-widget.id_token'));
    expect(token).toMatch(/^ey[\w-]+\.[\w-]+\.[\w-]+$/);
    const refreshToken = await frame.evaluate(() => sessionStorage.getItem('cse-widget.refresh_token'));
    expect(refreshToken).toBeTruthy();
    expect(new URL(frame.url()).origin).toBe(server.url);

    // The identity provider answered the sign-in window on the deployment's frame page, never the host's.
    expect(signInWindows.at(-1)).toMatch(new RegExp(`^${server.url}/widget/frame\\.html`));
    expect(hostNavigations).toEqual([`${shelter}/intake.html`]);

    await widget(page).locator('.cse-widget textarea').fill('SHELTER-FRAME-1');
    await widget(page).locator('.cse-widget textarea').press('Enter');
    await widget(page).locator('.cse-widget[data-version="0"]').waitFor();
    const answers = [
      'Yes, there is information about this',
      ...Array<string>(7).fill('No, not from what I know'),
      'Identified as a victim of CSE',
      'Unknown',
      'Unknown',
    ];
    for (const [index, label] of answers.entries())
      await clickAnswer(page, label, index === answers.length - 1);
    await expect.poll(() => newestCard(page).textContent()).toContain('R-MANDATED-1');
    expect(await seriousAxeViolations(page)).toEqual([]);
    const listed = await stack.call('listTasks', { query: { status: 'open' }, user: shelterUser });
    expect(
      (listed.body.tasks as { subjectRef: string }[]).filter((task) => task.subjectRef === 'SHELTER-FRAME-1'),
    ).toHaveLength(2);

    const seen = await whatTheHostSees(page);
    expect(seen).toMatchObject({
      sessionStorage: '{}',
      localStorage: '{}',
      cookies: '',
      indexedDB: 0,
      contentDocument: 'null',
      frameDocument: { refused: 'SecurityError' },
      frameSessionStorage: { refused: 'SecurityError' },
      frameLocalStorage: { refused: 'SecurityError' },
      frameLocation: { refused: 'SecurityError' },
      frameName: { refused: 'SecurityError' },
      phase: 'done',
      address: `${shelter}/intake.html`,
    });
    expect(seen.sandbox).not.toContain('allow-top-navigation');
    // Every message the host's window received was the contract's, from the frame's origin: size and phase.
    expect(seen.messages.length).toBeGreaterThan(0);
    for (const raw of seen.messages) {
      const { origin, data } = JSON.parse(raw);
      expect(origin).toBe(server.url);
      expect(FrameToHost.safeParse(data).success).toBe(true);
      expect(['resize', 'phase']).toContain(data.type);
    }
    // Nothing the host can see holds the token, or any part of it, or the case reference.
    const visible = JSON.stringify(seen);
    for (const secret of [token!, ...token!.split('.'), refreshToken!, 'SHELTER-FRAME-1'])
      expect(visible).not.toContain(secret);
    await context.close();
  });

  it('ignores messages from the wrong window, the wrong origin or of the wrong shape, on both sides', {
    timeout: 120_000,
  }, async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${shelter}/intake.html`);
    await openWidget(page);
    await signInWithMouse(page, 'Sign in');
    const frame = await widgetFrame(page);

    const hostRefusals = warnings(page, 'not from the widget’s frame', 3);
    const frameRefusals = warnings(page, 'not the host page’s quick exit', 4);
    await page.evaluate(
      ({ channel, frameSelector }) => {
        const widgetWindow = document.querySelector<HTMLIFrameElement>(frameSelector)!.contentWindow!;
        // To the host, from the host page itself: the frame's words, from the wrong window.
        window.postMessage({ channel, type: 'exit' }, '*');
        window.postMessage({ channel, type: 'phase', phase: 'done' }, '*');
        // To the frame, from the host page: the right window, the wrong shapes.
        widgetWindow.postMessage({ channel, type: 'quick-exit', now: true }, '*');
        widgetWindow.postMessage({ channel, type: 'resize', height: 1 }, '*');
        widgetWindow.postMessage({ channel, type: 'signed-in', code: 'x', state: 's' }, '*');
        // A third party on the page (an ad, a chat bubble): an origin of its own (opaque here).
        const stranger = document.createElement('iframe');
        stranger.setAttribute('sandbox', 'allow-scripts');
        stranger.srcdoc = `<script>
          parent.postMessage({ channel: '${channel}', type: 'exit' }, '*');
          parent.frames[0].postMessage({ channel: '${channel}', type: 'quick-exit' }, '*');
        </script>`;
        document.body.append(stranger);
      },
      { channel: CHANNEL, frameSelector: FRAME },
    );
    await Promise.all([hostRefusals, frameRefusals]);

    // Still here, still signed in, nothing cleared.
    expect(page.url()).toBe(`${shelter}/intake.html`);
    expect(await page.locator(FRAME).getAttribute('data-phase')).toBe('reference');
    await widget(page).locator('.cse-widget[data-phase="reference"]').waitFor();
    expect(await frame.evaluate(() => sessionStorage.length)).toBe(2);
    await context.close();
  });

  it('quick exit in the frame replaces the host page, and the frame’s sign-in is gone with it', {
    timeout: 120_000,
  }, async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${shelter}/intake.html`);
    await openWidget(page);
    await signInWithMouse(page, 'Sign in');
    const historyLength = await page.evaluate(() => history.length);
    await widget(page).getByRole('button', { name: 'Quick exit' }).click();
    await page.waitForURL(`${shelter}/neutral.html`);
    expect(await page.evaluate(() => history.length)).toBe(historyLength);
    // Issue 20: quick exit leaves no "was open" flag on the shelter's origin either.
    expect(await storedInBrowser(page)).toMatchObject({ sessionStorage: 0 });

    // The same tab back on the shelter's page: the widget asks for a sign-in again.
    await page.goto(`${shelter}/intake.html`);
    await openWidget(page);
    await widget(page).getByRole('link', { name: 'Sign in' }).waitFor();
    expect(await storedInBrowser(await widgetFrame(page))).toMatchObject({ sessionStorage: 0 });
    await context.close();
  });

  it('Escape twice on the host page (outside the frame) clears the frame too, then replaces the page', {
    timeout: 120_000,
  }, async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${shelter}/intake.html`);
    await openWidget(page);
    await signInWithMouse(page, 'Sign in');
    await page.locator('h1').focus();
    await page.keyboard.press('Escape');
    await page.keyboard.press('Escape');
    await page.waitForURL(`${shelter}/neutral.html`);
    expect(await storedInBrowser(page)).toMatchObject({ sessionStorage: 0 });
    await page.goto(`${shelter}/intake.html`);
    await openWidget(page);
    await widget(page).getByRole('link', { name: 'Sign in' }).waitFor();
    expect(await storedInBrowser(await widgetFrame(page))).toMatchObject({ sessionStorage: 0 });
    await context.close();
  });
});

describe('the widget’s postMessage contract', () => {
  it('accepts exactly its messages and nothing more', () => {
    const channel = CHANNEL;
    expect(FrameToHost.safeParse({ channel, type: 'resize', height: 704 }).success).toBe(true);
    expect(FrameToHost.safeParse({ channel, type: 'phase', phase: 'screening' }).success).toBe(true);
    expect(FrameToHost.safeParse({ channel, type: 'phase', phase: null }).success).toBe(true);
    expect(FrameToHost.safeParse({ channel, type: 'exit' }).success).toBe(true);
    expect(HostToFrame.safeParse({ channel, type: 'quick-exit' }).success).toBe(true);
    for (const wrong of [
      { channel, type: 'exit', token: 'x' },
      { channel, type: 'resize', height: -1 },
      { channel, type: 'resize', height: 1.5 },
      { channel, type: 'phase', phase: 'signed-in' },
      { type: 'exit' },
      { channel: 'other', type: 'exit' },
      'exit',
      null,
    ])
      expect(FrameToHost.safeParse(wrong).success, JSON.stringify(wrong)).toBe(false);
    expect(HostToFrame.safeParse({ channel, type: 'quick-exit', url: 'https://x' }).success).toBe(false);
    // The sign-in window hands over the provider's answer (a code), never a token.
    expect(SignInAnswer.safeParse({ channel, type: 'signed-in', code: 'c', state: 's' }).success).toBe(true);
    expect(SignInAnswer.safeParse({ channel, type: 'signed-in', code: '', state: 's' }).success).toBe(false);
    expect(SignInAnswer.safeParse({ channel, type: 'signed-in', idToken: 'x.y.z', state: 's' }).success).toBe(
      false,
    );
  });
});
