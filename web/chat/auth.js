// Sign-in: the identity provider sends the ID token back in the URL fragment (never to a server); it is
// kept for this tab only (sessionStorage) and sent as a bearer token. Every API call is checked server-side,
// so what the page reads from the token only decides what it offers, never what the user may do.

const TOKEN = 'screening.id_token';
const SIGN_IN_STATE = 'screening.sign_in_state';
/** Where to land after signing in (a view, e.g. "#tasks"): the redirect back drops the fragment. */
const RETURN_TO = 'screening.return_to';

export const currentToken = () => sessionStorage.getItem(TOKEN);
export const forgetToken = () => sessionStorage.removeItem(TOKEN);

/** Takes the token the identity provider put in the fragment, if its state matches the one we sent. */
export function takeTokenFromFragment() {
  const fragment = new URLSearchParams(location.hash.slice(1));
  const token = fragment.get('id_token');
  if (!token) return false;
  const expected = sessionStorage.getItem(SIGN_IN_STATE);
  sessionStorage.removeItem(SIGN_IN_STATE);
  const back = sessionStorage.getItem(RETURN_TO) ?? '';
  sessionStorage.removeItem(RETURN_TO);
  history.replaceState(null, '', location.pathname + location.search + back);
  if (expected && fragment.get('state') === expected) {
    sessionStorage.setItem(TOKEN, token);
    return true;
  }
  return false;
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

/** The identity provider's sign-in address for this page, with a fresh state; null when none is set up. */
export async function signInHref(returnTo) {
  const config = await fetch('/auth/config')
    .then((response) => (response.ok ? response.json() : null))
    .catch(() => null);
  if (!config?.signInUrl) return null;
  const stateValue = crypto.randomUUID();
  sessionStorage.setItem(SIGN_IN_STATE, stateValue);
  if (returnTo) sessionStorage.setItem(RETURN_TO, returnTo);
  else sessionStorage.removeItem(RETURN_TO);
  const url = new URL(config.signInUrl);
  url.searchParams.set('redirect_uri', `${location.origin}${location.pathname}`);
  url.searchParams.set('state', stateValue);
  return url.href;
}
