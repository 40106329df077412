import * as oauth from 'oauth4webapi';
import { claimsOf } from '../widget/session.ts';

/**
 * Issue 18: the tablet's sign-in, OpenID Connect authorization code with PKCE (S256), `state` and `nonce`,
 * through oauth4webapi (bundled into app.js). The whole page goes to the provider's authorization endpoint
 * and comes back to the app's own address (`/tablet/`) with `?code=…&state=…`; the code is taken off the
 * address at once and traded for tokens at the token endpoint. Only the sign-in in progress (verifier, state,
 * nonce, the app's query) sits in sessionStorage, and only until the provider sends the browser back; the
 * tokens themselves are sealed in the vault by the app (`s:token`, `s:refresh`), never stored plain.
 */

export interface Tokens {
  idToken: string;
  /** Rotated by the provider on every use; absent when the provider issued none. */
  refreshToken?: string;
}

const PENDING = 'tablet.sign_in';
const SCOPE = 'openid profile';

interface Pending {
  verifier: string;
  state: string;
  nonce: string;
  /** The query the app was opened with (`?lockAfter=…`): the provider returns only to the bare address. */
  returnQuery: string;
}

interface Provider {
  as: oauth.AuthorizationServer;
  client: oauth.Client;
  options: { [oauth.allowInsecureRequests]?: boolean };
}

const loopback = (url: URL) => ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);

let settings: Promise<Provider | null> | null = null;
/** The provider's metadata (discovery) and the app client; null when none is set up or it is unreachable. */
export function provider(): Promise<Provider | null> {
  settings ??= (async () => {
    const response = await fetch('/auth/config', { cache: 'no-store', signal: AbortSignal.timeout(20_000) });
    const config = (response.ok ? await response.json() : null) as {
      issuer?: string | null;
      clientId?: string | null;
    } | null;
    if (!config?.issuer || !config.clientId) return null;
    const issuer = new URL(config.issuer);
    // Plain http only for the development provider on loopback, as the API's verifier allows.
    const options =
      issuer.protocol === 'http:' && loopback(issuer) ? { [oauth.allowInsecureRequests]: true } : {};
    const as = await oauth.processDiscoveryResponse(
      issuer,
      await oauth.discoveryRequest(issuer, { ...options, signal: AbortSignal.timeout(20_000) }),
    );
    return { as, client: { client_id: config.clientId }, options };
  })().catch(() => null);
  return settings.then((found) => {
    // Not found (offline, no provider): asked again next time rather than remembered.
    if (!found) settings = null;
    return found;
  });
}

const redirectUri = () => `${location.origin}${location.pathname}`;

/**
 * Sends the whole page to the provider's authorization endpoint with a fresh PKCE pair, state and nonce.
 * False when no provider could be reached (offline): the page stays.
 */
export async function beginSignIn(): Promise<boolean> {
  const found = await provider();
  if (!found?.as.authorization_endpoint) return false;
  const pending: Pending = {
    verifier: oauth.generateRandomCodeVerifier(),
    state: oauth.generateRandomState(),
    nonce: oauth.generateRandomNonce(),
    returnQuery: location.search,
  };
  const url = new URL(found.as.authorization_endpoint);
  url.search = new URLSearchParams({
    client_id: found.client.client_id,
    redirect_uri: redirectUri(),
    response_type: 'code',
    scope: SCOPE,
    code_challenge: await oauth.calculatePKCECodeChallenge(pending.verifier),
    code_challenge_method: 'S256',
    state: pending.state,
    nonce: pending.nonce,
  }).toString();
  sessionStorage.setItem(PENDING, JSON.stringify(pending));
  location.assign(url.href);
  return true;
}

/** The provider's answer taken off the address, with the sign-in it answers (if this tab started one). */
export interface Callback {
  params: URLSearchParams;
  pending: Pending | null;
}

/**
 * Synchronous, before anything reads the address: when the provider sent the browser back (`?code=` or
 * `?error=`), the answer leaves the address bar and the app's own query goes back on it.
 */
export function takeCallback(): Callback | null {
  const params = new URLSearchParams(location.search);
  if (!params.has('code') && !params.has('error')) return null;
  const stored = sessionStorage.getItem(PENDING);
  sessionStorage.removeItem(PENDING);
  let pending: Pending | null = null;
  try {
    pending = stored ? (JSON.parse(stored) as Pending) : null;
  } catch {
    pending = null;
  }
  history.replaceState(null, '', location.pathname + (pending?.returnQuery ?? '') + location.hash);
  return { params, pending };
}

/** Trades the code and the PKCE verifier for tokens, checking the state and the ID token's nonce. */
export async function completeSignIn(callback: Callback): Promise<Tokens | null> {
  const { pending } = callback;
  if (!pending) return null;
  const found = await provider();
  if (!found) return null;
  try {
    const params = oauth.validateAuthResponse(found.as, found.client, callback.params, pending.state);
    const response = await oauth.authorizationCodeGrantRequest(
      found.as,
      found.client,
      oauth.None(),
      params,
      redirectUri(),
      pending.verifier,
      found.options,
    );
    const tokens = await oauth.processAuthorizationCodeResponse(found.as, found.client, response, {
      expectedNonce: pending.nonce,
      requireIdToken: true,
    });
    if (!tokens.id_token) return null;
    return {
      idToken: tokens.id_token,
      ...(tokens.refresh_token ? { refreshToken: tokens.refresh_token } : {}),
    };
  } catch {
    return null;
  }
}

export type Refreshed =
  | { kind: 'ok'; tokens: Tokens }
  /** No answer (offline, provider down): the refresh token is kept for later. */
  | { kind: 'offline' }
  /** Refused (expired, revoked, already used) or another user: the refresh token is no use any more. */
  | { kind: 'refused' };

/** A new ID token (and rotated refresh token) for this refresh token, for the same user only. */
export async function refreshTokens(refreshToken: string, expectedSub: string): Promise<Refreshed> {
  const found = await provider();
  if (!found) return { kind: 'offline' };
  let response: Response;
  try {
    response = await oauth.refreshTokenGrantRequest(found.as, found.client, oauth.None(), refreshToken, {
      ...found.options,
      signal: AbortSignal.timeout(20_000),
    });
  } catch {
    return { kind: 'offline' };
  }
  try {
    const tokens = await oauth.processRefreshTokenResponse(found.as, found.client, response);
    if (!tokens.id_token || claimsOf(tokens.id_token).sub !== expectedSub) return { kind: 'refused' };
    return {
      kind: 'ok',
      tokens: {
        idToken: tokens.id_token,
        // A provider that does not rotate keeps the one it was given.
        refreshToken: tokens.refresh_token ?? refreshToken,
      },
    };
  } catch {
    return { kind: 'refused' };
  }
}
