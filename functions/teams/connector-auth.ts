import { decodeProtectedHeader, importJWK, type JWK, type JWTPayload, jwtVerify } from 'jose';
import * as z from 'zod/mini';
import { UnauthenticatedError } from '../http/errors.ts';

/**
 * The checks the Bot Framework requires of every activity a bot receives, done here rather than by the
 * Agents SDK: its own check (1.8.x) takes keys from a fixed URL and skips the `serviceurl` claim and the
 * channel endorsements. Any failure is a 401 that says nothing about which check failed.
 */
export interface ConnectorAuthConfig {
  /** The bot's Microsoft app id: the token's audience. */
  appId: string;
  /** Where the signing keys are published; Bot Framework's own by default. Tests serve one on loopback. */
  openIdMetadataUrl: string;
  issuers: readonly string[];
  clockToleranceSeconds: number;
  /** How long fetched metadata and keys are trusted before they are fetched again. */
  keyCacheSeconds: number;
  /**
   * Issue 18: the least time between two fetches of the key set. An unknown `kid` may be a key rotated in
   * since the last fetch, but a flood of made-up kids must not become a flood of fetches.
   */
  minRefetchSeconds?: number;
  /** Issue 18: how long one fetch of the metadata or the key set may take before it is abandoned. */
  fetchTimeoutMs?: number;
  clock: () => Date;
  fetch: typeof fetch;
}

export const botFrameworkDefaults = {
  openIdMetadataUrl: 'https://login.botframework.com/v1/.well-known/openidconfiguration',
  issuers: ['https://api.botframework.com'],
  clockToleranceSeconds: 300,
  keyCacheSeconds: 24 * 3600,
  minRefetchSeconds: 300,
  fetchTimeoutMs: 5000,
} as const;

const Metadata = z.object({ jwks_uri: z.url() });
const SigningKey = z.looseObject({
  kid: z.string(),
  kty: z.string(),
  endorsements: z.optional(z.array(z.string())),
});
const KeySet = z.object({ keys: z.array(SigningKey) });
type SigningKey = z.infer<typeof SigningKey>;

const BEARER = /^bearer ([A-Za-z0-9\-._~+/]+=*)$/i;
const MAX_TOKEN_LENGTH = 16 * 1024;

/** What the token must agree with: the activity's channel and the service URL a reply would go to. */
export interface ActivityClaims {
  channelId: string;
  serviceUrl: string;
}

export interface ConnectorAuthenticator {
  verify(authorization: string | undefined, activity: ActivityClaims): Promise<JWTPayload>;
}

/** The signing key's id from the token's header; a malformed token has none (and is refused with a 401). */
function kidOf(token: string): string | undefined {
  try {
    const { kid } = decodeProtectedHeader(token);
    return typeof kid === 'string' ? kid : undefined;
  } catch {
    return undefined;
  }
}

/** Service URLs are compared without a trailing slash and host case, as the channel may send either. */
function sameServiceUrl(a: unknown, b: string): boolean {
  if (typeof a !== 'string') return false;
  const normal = (value: string) => {
    try {
      const url = new URL(value);
      return `${url.protocol}//${url.host.toLowerCase()}${url.pathname.replace(/\/+$/, '')}`;
    } catch {
      return undefined;
    }
  };
  const left = normal(a);
  return left !== undefined && left === normal(b);
}

export function createConnectorAuthenticator(config: ConnectorAuthConfig): ConnectorAuthenticator {
  const minRefetchMs = (config.minRefetchSeconds ?? botFrameworkDefaults.minRefetchSeconds) * 1000;
  const timeoutMs = config.fetchTimeoutMs ?? botFrameworkDefaults.fetchTimeoutMs;
  let cached: { keys: SigningKey[]; fetchedAt: number } | undefined;
  /** When a fetch was last started, whether or not it succeeded: the refetch interval counts from here. */
  let lastAttempt = Number.NEGATIVE_INFINITY;
  /** One fetch at a time, shared by every request waiting on it (single flight). */
  let inFlight: Promise<void> | undefined;
  async function getJson(url: string): Promise<unknown> {
    const response = await config.fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    if (!response.ok) throw new Error(`key source answered ${response.status}`);
    return response.json();
  }

  async function fetchKeys(): Promise<void> {
    lastAttempt = config.clock().getTime();
    const metadata = Metadata.parse(await getJson(config.openIdMetadataUrl));
    const set = KeySet.parse(await getJson(metadata.jwks_uri));
    cached = { keys: set.keys, fetchedAt: config.clock().getTime() };
  }

  /** Refreshes the key set once for everyone asking now; a failed refresh keeps the keys already held. */
  function refresh(): Promise<void> {
    inFlight ??= fetchKeys()
      .catch(() => undefined)
      .finally(() => {
        inFlight = undefined;
      });
    return inFlight;
  }

  async function keyFor(kid: string): Promise<SigningKey | undefined> {
    const find = () => cached?.keys.find((key) => key.kid === kid);
    const now = config.clock().getTime();
    const known = find();
    if (known && cached && now - cached.fetchedAt < config.keyCacheSeconds * 1000) return known;
    // Someone is already fetching: wait for that answer rather than asking again.
    if (inFlight) return inFlight.then(find);
    // The negative cache: within the interval after a fetch, a kid it did not publish is refused at once,
    // and a known key past its cache time is still used (the upstream was asked moments ago).
    if (now - lastAttempt < minRefetchMs) return known;
    await refresh();
    return find();
  }

  return {
    async verify(authorization, activity) {
      const token = authorization === undefined ? undefined : BEARER.exec(authorization)?.[1];
      if (!token || token.length > MAX_TOKEN_LENGTH) throw new UnauthenticatedError();
      const kid = kidOf(token);
      if (!kid) throw new UnauthenticatedError();
      try {
        const key = await keyFor(kid);
        // The key must be endorsed for the channel the activity claims to come from.
        if (!key || !(key.endorsements ?? []).includes(activity.channelId)) throw new UnauthenticatedError();
        const { payload } = await jwtVerify(token, await importJWK(key as JWK, 'RS256'), {
          issuer: [...config.issuers],
          audience: config.appId,
          algorithms: ['RS256'],
          clockTolerance: config.clockToleranceSeconds,
          requiredClaims: ['exp'],
          currentDate: config.clock(),
        });
        // A token minted for one service URL must not carry a reply to another.
        if (!sameServiceUrl(payload.serviceurl, activity.serviceUrl)) throw new UnauthenticatedError();
        return payload;
      } catch {
        throw new UnauthenticatedError();
      }
    },
  };
}
