import * as oauth from 'oauth4webapi';
import { CHANNEL, FRAME_PATH, isWidgetMessage, SignInAnswer } from './contract.ts';
import { claimsOf, forget, keepTokens, REFRESH_KEY, TOKEN_KEY } from './session.ts';

/**
 * Sign-in for the widget's frame (issue 18): OpenID Connect authorization code with PKCE (S256), `state` and
 * `nonce`, through oauth4webapi. Identity providers refuse to be framed (the development one and Cognito's
 * hosted pages say `frame-ancestors 'none'`), and nothing of the sign-in may reach the host page, so the frame
 * opens the provider's authorization endpoint in a small window of its own. The provider sends that window
 * back to the frame page on the deployment's origin (`redirect_uri` = `/widget/frame.html?code=…&state=…`),
 * which hands `{code, state}` to the frame that opened it (same origin only) and closes. The frame checks the
 * state and trades the code at the token endpoint with the PKCE verifier, then checks the ID token's nonce.
 * The verifier, state and nonce live only in the frame's memory: they never leave it, not even for the
 * sign-in window. The ID token (the API's bearer token) and the refresh token are kept in the frame's
 * sessionStorage; the ID token is refreshed shortly before it expires, and once more after a 401, so a
 * screening goes on across token expiry.
 *
 * This module and `answerSignInWindow` are the whole protocol.
 */

const WINDOW_NAME = 'cse-widget-sign-in';
const SCOPE = 'openid profile';
/** A token this close to its expiry is refreshed before it is sent. */
const REFRESH_MARGIN_SECONDS = 120;

