/**
 * Calls to the screening API with the signed-in user's token. Failures that say nothing about the request
 * itself (the network, 429, 5xx) are retried with the same body, so a turn keeps its event id and the
 * API answers a retry with the reply it already gave, writing nothing.
 */

export interface ApiReply {
  status: number;
  // biome-ignore lint/suspicious/noExplicitAny: replies are read by code that checks the status first
  body: any;
}

export interface ApiClientOptions {
  base: string;
  /** The token to send; may first refresh one close to its expiry (issue 18). */
  getToken: () => string | null | Promise<string | null>;
  /**
   * Issue 18: a new token after a 401 (the refresh token's grant), or null. Asked once per request, which is
   * then sent again with the same body; a second 401 is the caller's to handle.
   */
  refreshToken?: () => Promise<string | null>;
  fetch?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
  /** Called when a request failed and will be retried, and again when one got through. */
  onTrouble?: () => void;
  onRecovered?: () => void;
  /** Aborted when the widget is cleared: outstanding requests and their retries stop. */
  signal?: AbortSignal;
}

export class EndedError extends Error {
  constructor() {
    super('The widget was closed.');
    this.name = 'EndedError';
  }
}

const RETRIABLE = new Set([429, 500, 502, 503, 504]);
const MAX_DELAY_MS = 10_000;

/** Exponential backoff, or the server's Retry-After when it gives one (capped: a person is waiting). */
export function retryDelay(attempt: number, retryAfter: string | null): number {
  const seconds = retryAfter === null ? Number.NaN : Number(retryAfter);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.min(seconds * 1000, MAX_DELAY_MS);
  return Math.min(250 * 2 ** attempt, MAX_DELAY_MS);
}

const realSleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      globalThis.removeEventListener?.('online', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
    // Back on the network: try again now rather than at the end of the backoff.
    globalThis.addEventListener?.('online', done, { once: true });
  });

function parseJson(text: string): unknown {
  try {
    return text ? JSON.parse(text) : null;
  } catch {
    return null;
  }
}

export function createApiClient(options: ApiClientOptions) {
  const doFetch = options.fetch ?? globalThis.fetch.bind(globalThis);
  const sleep = options.sleep ?? ((ms: number) => realSleep(ms, options.signal));
  const base = options.base.replace(/\/+$/, '');

  async function send(method: 'GET' | 'POST', path: string, body?: unknown): Promise<ApiReply> {
    let troubled = false;
    let refreshed: string | null = null;
    let mayRefresh = options.refreshToken !== undefined;
    for (let attempt = 0; ; attempt += 1) {
      if (options.signal?.aborted) throw new EndedError();
      const token = refreshed ?? (await options.getToken());
      if (options.signal?.aborted) throw new EndedError();
      let retryAfter: string | null = null;
      try {
        const response = await doFetch(`${base}${path}`, {
          method,
          headers: {
            accept: 'application/json',
            ...(body === undefined ? {} : { 'content-type': 'application/json' }),
            ...(token ? { authorization: `Bearer ${token}` } : {}),
          },
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
          // Nothing of a screening belongs in the HTTP cache of a shared computer.
          cache: 'no-store',
          credentials: 'omit',
          ...(options.signal ? { signal: options.signal } : {}),
        });
        if (!RETRIABLE.has(response.status)) {
          const text = await response.text();
          if (response.status === 401 && mayRefresh && options.refreshToken) {
            mayRefresh = false;
            refreshed = await options.refreshToken();
            if (refreshed) {
              attempt -= 1;
              continue;
            }
          }
          if (troubled) options.onRecovered?.();
          return { status: response.status, body: parseJson(text) };
        }
        retryAfter = response.headers.get('retry-after');
      } catch (error) {
        if (options.signal?.aborted) throw new EndedError();
        // fetch rejects with a TypeError when the network fails; anything else is a bug, not a retry.
        if (!(error instanceof TypeError)) throw error;
      }
      if (!troubled) {
        troubled = true;
        options.onTrouble?.();
      }
      await sleep(retryDelay(attempt, retryAfter));
    }
  }

  return { send };
}

export type ApiClient = ReturnType<typeof createApiClient>;
