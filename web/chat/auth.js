// Sign-in (issue 18): OpenID Connect authorization code with PKCE, state and nonce, through oauth4webapi
// (served from this origin, /chat/vendor/oauth4webapi.js). The code comes back in the query and is traded
// for tokens at the provider's token endpoint; the ID token and the refresh token are kept for this tab only
// (sessionStorage). The ID token is the API's bearer token; it is refreshed shortly before it expires, and
// once more after a 401, so a screening goes on across token expiry. Every API call is checked server-side,
// so what the page reads from the token only decides what it offers, never what the user may do.
import * as oauth from './vendor/oauth4webapi.js';

const TOKEN = 'screening.id_token';
const REFRESH_TOKEN = 'screening.refresh_token';
/** The sign-in in progress: PKCE verifier, state, nonce, and where to land (a view, e.g. "#tasks"). */
const PENDING = 'screening.sign_in';
/** A token this close to its expiry is refreshed before it is sent. */
const REFRESH_MARGIN_SECONDS = 120;
const SCOPE = 'openid profile';

export const currentToken = () => sessionStorage.getItem(TOKEN);

export function forgetToken() {
  sessionStorage.removeItem(TOKEN);
  sessionStorage.removeItem(REFRESH_TOKEN);
}

const loopback = (url) => ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);

let settings = null;
/** The provider's metadata (discovery) and this app client; null when no provider is set up or reachable. */
function provider() {
  settings ??= (async () => {
    const config = await fetch('/auth/config').then((response) => (response.ok ? response.json() : null));
    if (!config?.issuer || !config?.clientId) return null;
    const issuer = new URL(config.issuer);
    // Plain http only for the development provider on loopback, as the API's verifier allows.
    const options =
      issuer.protocol === 'http:' && loopback(issuer) ? { [oauth.allowInsecureRequests]: true } : {};
    const as = await oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, options));
    return { as, client: { client_id: config.clientId }, options };
  })().catch(() => null);
  return settings.then((found) => {
    if (!found) settings = null;
    return found;
  });
}

const redirectUri = () => `${location.origin}${location.pathname}`;

/** The provider's authorization address for this page, with a fresh PKCE pair, state and nonce. */
export async function signInHref(returnTo) {
  const found = await provider();
  if (!found) return null;
  const verifier = oauth.generateRandomCodeVerifier();
  const pending = {
    verifier,
    state: oauth.generateRandomState(),
    nonce: oauth.generateRandomNonce(),
    returnTo: returnTo || '',
  };
  const url = new URL(found.as.authorization_endpoint);
  url.search = new URLSearchParams({
    client_id: found.client.client_id,
    redirect_uri: redirectUri(),
    response_type: 'code',
    scope: SCOPE,
    code_challenge: await oauth.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    state: pending.state,
    nonce: pending.nonce,
  }).toString();
  sessionStorage.setItem(PENDING, JSON.stringify(pending));
  return url.href;
}

function takePending() {
  const stored = sessionStorage.getItem(PENDING);
  sessionStorage.removeItem(PENDING);
  try {
    return stored ? JSON.parse(stored) : null;
  } catch {
    return null;
  }
}

function keep(tokens) {
  sessionStorage.setItem(TOKEN, tokens.id_token);
  if (tokens.refresh_token) sessionStorage.setItem(REFRESH_TOKEN, tokens.refresh_token);
}

/**
 * Finishes a sign-in when the provider sent the browser back here (`?code=…&state=…`): checks the state,
 * trades the code and the PKCE verifier for tokens, checks the ID token's nonce. True when signed in.
 */
export async function completeSignIn() {
  const query = new URLSearchParams(location.search);
  if (!query.has('code') && !query.has('error')) return false;
  const pending = takePending();
  // The code is single-use and the address is no place for it: gone from the address bar either way.
  history.replaceState(null, '', location.pathname + (pending?.returnTo ?? ''));
  if (!pending) return false;
  const found = await provider();
  if (!found) return false;
  try {
    const params = oauth.validateAuthResponse(found.as, found.client, query, pending.state);
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
    keep(tokens);
    return true;
  } catch {
    return false;
  }
}

let refreshing = null;
/**
 * A new ID token for the refresh token (rotated by the provider): one request at a time, as a rotated
 * refresh token works once. Null when there is none, or the provider refused it (then it is dropped).
 */
export function refresh() {
  refreshing ??= (async () => {
    const refreshToken = sessionStorage.getItem(REFRESH_TOKEN);
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
      keep(tokens);
      return tokens.id_token;
    } catch (error) {
      // Refused (expired, revoked, already used): no use keeping it. A network failure keeps it for later.
      if (!(error instanceof TypeError)) sessionStorage.removeItem(REFRESH_TOKEN);
      return null;
    }
  })().finally(() => {
    refreshing = null;
  });
  return refreshing;
}

/** The token to send: refreshed first when it expires within two minutes (or has expired). */
export async function freshToken() {
  const token = currentToken();
  if (!token) return null;
  const { exp } = claimsOf(token);
  if (typeof exp === 'number' && exp - Date.now() / 1000 > REFRESH_MARGIN_SECONDS) return token;
  return (await refresh()) ?? token;
}

/** Signing out: the refresh token is revoked at the provider (best effort) and both tokens forgotten. */
export async function signOut() {
  const refreshToken = sessionStorage.getItem(REFRESH_TOKEN);
  forgetToken();
  const found = refreshToken ? await provider() : null;
  if (!found) return;
  try {
    await oauth.revocationRequest(found.as, found.client, oauth.None(), refreshToken, found.options);
  } catch {
    // Nothing to do: the token stays unusable here, and expires at the provider.
  }
}

export function claimsOf(token) {
  try {
    const payload = token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
    const json = decodeURIComponent(
      [...atob(payload)].map((c) => `%${c.charCodeAt(0).toString(16).padStart(2, '0')}`).join(''),
    );
    return JSON.parse(json);
  } catch {
    return {};
  }
}

/** Roles as Cognito puts them in an ID token (`cognito:groups`), or a plain `roles` claim. */
export function rolesOf(claims) {
  const roles = claims['cognito:groups'] ?? claims.roles ?? [];
  return Array.isArray(roles) ? roles : [];
}