/** Where the provider sends the sign-in window back: the frame page itself, bare (providers match exactly). */
function redirectUri(origin: string): string {
  return `${origin}${FRAME_PATH}`;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

interface Provider {
  as: oauth.AuthorizationServer;
  client: oauth.Client;
  options: { [oauth.allowInsecureRequests]?: boolean };
}

export interface PendingSignIn {
  cancel(): void;
}

export interface WidgetSignIn {
  /** Whether a provider is set up (and its metadata could be read): the sign-in link is offered then. */
  available(): Promise<boolean>;
  /**
   * Opens the provider in its own window (call it from the click: browsers allow windows only then);
   * `onSignedIn` runs once the tokens are kept, `onFailed` when the answer was refused. Null when blocked.
   */
  open(onSignedIn: () => void, onFailed: () => void): PendingSignIn | null;
  /** The token to send: refreshed first when it expires within two minutes (or has expired). */
  freshToken(): Promise<string | null>;
  /** A new ID token for the refresh token (rotated by the provider), one request at a time; null if refused. */
  refresh(): Promise<string | null>;
  /** Forgets both tokens, and revokes the refresh token at the provider (best effort). */
  signOut(): Promise<void>;
}

/**
 * `apiBase` serves `/auth/config` (`issuer`, `clientId`); `storage` is the frame's sessionStorage.
 */
export function createSignIn(apiBase: string, storage: Storage): WidgetSignIn {
  let settings: Promise<Provider | null> | null = null;
  /** The provider's metadata (discovery) and this app client; null when none is set up or reachable. */
  function provider(): Promise<Provider | null> {
    settings ??= (async () => {
      const response = await fetch(`${apiBase}/auth/config`, { cache: 'no-store', credentials: 'omit' });
      const config = (response.ok ? await response.json() : null) as {
        issuer?: unknown;
        clientId?: unknown;
      } | null;
      if (typeof config?.issuer !== 'string' || typeof config.clientId !== 'string') return null;
      const issuer = new URL(config.issuer);
      // Plain http only for the development provider on loopback, as the API's verifier allows.
      const options =
        issuer.protocol === 'http:' && LOOPBACK.has(issuer.hostname)
          ? { [oauth.allowInsecureRequests]: true }
          : {};
      const as = await oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, options));
      if (!as.authorization_endpoint || !as.token_endpoint) return null;
      return { as, client: { client_id: config.clientId }, options };
    })().catch(() => null);
    return settings.then((found) => {
      if (!found) settings = null;
      return found;
    });
  }

  const currentToken = () => storage.getItem(TOKEN_KEY);

  function open(onSignedIn: () => void, onFailed: () => void): PendingSignIn | null {
    // Opened at once, within the click (the PKCE challenge is computed asynchronously), then sent on.
    const popup = window.open('about:blank', WINDOW_NAME, 'popup,width=520,height=720');
    if (!popup) return null;
    const redirect = redirectUri(window.location.origin);
    const verifier = oauth.generateRandomCodeVerifier();
    const state = oauth.generateRandomState();
    const nonce = oauth.generateRandomNonce();
    let cancelled = false;
    const onMessage = (event: MessageEvent) => {
      if (!isWidgetMessage(event.data)) return;
      const answer =
        event.source === popup && event.origin === window.location.origin
          ? SignInAnswer.safeParse(event.data)
          : null;
      if (!answer?.success || answer.data.state !== state) {
        console.warn('cse-widget: ignored a sign-in message that is not the answer to this sign-in');
        return;
      }
      // The answer came: stop listening, but the exchange below is this sign-in's, not a cancelled one.
      window.removeEventListener('message', onMessage);
      popup.close();
      void exchange(answer.data).then((ok) => {
        if (cancelled) return;
        if (ok) onSignedIn();
        else onFailed();
      });
    };
    const cancel = () => {
      cancelled = true;
      window.removeEventListener('message', onMessage);
    };
    window.addEventListener('message', onMessage);

    async function exchange(answer: SignInAnswer): Promise<boolean> {
      const found = await provider();
      if (!found) return false;
      try {
        const query = new URLSearchParams({ state: answer.state });
        for (const name of ['code', 'iss', 'error', 'error_description'] as const) {
          const value = answer[name];
          if (value !== undefined) query.set(name, value);
        }
        const params = oauth.validateAuthResponse(found.as, found.client, query, state);
        const response = await oauth.authorizationCodeGrantRequest(
          found.as,
          found.client,
          oauth.None(),
          params,
          redirect,
          verifier,
          found.options,
        );
        const tokens = await oauth.processAuthorizationCodeResponse(found.as, found.client, response, {
          expectedNonce: nonce,
          requireIdToken: true,
        });
        if (cancelled || !tokens.id_token) return false;
        keepTokens(storage, tokens.id_token, tokens.refresh_token);
        return true;
      } catch {
        return false;
      }
    }

    void (async () => {
      const found = await provider();
      if (cancelled) return;
      if (!found?.as.authorization_endpoint) {
        popup.close();
        cancel();
        onFailed();
        return;
      }
      const url = new URL(found.as.authorization_endpoint);
      url.search = new URLSearchParams({
        client_id: found.client.client_id,
        redirect_uri: redirect,
        response_type: 'code',
        scope: SCOPE,
        code_challenge: await oauth.calculatePKCECodeChallenge(verifier),
        code_challenge_method: 'S256',
        state,
        nonce,
      }).toString();
      if (!cancelled) popup.location.href = url.href;
    })();
    return { cancel };
  }

  let refreshing: Promise<string | null> | null = null;
  function refresh(): Promise<string | null> {
    refreshing ??= (async () => {
      const refreshToken = storage.getItem(REFRESH_KEY);
      if (!refreshToken) return null;
      const found = await provider();
      if (!found) return null;
      const before = claimsOf(currentToken() ?? '').sub;
      try {
        const response = await oauth.refreshTokenGrantRequest(
          found.as,
          found.client,
          oauth.None(),
          refreshToken,
          found.options,
        );
        const tokens = await oauth.processRefreshTokenResponse(found.as, found.client, response);
        const after = claimsOf(tokens.id_token ?? '').sub;
        if (!tokens.id_token || (before !== undefined && after !== before))
          throw new Error('not the same user');
        // Signed out (or quick exit) meanwhile: what comes back is not kept.
        if (storage.getItem(REFRESH_KEY) !== refreshToken) return null;
        keepTokens(storage, tokens.id_token, tokens.refresh_token);
        return tokens.id_token;
      } catch (error) {
        // Refused (expired, revoked, already used): no use keeping it. A network failure keeps it for later.
        if (!(error instanceof TypeError) && storage.getItem(REFRESH_KEY) === refreshToken)
          storage.removeItem(REFRESH_KEY);
        return null;
      }
    })().finally(() => {
      refreshing = null;
    });
    return refreshing;
  }

  async function freshToken(): Promise<string | null> {
    const token = currentToken();
    if (!token) return storage.getItem(REFRESH_KEY) ? refresh() : null;
    const { exp } = claimsOf(token);
    if (typeof exp === 'number' && exp - Date.now() / 1000 > REFRESH_MARGIN_SECONDS) return token;
    return (await refresh()) ?? token;
  }

  async function signOut(): Promise<void> {
    const refreshToken = storage.getItem(REFRESH_KEY);
    forget(storage);
    const found = refreshToken ? await provider() : null;
    if (!found || !refreshToken) return;
    try {
      await oauth.revocationRequest(found.as, found.client, oauth.None(), refreshToken, found.options);
    } catch {
      // Nothing to do: the token is forgotten here, and expires at the provider.
    }
  }

  return { available: () => provider().then(Boolean), open, freshToken, refresh, signOut };
}

/**
 * The frame page opened at top level, in the sign-in window: hands `?code=…&state=…` (or the provider's
 * `error`) to the frame that opened it (on this same origin only) and closes. The code leaves the address
 * bar and history at once; without the verifier, which only the frame holds, it is worth nothing anyway.
 * Returns false when this is not a sign-in window's return.
 */
export function answerSignInWindow(): boolean {
  const query = new URLSearchParams(window.location.search);
  const state = query.get('state');
  if (!state || (!query.has('code') && !query.has('error'))) return false;
  window.history.replaceState(null, '', window.location.pathname);
  const message: SignInAnswer = { channel: CHANNEL, type: 'signed-in', state };
  for (const name of ['code', 'iss', 'error', 'error_description'] as const) {
    const value = query.get(name);
    if (value !== null) message[name] = value;
  }
  const opener = window.opener as Window | null;
  if (opener && SignInAnswer.safeParse(message).success) opener.postMessage(message, window.location.origin);
  window.close();
  return true;
}
