import { importJWK, type JWK, type JWTPayload, jwtVerify } from 'jose';
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
  clock: () => Date;
  fetch: typeof fetch;
}

export const botFrameworkDefaults = {
  openIdMetadataUrl: 'https://login.botframework.com/v1/.well-known/openidconfiguration',
  issuers: ['https://api.botframework.com'],
  clockToleranceSeconds: 300,
  keyCacheSeconds: 24 * 3600,
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

function kidOf(token: string): string | undefined {
  try {
    const header = JSON.parse(Buffer.from(token.split('.')[0] ?? '', 'base64url').toString('utf8'));
    return typeof header.kid === 'string' ? header.kid : undefined;
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
  let cached: { keys: SigningKey[]; fetchedAt: number } | undefined;

  async function fetchKeys(): Promise<SigningKey[]> {
    const metadata = Metadata.parse(await (await config.fetch(config.openIdMetadataUrl)).json());
    const set = KeySet.parse(await (await config.fetch(metadata.jwks_uri)).json());
    cached = { keys: set.keys, fetchedAt: config.clock().getTime() };
    return set.keys;
  }

  async function keyFor(kid: string): Promise<SigningKey | undefined> {
    const fresh = cached && config.clock().getTime() - cached.fetchedAt < config.keyCacheSeconds * 1000;
    const known = fresh ? cached?.keys.find((key) => key.kid === kid) : undefined;
    // An unknown kid may be a key rotated in since the last fetch: fetch once more before refusing.
    return known ?? (await fetchKeys()).find((key) => key.kid === kid);
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
