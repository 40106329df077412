import { CHANNEL, FRAME_PATH, isWidgetMessage, SignedIn } from './contract.ts';

/**
 * Sign-in for the widget's frame. Identity providers refuse to be framed (the development one and Cognito's
 * hosted pages say `frame-ancestors 'none'`), and the answer must never reach the host page, so the frame
 * opens the provider in a small window of its own. The provider sends that window back to the frame page
 * on the deployment's origin (`redirect_uri` = `/widget/frame.html`), which hands the answer to the frame
 * that opened it (same origin only) and closes. The state that ties the answer to the request lives only
 * in the frame's memory.
 *
 * This module and `answerSignInWindow` are the whole protocol: the implicit flow's `#id_token` today; code
 * + PKCE would post the code instead and exchange it here, with the verifier kept beside `state`.
 */

const WINDOW_NAME = 'cse-widget-sign-in';

/** Where the provider sends the sign-in window back: the frame page itself, bare (providers match exactly). */
function redirectUri(origin: string): string {
  return `${origin}${FRAME_PATH}`;
}

function signInHref(signInUrl: string, redirect: string, state: string): string {
  const url = new URL(signInUrl);
  url.searchParams.set('redirect_uri', redirect);
  url.searchParams.set('state', state);
  return url.href;
}

export interface PendingSignIn {
  cancel(): void;
}

/**
 * Opens the provider's page in its own window; `onToken` gets the ID token once that window comes back with
 * the matching state. Null when the browser blocked the window.
 */
export function openSignIn(signInUrl: string, onToken: (token: string) => void): PendingSignIn | null {
  const state = crypto.randomUUID();
  const href = signInHref(signInUrl, redirectUri(window.location.origin), state);
  const popup = window.open(href, WINDOW_NAME, 'popup,width=520,height=720');
  if (!popup) return null;
  const onMessage = (event: MessageEvent) => {
    if (!isWidgetMessage(event.data)) return;
    const answer =
      event.source === popup && event.origin === window.location.origin
        ? SignedIn.safeParse(event.data)
        : null;
    if (!answer?.success || answer.data.state !== state) {
      console.warn('cse-widget: ignored a sign-in message that is not the answer to this sign-in');
      return;
    }
    cancel();
    popup.close();
    onToken(answer.data.idToken);
  };
  const cancel = () => window.removeEventListener('message', onMessage);
  window.addEventListener('message', onMessage);
  return { cancel };
}

/**
 * The frame page opened at top level, in the sign-in window: hands `#id_token=…&state=…` to the frame that
 * opened it (on this same origin only) and closes. The token leaves the address bar and history at once.
 * Returns false when this is not a sign-in window's return.
 */
export function answerSignInWindow(): boolean {
  const fragment = new URLSearchParams(window.location.hash.slice(1));
  const idToken = fragment.get('id_token');
  const state = fragment.get('state');
  if (!idToken || !state) return false;
  window.history.replaceState(null, '', window.location.pathname);
  const opener = window.opener as Window | null;
  const message: SignedIn = { channel: CHANNEL, type: 'signed-in', idToken, state };
  if (opener && SignedIn.safeParse(message).success) opener.postMessage(message, window.location.origin);
  window.close();
  return true;
}
