import type { Browser, BrowserContext, Frame, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildWidget } from '../../scripts/build-widget.ts';
import { idTokenFor } from '../../scripts/dev-identity.ts';
import { refreshTokens } from '../../scripts/dev-identity-client.ts';
import { type RunningDevServer, startDevServer } from '../../scripts/dev-server.ts';
import { launchChromium } from '../support/browser.ts';
import { createTestStack, type TestStack } from '../support/stack.ts';
import {
  clickAnswer,
  newestCard,
  openWidget,
  shelterUser,
  shownVersion,
  signInWithMouse,
  widget,
  widgetFrame,
} from '../support/widget.ts';

/**
 * Issue 18: the widget's frame signs in with OpenID Connect authorization code + PKCE (S256), state and
 * nonce, against the local OpenID provider, in a window of its own; it keeps the ID and refresh tokens in
 * its own sessionStorage and refreshes the ID token so a screening outlives it.
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

const ABSENT = 'No, not from what I know';

/** Every address any page or frame of the context asked for or showed, sign-in windows included. */
function addressesOf(context: BrowserContext): string[] {
  const seen: string[] = [];
  context.on('request', (request) => seen.push(request.url()));
  const watch = (page: Page) => page.on('framenavigated', (frame) => seen.push(frame.url()));
  for (const page of context.pages()) watch(page);
  context.on('page', watch);
  return seen;
}

const stored = (frame: Frame, key: string) =>
  frame.evaluate((name) => sessionStorage.getItem(name), `cse-widget.${key}`);

async function startScreening(page: Page, subjectRef: string): Promise<void> {
  const box = widget(page).locator('.cse-widget textarea');
  await box.fill(subjectRef);
  await box.press('Enter');
  await widget(page).locator('.cse-widget[data-version="0"]').waitFor();
}

