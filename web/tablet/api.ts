// The widget's reader of ID-token claims (UTF-8 names included); the server checks the signature, pages only read.
import { claimsOf } from '../widget/session.ts';
import type { ServerHalf, ServerReply } from './device.ts';

/**
 * The tablet's calls to the screening API. A call that never reached the server is `offline`, told apart
 * from the server's own answers, because only the first may simply be retried later.
 */
export type ApiResult<T> =
  | { kind: 'ok'; status: number; body: T }
  | { kind: 'refused'; status: number; code: string; message: string; details?: unknown }
  | { kind: 'offline' };

export async function callApi<T>(
  method: 'GET' | 'POST',
  path: string,
  token: string | null,
  body?: unknown,
): Promise<ApiResult<T>> {
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers: {
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      cache: 'no-store',
      // A network that connects but never answers must not hold the queue: it counts as offline.
      signal: AbortSignal.timeout(20_000),
    });
  } catch {
    return { kind: 'offline' };
  }
  const parsed = (await response.json().catch(() => null)) as
    | (T & { error?: { code?: string; message?: string; details?: unknown } })
    | null;
  if (response.ok && parsed) return { kind: 'ok', status: response.status, body: parsed };
  const error = parsed?.error;
  return {
    kind: 'refused',
    status: response.status,
    code: error?.code ?? `http_${response.status}`,
    message: error?.message ?? response.statusText,
    ...(error?.details === undefined ? {} : { details: error.details }),
  };
}

/** A token that will not be accepted any more is no use for sending; the queue waits for a new sign-in. */
export function stillValid(token: string | null, now: Date): token is string {
  if (!token) return false;
  const { exp } = claimsOf(token);
  return typeof exp === 'number' && exp * 1000 > now.getTime() + 30_000;
}

/** Issue 18: the server's half of the tablet's key, through `POST /devices` and `/devices/{id}/unlock`. */
export function serverHalf(token: string): ServerHalf {
  return serverHalfOver((path, body) => callApi('POST', path, token, body));
}

/** The same over any way of posting to the API (tests: the handlers in process). */
export function serverHalfOver(
  post: (path: string, body: unknown) => Promise<ApiResult<{ half: string; offlineUntil: string }>>,
): ServerHalf {
  const reply = (result: ApiResult<{ half: string; offlineUntil: string }>): ServerReply => {
    if (result.kind === 'offline') return { kind: 'unavailable' };
    if (result.kind === 'ok')
      return { kind: 'ok', half: result.body.half, offlineUntil: result.body.offlineUntil };
    const details = (result.details ?? {}) as { attemptsLeft?: unknown; retryAfterSeconds?: unknown };
    const number = (value: unknown, fallback: number) => (typeof value === 'number' ? value : fallback);
    if (result.code === 'wrong_pin')
      return { kind: 'wrong_pin', attemptsLeft: number(details.attemptsLeft, 0) };
    if (result.code === 'device_wait')
      return { kind: 'wait', seconds: number(details.retryAfterSeconds, 30) };
    // Locked for good, or no longer enrolled: the half is gone either way.
    if (result.code === 'device_locked' || result.status === 404) return { kind: 'locked' };
    return { kind: 'unavailable' };
  };
  return {
    enrol: async (deviceId, verifier) => reply(await post('/devices', { deviceId, verifier })),
    unlock: async (deviceId, verifier) =>
      reply(await post(`/devices/${encodeURIComponent(deviceId)}/unlock`, { verifier })),
  };
}
