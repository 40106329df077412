import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { idTokenFor } from '../../scripts/dev-identity.ts';
import { refreshTokens } from '../../scripts/dev-identity-client.ts';
import {
  BROWSER_TEST,
  type ChatHarness,
  clickAndWaitForTurn,
  demo,
  openSignedIn,
  questionText,
  shownVersion,
  signInAs,
  startChatHarness,
  startFromForm,
} from './chat-support.ts';

/**
 * Issue 18: the chat page signs in with authorization code + PKCE (and state, nonce) against the local
 * OpenID provider, through oauth4webapi, and refreshes its ID token so a screening outlives the token.
 */

let harness: ChatHarness;

beforeAll(async () => {
  harness = await startChatHarness('2026-11-28T17:00:00.000Z');
});

afterAll(async () => {
  await harness?.close();
});

const ABSENT = 'No, not from what I know';

const stored = (page: Page, key: string) => page.evaluate((name) => sessionStorage.getItem(name), key);

describe('signing in on the chat page', BROWSER_TEST, () => {
  it('signs in with authorization code + PKCE (S256), state and nonce, and completes a step', async () => {
    const { idp } = harness.stack;
    const page = await harness.browser.newPage();
    await page.goto(`${harness.server.url}/`);
    const authorize = page.waitForRequest((request) => request.url().startsWith(idp.authorizationEndpoint));
    const exchange = page.waitForRequest((request) => request.url() === idp.tokenEndpoint);

    await signInAs(page, demo.caseworker.name);

    const asked = new URL((await authorize).url()).searchParams;
    expect(asked.get('response_type')).toBe('code');
    expect(asked.get('client_id')).toBe(idp.clientId);
    expect(asked.get('redirect_uri')).toBe(`${harness.server.url}/`);
    expect(asked.get('code_challenge_method')).toBe('S256');
    expect(asked.get('code_challenge')).toMatch(/^[\w-]{43}$/);
    expect(asked.get('state')).toMatch(/^[\w-]{20,}$/);
    expect(asked.get('nonce')).toMatch(/^[\w-]{20,}$/);
    const traded = new URLSearchParams((await exchange).postData() ?? '');
    expect(traded.get('grant_type')).toBe('authorization_code');
    expect(traded.get('code_verifier')).toMatch(/^[\w-]{43,128}$/);
    // Neither the code nor a token stays in the address; the tab keeps the ID and refresh tokens only.
    expect(page.url()).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/(#screening)?$/);
    expect(await stored(page, 'screening.id_token')).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(await stored(page, 'screening.refresh_token')).toBeTruthy();
    expect(await stored(page, 'screening.sign_in')).toBeNull();

    await startFromForm(page, 'CASE-PKCE');
    await clickAndWaitForTurn(page, ABSENT);
    expect(await shownVersion(page)).toBe(1);
    await page.close();
  });

  it('a page that comes back with a state it did not send is not signed in', async () => {
    const page = await harness.browser.newPage();
    await page.goto(`${harness.server.url}/`);
    await page.getByRole('link', { name: 'Sign in' }).waitFor();
    await page.goto(`${harness.server.url}/?code=forged&state=not-ours`);
    await page.getByRole('link', { name: 'Sign in' }).waitFor();
    expect(await stored(page, 'screening.id_token')).toBeNull();
    expect(page.url()).not.toContain('code=');
    await page.close();
  });

  it('a token about to expire is refreshed before the answer is sent; the screening stays at its question', async () => {
    const { idp } = harness.stack;
    const page = await openSignedIn(harness, demo.caseworker.name);
    await startFromForm(page, 'CASE-NEAR-EXPIRY');
    await clickAndWaitForTurn(page, ABSENT);
    const version = await shownVersion(page);
    const question = await questionText(page);
    // Still valid for a minute: inside the page's two-minute margin.
    const nearExpiry = await idTokenFor(idp, demo.caseworker.user, 60);
    await page.evaluate((token) => sessionStorage.setItem('screening.id_token', token), nearExpiry);
    const sent: string[] = [];
    page.on('request', (request) => {
      if (request.url().startsWith(harness.server.url)) sent.push(request.headers().authorization ?? '');
    });
    const refreshed = page.waitForRequest((request) => request.url() === idp.tokenEndpoint);

    // The reload reads the conversation again: with a token refreshed first, not the one about to expire.
    await page.reload();
    expect(new URLSearchParams((await refreshed).postData() ?? '').get('grant_type')).toBe('refresh_token');
    await page.locator(`#prompt[data-version="${version}"]`).waitFor();
    expect(await questionText(page)).toBe(question);
    await clickAndWaitForTurn(page, ABSENT);

    expect(sent).not.toContain(`Bearer ${nearExpiry}`);
    expect(await stored(page, 'screening.id_token')).not.toBe(nearExpiry);
    expect(await shownVersion(page)).toBe(version + 1);
    await page.close();
  });

  it('after a 401 it refreshes once and sends the answer again, which lands at the same question', async () => {
    const { idp } = harness.stack;
    const page = await openSignedIn(harness, demo.caseworker.name);
    await startFromForm(page, 'CASE-401');
    await clickAndWaitForTurn(page, ABSENT);
    const version = await shownVersion(page);
    // Unexpired by its own claims, but not for this API (another audience): the API answers 401.
    const refusedToken = await idp.signIn('demo-caseworker', { aud: 'another-app' });
    await page.evaluate((token) => sessionStorage.setItem('screening.id_token', token), refusedToken);

    const statuses: number[] = [];
    page.on('response', (response) => {
      if (response.url().includes('/turns')) statuses.push(response.status());
    });
    await page.locator('#prompt').getByRole('button', { name: ABSENT }).click();
    await page.locator(`#prompt[data-version="${version + 1}"]`).waitFor();

    expect(statuses).toEqual([401, 200]);
    expect(await shownVersion(page)).toBe(version + 1);
    expect(await page.getByText('Your session ended').isVisible()).toBe(false);
    await page.close();
  });

  it('signing out revokes the refresh token at the provider', async () => {
    const { idp } = harness.stack;
    const page = await openSignedIn(harness, demo.caseworker2.name);
    const refreshToken = (await stored(page, 'screening.refresh_token'))!;
    const revoked = page.waitForResponse((response) => response.url().endsWith('/oauth2/revoke'));
    await page.getByRole('button', { name: 'Sign out' }).click();
    expect((await revoked).status()).toBe(200);
    await page.getByRole('link', { name: 'Sign in' }).waitFor();
    expect(await stored(page, 'screening.id_token')).toBeNull();
    expect(await stored(page, 'screening.refresh_token')).toBeNull();
    await expect(refreshTokens(idp.issuer, idp.clientId, refreshToken)).rejects.toThrow();
    await page.close();
  });
});