describe('the widget’s sign-in (issue 18)', () => {
  it('signs in with authorization code + PKCE (S256), state and nonce; no token ever in an address', {
    timeout: 120_000,
  }, async () => {
    const { idp } = stack;
    const context = await browser.newContext();
    const addresses = addressesOf(context);
    const authorize = context.waitForEvent('request', (request) =>
      request.url().startsWith(idp.authorizationEndpoint),
    );
    const exchange = context.waitForEvent('request', (request) => request.url() === idp.tokenEndpoint);
    const page = await context.newPage();
    await page.goto(`${server.url}/widget/demo.html`);
    await openWidget(page);
    await signInWithMouse(page, 'Sign in');

    const asked = new URL((await authorize).url()).searchParams;
    expect(asked.get('response_type')).toBe('code');
    expect(asked.get('client_id')).toBe(idp.clientId);
    expect(asked.get('redirect_uri')).toBe(`${server.url}/widget/frame.html`);
    expect(asked.get('code_challenge_method')).toBe('S256');
    expect(asked.get('code_challenge')).toMatch(/^[\w-]{43}$/);
    expect(asked.get('state')).toMatch(/^[\w-]{20,}$/);
    expect(asked.get('nonce')).toMatch(/^[\w-]{20,}$/);
    // The frame itself trades the code, with the verifier only it holds.
    const traded = await exchange;
    expect(traded.frame().url()).toMatch(new RegExp(`^${server.url}/widget/frame\\.html\\?`));
    const form = new URLSearchParams(traded.postData() ?? '');
    expect(form.get('grant_type')).toBe('authorization_code');
    expect(form.get('code_verifier')).toMatch(/^[\w-]{43,128}$/);
    expect(form.get('redirect_uri')).toBe(`${server.url}/widget/frame.html`);

    // The provider sent the sign-in window back to the frame page with a code, never a token.
    expect(addresses.some((url) => url.startsWith(`${server.url}/widget/frame.html?code=`))).toBe(true);
    for (const url of addresses) {
      expect(url).not.toMatch(/id_token|access_token|refresh_token/);
      expect(new URL(url).pathname).not.toBe('/sign-in');
    }
    const frame = await widgetFrame(page);
    expect(await stored(frame, 'id_token')).toMatch(/^ey[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(await stored(frame, 'refresh_token')).toBeTruthy();
    expect((await frame.evaluate(() => Object.keys(sessionStorage))).sort()).toEqual([
      'cse-widget.id_token',
      'cse-widget.refresh_token',
    ]);
    await context.close();
  });

  it('an answer with a state it did not send is refused; nothing is kept', {
    timeout: 60_000,
  }, async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${server.url}/widget/demo.html`);
    await openWidget(page);
    const opened = context.waitForEvent('page');
    await widget(page).getByRole('link', { name: 'Sign in' }).click();
    const popup = await opened;
    await popup.waitForURL(/\/interaction\//);
    const refused = page.waitForEvent('console', (message) =>
      message.text().includes('not the answer to this sign-in'),
    );
    // The sign-in window comes back with a state the frame did not send (a forged or stale answer).
    const closed = popup.waitForEvent('close');
    // The window passes the answer on and closes itself before it would count as loaded.
    await popup.goto(`${server.url}/widget/frame.html?code=forged&state=not-ours`, { waitUntil: 'commit' });
    await Promise.all([refused, closed]);
    const frame = await widgetFrame(page);
    expect(await stored(frame, 'id_token')).toBeNull();
    await widget(page).getByRole('link', { name: 'Sign in' }).waitFor();
    await context.close();
  });

  it('a token about to expire is refreshed before the answer is sent; the screening goes on at its question', {
    timeout: 120_000,
  }, async () => {
    const { idp } = stack;
    const page = await browser.newPage();
    await page.goto(`${server.url}/widget/demo.html`);
    await openWidget(page);
    await signInWithMouse(page, 'Sign in');
    await startScreening(page, 'SHELTER-NEAR-EXPIRY');
    await clickAnswer(page, ABSENT);
    const version = await shownVersion(page);
    const question = await newestCard(page).textContent();

    // Still valid for a minute: inside the frame's two-minute margin.
    const nearExpiry = await idTokenFor(idp, shelterUser, 60);
    const frame = await widgetFrame(page);
    const oldRefresh = await stored(frame, 'refresh_token');
    await frame.evaluate((token) => sessionStorage.setItem('cse-widget.id_token', token), nearExpiry);
    const sent: string[] = [];
    page.on('request', (request) => {
      if (request.url().startsWith(`${server.url}/conversations`))
        sent.push(request.headers().authorization ?? '');
    });
    const refreshed = page.waitForRequest((request) => request.url() === idp.tokenEndpoint);

    expect(question).toBeTruthy();
    await clickAnswer(page, ABSENT);
    expect(new URLSearchParams((await refreshed).postData() ?? '').get('grant_type')).toBe('refresh_token');
    expect(await shownVersion(page)).toBe(version + 1);
    expect(sent.length).toBeGreaterThan(0);
    expect(sent).not.toContain(`Bearer ${nearExpiry}`);
    expect(await stored(frame, 'id_token')).not.toBe(nearExpiry);
    // Rotated: the old refresh token is spent.
    const newRefresh = await stored(frame, 'refresh_token');
    expect(newRefresh).toBeTruthy();
    expect(newRefresh).not.toBe(oldRefresh);
    await expect(refreshTokens(idp.issuer, idp.clientId, oldRefresh!)).rejects.toThrow();
    await page.close();
  });

  it('after a 401 it refreshes once and sends the answer again, which lands at the next question', {
    timeout: 120_000,
  }, async () => {
    const { idp } = stack;
    const page = await browser.newPage();
    await page.goto(`${server.url}/widget/demo.html`);
    await openWidget(page);
    await signInWithMouse(page, 'Sign in');
    await startScreening(page, 'SHELTER-401');
    await clickAnswer(page, ABSENT);
    const version = await shownVersion(page);
    // Unexpired by its own claims, but not for this API (another audience): the API answers 401.
    const refusedToken = await idp.signIn('demo-shelter', { aud: 'another-app' });
    const frame = await widgetFrame(page);
    await frame.evaluate((token) => sessionStorage.setItem('cse-widget.id_token', token), refusedToken);
    const statuses: number[] = [];
    page.on('response', (response) => {
      if (response.url().includes('/turns')) statuses.push(response.status());
    });

    await clickAnswer(page, ABSENT);
    expect(statuses).toEqual([401, 200]);
    expect(await shownVersion(page)).toBe(version + 1);
    expect(await widget(page).locator('.cse-widget__notice').count()).toBe(0);
    await page.close();
  });

  it('signing out revokes the refresh token at the provider and forgets both tokens', {
    timeout: 60_000,
  }, async () => {
    const { idp } = stack;
    const page = await browser.newPage();
    await page.goto(`${server.url}/widget/demo.html`);
    await openWidget(page);
    await signInWithMouse(page, 'Sign in');
    const frame = await widgetFrame(page);
    const refreshToken = (await stored(frame, 'refresh_token'))!;
    const revoked = page.waitForResponse((response) => response.url().endsWith('/oauth2/revoke'));
    await widget(page).getByRole('button', { name: 'Sign out' }).click();
    expect((await revoked).status()).toBe(200);
    await widget(page).getByRole('link', { name: 'Sign in' }).waitFor();
    expect(await frame.evaluate(() => sessionStorage.length)).toBe(0);
    await expect(refreshTokens(idp.issuer, idp.clientId, refreshToken)).rejects.toThrow();
    await page.close();
  });
});
