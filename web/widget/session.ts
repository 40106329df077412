/**
 * The widget's session: the identity provider's ID token and refresh token (issue 18, code + PKCE), kept for
 * this tab only in the sessionStorage of the widget's frame (the deployment's origin, never the host page's),
 * and nothing else about the user.
 */

import { decodeJwt } from 'jose';

export const TOKEN_KEY = 'cse-widget.id_token';
export const REFRESH_KEY = 'cse-widget.refresh_token';

export interface Claims {
  sub?: string;
  name?: string;
  exp?: number;
  'custom:org'?: string;
}

/**
 * The token's claims, read without checking its signature (the API checks it on every request; this only
 * decides what to show and when to renew). A malformed token yields no claims rather than an error.
 */
export function claimsOf(token: string): Claims {
  try {
    return decodeJwt<Claims>(token);
  } catch {
    return {};
  }
}

/**
 * The stored token while it is still valid; the API checks it on every request regardless. An expired one is
 * dropped (the refresh token, if any, stays: sign-in.ts trades it for a new one).
 */
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

/** Whether a refresh token is kept (a sign-in that can be renewed without the provider's page). */
export function canRefresh(storage: Storage): boolean {
  return storage.getItem(REFRESH_KEY) !== null;
}

/** The ID token and, when the provider sent one (it rotates them), the refresh token. */
export function keepTokens(storage: Storage, idToken: string, refreshToken?: string): void {
  storage.setItem(TOKEN_KEY, idToken);
  if (refreshToken) storage.setItem(REFRESH_KEY, refreshToken);
}

export function forget(storage: Storage): void {
  storage.removeItem(TOKEN_KEY);
  storage.removeItem(REFRESH_KEY);
}
