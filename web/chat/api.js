// Every API call goes through request(): the bearer token (refreshed before it expires, and once after a
// 401), and retries that never give up on a flaky connection. A retried answer carries the same client-made
// event id, so it can never be recorded twice.
import { freshToken, refresh } from './auth.js';
import { $ } from './dom.js';
import { t } from './words.js';

const FIRST_DELAY_MS = 500;
/** Backoff doubles up to this cap, then keeps trying at this pace for as long as the page is open. */
const MAX_DELAY_MS = 30_000;

let signedOut = () => {};
/** What to do when the API says the token is no longer good (expired, signed out elsewhere). */
export function onSignedOut(handler) {
  signedOut = handler;
}

/** Waiting retries, woken early by "Try now" or by the browser coming back online. */
const sleepers = new Set();
function wakeAll() {
  for (const wake of [...sleepers]) wake();
}
window.addEventListener('online', wakeAll);

function showConnection(text) {
  const status = $('#connection-text');
  if (status.textContent !== text) status.textContent = text;
  $('#connection').classList.add('active');
  $('#retry-now').hidden = false;
}

function clearConnection() {
  if (!$('#connection').classList.contains('active')) return;
  $('#connection').classList.remove('active');
  $('#retry-now').hidden = true;
  $('#connection-text').textContent = '';
}

export function initConnectionBar() {
  $('#retry-now').addEventListener('click', wakeAll);
}

/** The delay before attempt n+1: exponential with a little jitter, so many pages do not retry in step. */
export function backoff(attempt, retryAfterSeconds) {
  if (retryAfterSeconds > 0) return Math.min(MAX_DELAY_MS, retryAfterSeconds * 1000);
  const base = Math.min(MAX_DELAY_MS, FIRST_DELAY_MS * 2 ** (attempt - 1));
  return Math.round(base * (0.85 + Math.random() * 0.3));
}

function waitBeforeRetry(attempt, retryAfterSeconds) {
  const delay = backoff(attempt, retryAfterSeconds);
  showConnection(
    navigator.onLine === false ? t('offline') : t('retryIn', { seconds: Math.ceil(delay / 1000), attempt }),
  );
  return new Promise((resolve) => {
    const wake = () => {
      clearTimeout(timer);
      sleepers.delete(wake);
      showConnection(t('retrying'));
      resolve();
    };
    const timer = setTimeout(wake, delay);
    sleepers.add(wake);
  });
}

/** Worth another try: the network failed, or the service is busy or briefly down. */
const transient = (status) => status === 0 || status === 408 || status === 429 || status >= 500;

async function readBody(response, as) {
  if (as === 'blob') return response.blob();
  try {
    return await response.json();
  } catch {
    return null;
  }
}

/**
 * One API call. Resolves with { status, body }; 4xx answers (validation, conflicts) are the caller's to
 * show. A 401 is tried once more with a refreshed token, then hands over to the sign-in view. `background`
 * calls (polling) try once and stay quiet.
 */
export async function request(method, path, body, { background = false, as = 'json' } = {}) {
  let refreshed = false;
  for (let attempt = 1; ; attempt += 1) {
    let response = null;
    try {
      const token = await freshToken();
      response = await fetch(path, {
        method,
        headers: {
          ...(body ? { 'content-type': 'application/json' } : {}),
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
        body: body ? JSON.stringify(body) : undefined,
      });
    } catch {
      response = null;
    }
    const status = response?.status ?? 0;
    if (status === 401 && !refreshed) {
      refreshed = true;
      if (await refresh()) {
        attempt -= 1;
        continue;
      }
    }
    if (status === 401) {
      clearConnection();
      signedOut();
      return { status, body: await readBody(response, 'json') };
    }
    if (!transient(status)) {
      if (!background) clearConnection();
      return { status, body: await readBody(response, as) };
    }
    if (background) return { status, body: null };
    await waitBeforeRetry(attempt, Number(response?.headers.get('retry-after') ?? 0));
  }
}

/** The message of an API error body, for showing next to the form that caused it. */
export const errorMessage = (result) => result.body?.error?.message ?? `HTTP ${result.status}`;
