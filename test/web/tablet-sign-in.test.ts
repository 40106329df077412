import type { Request } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { startDevIdentityProvider, verifierFor } from '../../scripts/dev-identity.ts';
import { startDevServer } from '../../scripts/dev-server.ts';
import {
  deviceRecords,
  interviewer,
  signInAndChoosePin,
  tabletContext,
  toggleAndFinish,
  typeAnswer,
  waitForQueue,
} from '../support/tablet.ts';
import { withTabletApp } from '../support/tablet-app.ts';

/**
 * Issue 18 on the interviewers' tablet: sign-in is OpenID Connect authorization code + PKCE (S256) with state
 * and nonce against the local OpenID provider; no token ever travels in an address; the refresh token is
 * sealed like the ID token; and a 401 mid-sync renews the token once, so the queue goes on.
 */

const app = withTabletApp();

describe('signing in on the tablet (issue 18)', () => {
  it('uses code + PKCE with state and nonce, keeps no token in any address, and seals the refresh token', async () => {
    const { idp } = app.stack;
    const context = await tabletContext(app.browser);
    const page = await context.newPage();
    const urls: string[] = [];
    page.on('request', (request) => urls.push(request.url()));
    page.on('framenavigated', (frame) => urls.push(frame.url()));
    const authorize = page.waitForRequest((request) => request.url().startsWith(idp.authorizationEndpoint));
    const exchange = page.waitForResponse((response) => response.url() === idp.tokenEndpoint);

    await signInAndChoosePin(page, `${app.server.url}/tablet/?lockAfter=120`);

    const asked = new URL((await authorize).url()).searchParams;
    expect(asked.get('response_type')).toBe('code');
    expect(asked.get('client_id')).toBe(idp.clientId);
    expect(asked.get('redirect_uri')).toBe(app.url);
    expect(asked.get('code_challenge_method')).toBe('S256');
    expect(asked.get('code_challenge')).toMatch(/^[\w-]{43}$/);
    expect(asked.get('state')).toMatch(/^[\w-]{20,}$/);
    expect(asked.get('nonce')).toMatch(/^[\w-]{20,}$/);
    const traded = await exchange;
    const form = new URLSearchParams(traded.request().postData() ?? '');
    expect(form.get('grant_type')).toBe('authorization_code');
    expect(form.get('code_verifier')).toMatch(/^[\w-]{43,128}$/);
    const tokens = (await traded.json()) as { id_token: string; refresh_token: string };
    expect(tokens.refresh_token).toBeTruthy();

    await page.getByLabel(/^Case reference/).waitFor();
    // The app's own query is back, the code is gone, and no address ever carried a token.
    expect(page.url()).toBe(`${app.server.url}/tablet/?lockAfter=120`);
    for (const url of urls) {
      expect(url).not.toContain('id_token');
      expect(url).not.toContain(tokens.id_token);
      expect(url).not.toContain(tokens.refresh_token);
    }
    // Both tokens are sealed in the vault; nothing of the sign-in is left in the tab's storage.
    const records = await deviceRecords(page);
    expect(Object.keys(records)).toEqual(expect.arrayContaining(['s:token', 's:refresh']));
    const everything = JSON.stringify(records);
    expect(everything).not.toContain(tokens.refresh_token);
    expect(everything).not.toContain(tokens.id_token);
    const tabStorage = await page.evaluate(() => JSON.stringify({ ...sessionStorage, ...localStorage }));
    expect(tabStorage).not.toContain(tokens.refresh_token);
    expect(tabStorage).not.toContain(tokens.id_token);
    expect(tabStorage).not.toContain('verifier');
    await context.close();
  }, 120_000);

  it('a page that comes back with a state it did not send is not signed in, and the code leaves the address', async () => {
    const context = await tabletContext(app.browser);
    const page = await context.newPage();
    await page.goto(`${app.server.url}/tablet/?code=forged&state=not-ours`);
    await page.locator('#sign-in').waitFor();
    expect(page.url()).toBe(app.url);
    expect(await deviceRecords(page)).toEqual({});
    await context.close();
  }, 60_000);

  it('a sync refused with 401 renews the token with the refresh token once and goes on; the server has every answer', async () => {
    const { idp } = app.stack;
    const context = await tabletContext(app.browser);
    const page = await context.newPage();
    await signInAndChoosePin(page, app.url);
    await page.getByLabel(/^Case reference/).fill('RET-REFRESH');
    await page.getByRole('button', { name: 'Start' }).click();
    await page.locator('.interview[data-version="0"]').waitFor();

    // The next sync is answered 401 once, as the API answers a token it no longer accepts.
    const bearers: string[] = [];
    let refusedOnce = false;
    await page.route(/\/conversations\/[^/]+\/sync$/, async (route) => {
      bearers.push((await route.request().headerValue('authorization')) ?? '');
      if (refusedOnce) return route.continue();
      refusedOnce = true;
      return route.fulfill({
        status: 401,
        contentType: 'application/json',
        body: JSON.stringify({ error: { code: 'unauthorized', message: 'The token is not accepted.' } }),
      });
    });
    const refreshed = page.waitForRequest(
      (request: Request) =>
        request.url() === idp.tokenEndpoint &&
        new URLSearchParams(request.postData() ?? '').get('grant_type') === 'refresh_token',
    );

    await toggleAndFinish(page, ['Conflict or arguments where I was living']);
    await typeAnswer(page, 'I missed my little brother');
    await refreshed;
    await waitForQueue(page, 0);

    // The refused request and the ones after it: a new token, never the refused one again.
    expect(bearers.length).toBeGreaterThanOrEqual(2);
    expect(bearers[1]).not.toBe(bearers[0]);
    expect(bearers.slice(1)).not.toContain(bearers[0]);
    expect(await page.locator('#sign-in').count()).toBe(0);
    const id = await page.locator('.interview').getAttribute('data-conversation');
    const detail = await app.stack.call('getConversation', { id: id!, user: interviewer });
    expect(detail.status).toBe(200);
    expect(detail.body.events.length).toBe(2);
    await context.close();
  }, 120_000);

  it('a token that expires within minutes is renewed before the queue is sent, once the tablet is back online', async () => {
    // A provider whose ID tokens live two minutes, inside the tablet's five-minute margin, and an API that
    // trusts it: every token the tablet is about to send is one it must renew first.
    const shortLived = await startDevIdentityProvider({
      audience: 'tablet-short-lived',
      tokenLifetimeSeconds: 120,
    });
    const shortServer = await startDevServer({
      deps: { ...app.stack.deps, authenticator: verifierFor(shortLived) },
      port: 0,
      oidc: { issuer: shortLived.issuer, clientId: shortLived.clientId },
    });
    const context = await tabletContext(app.browser);
    const page = await context.newPage();
    try {
      const signedIn = page.waitForResponse(
        (response) =>
          response.url() === shortLived.tokenEndpoint &&
          new URLSearchParams(response.request().postData() ?? '').get('grant_type') === 'authorization_code',
      );
      await signInAndChoosePin(page, `${shortServer.url}/tablet/`);
      const first = ((await (await signedIn).json()) as { id_token: string }).id_token;
      await page.getByLabel(/^Case reference/).fill('RET-EXPIRY');
      await page.getByRole('button', { name: 'Start' }).click();
      await page.locator('.interview[data-version="0"]').waitFor();
      // The interview's start (issue 20: made on the tablet) reaches the server while online.
      await waitForQueue(page, 0);

      // Offline: the answers wait on the tablet, and nothing tries to renew anything.
      await context.setOffline(true);
      await toggleAndFinish(page, ['Conflict or arguments where I was living']);
      await waitForQueue(page, 1);

      const bearers: string[] = [];
      page.on('request', (request) => {
        if (/\/conversations\/[^/]+\/sync$/.test(request.url()))
          bearers.push(request.headers().authorization ?? '');
      });
      const refreshed = page.waitForRequest(
        (request: Request) =>
          request.url() === shortLived.tokenEndpoint &&
          new URLSearchParams(request.postData() ?? '').get('grant_type') === 'refresh_token',
      );
      await context.setOffline(false);
      await page.evaluate(() => window.dispatchEvent(new Event('online')));
      await refreshed;
      await waitForQueue(page, 0);
      expect(bearers.length).toBeGreaterThan(0);
      expect(bearers).not.toContain(`Bearer ${first}`);
      const id = await page.locator('.interview').getAttribute('data-conversation');
      const detail = await app.stack.call('getConversation', { id: id!, user: interviewer });
      expect(detail.body.events.length).toBe(1);
    } finally {
      await context.close();
      await shortServer.close();
      await shortLived.close();
    }
  }, 120_000);
});
