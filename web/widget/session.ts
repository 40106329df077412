/**
 * Sign-in for the widget: the identity provider returns the ID token in the URL fragment (never sent to a
 * server); the widget keeps it for this tab only, in sessionStorage, and nothing else about the user.
 */

export const TOKEN_KEY = 'cse-widget.id_token';
/** Lives only between leaving for the identity provider and coming back; removed on return. */
export const STATE_KEY = 'cse-widget.sign_in_state';
/**
 * The page's query, kept while away: identity providers (Cognito) match the return address exactly, so the
 * widget registers and returns to the bare page and puts the query back itself.
 */
export const RETURN_QUERY_KEY = 'cse-widget.return_query';

export interface Claims {
  sub?: string;
  name?: string;
  exp?: number;
  'custom:org'?: string;
}

export function claimsOf(token: string): Claims {
  try {
    const payload = (token.split('.')[1] ?? '').replace(/-/g, '+').replace(/_/g, '/');
    const json = decodeURIComponent(
      Array.from(atob(payload), (char) => `%${char.charCodeAt(0).toString(16).padStart(2, '0')}`).join(''),
    );
    const claims: unknown = JSON.parse(json);
    return typeof claims === 'object' && claims !== null ? (claims as Claims) : {};
  } catch {
    return {};
  }
}

/** Takes `#id_token=…&state=…` off the page's address, if this widget asked for it. */
export function takeTokenFromFragment(location: Location, history: History, storage: Storage): void {
  const fragment = new URLSearchParams(location.hash.slice(1));
  const token = fragment.get('id_token');
  const expected = storage.getItem(STATE_KEY);
  if (!token || !expected) return;
  storage.removeItem(STATE_KEY);
  const query = storage.getItem(RETURN_QUERY_KEY) ?? location.search;
  storage.removeItem(RETURN_QUERY_KEY);
  // The token must not stay in the address bar, the history entry, or a bookmark.
  history.replaceState(history.state, '', location.pathname + query);
  if (fragment.get('state') === expected) storage.setItem(TOKEN_KEY, token);
}

/** The stored token while it is still valid; the API checks it on every request regardless. */
export function currentToken(storage: Storage, now: Date): { token: string; claims: Claims } | null {
  const token = storage.getItem(TOKEN_KEY);
  if (!token) return null;
  const claims = claimsOf(token);
  if (typeof claims.exp === 'number' && claims.exp * 1000 <= now.getTime()) {
    storage.removeItem(TOKEN_KEY);
    return null;
  }
  return { token, claims };
}

/** Where the sign-in link goes: the identity provider, asked to come back to this very page. */
export function signInHref(signInUrl: string, location: Location, storage: Storage): string {
  const state = crypto.randomUUID();
  storage.setItem(STATE_KEY, state);
  const url = new URL(signInUrl);
  storage.setItem(RETURN_QUERY_KEY, location.search);
  url.searchParams.set('redirect_uri', `${location.origin}${location.pathname}`);
  url.searchParams.set('state', state);
  return url.href;
}

export function forget(storage: Storage): void {
  storage.removeItem(TOKEN_KEY);
  storage.removeItem(STATE_KEY);
}
