import { createRemoteJWKSet, type JWTPayload, type JWTVerifyGetKey, jwtVerify } from 'jose';
import { ForbiddenError } from '../domain/errors.ts';
import { DEFAULT_UNIT, Principal, Role } from '../domain/principal.ts';
import { UnauthenticatedError } from '../http/errors.ts';

export interface Authenticator {
  /** Resolves the caller from an `Authorization` header; throws 401 or 403 errors, never anything else. */
  authenticate(authorization: string | undefined): Promise<Principal>;
}

export interface VerifierConfig {
  issuer: string;
  audience: string;
  keys: JWTVerifyGetKey;
  /** Asymmetric JWS algorithms only; defaults to RS256, which is what Cognito signs ID tokens with. */
  algorithms?: string[];
  clockToleranceSeconds?: number;
  /** Tokens issued longer ago than this are refused even if unexpired, bounding a stolen token's life. */
  maxTokenAgeSeconds?: number;
  clock?: () => Date;
}

const DEFAULT_CLOCK_TOLERANCE_SECONDS = 30;
const DEFAULT_MAX_TOKEN_AGE_SECONDS = 12 * 60 * 60;
/** Real ID tokens are 1–2 KB; a bound stops a huge header costing a signature check or a JWKS fetch. */
const MAX_TOKEN_LENGTH = 8 * 1024;
/** RFC 6750 b64token, one space after the scheme: anything looser is a client bug worth refusing. */
const BEARER = /^bearer ([A-Za-z0-9\-._~+/]+=*)$/i;
const NO_ROLE_MESSAGE = 'Your account has no role or organisation in this service.';

/**
 * The keys come from a JWKS of public keys, so a symmetric algorithm could only ever mean verifying an
 * HMAC with a public key as the secret (algorithm confusion), and `none` means no signature at all.
 */
function checkAlgorithms(algorithms: string[]): string[] {
  if (algorithms.length === 0) throw new Error('At least one token signing algorithm is required.');
  for (const alg of algorithms) {
    if (!/^(RS|PS|ES)(256|384|512)$|^EdDSA$|^Ed25519$/.test(alg))
      throw new Error(`Token signing algorithm ${alg} is not an allowed asymmetric algorithm.`);
  }
  return algorithms;
}

function bearerToken(authorization: string | undefined): string {
  const token = authorization === undefined ? undefined : BEARER.exec(authorization)?.[1];
  if (token === undefined || token.length > MAX_TOKEN_LENGTH) throw new UnauthenticatedError();
  return token;
}

function toPrincipal(claims: JWTPayload): Principal {
  // Cognito access tokens verify against the same keys but carry no custom attributes or audience.
  if (claims.token_use !== undefined && claims.token_use !== 'id') throw new UnauthenticatedError();
  if (typeof claims.sub !== 'string' || claims.sub.length === 0) throw new UnauthenticatedError();
  const groups = claims['cognito:groups'];
  const roles = Array.isArray(groups)
    ? [...new Set(groups.flatMap((group) => Role.safeParse(group).data ?? []))]
    : [];
  const parsed = Principal.safeParse({
    userId: claims.sub,
    org: claims['custom:org'],
    unit: claims['custom:unit'] ?? DEFAULT_UNIT,
    roles,
  });
  if (!parsed.success) throw new ForbiddenError(NO_ROLE_MESSAGE);
  return parsed.data;
}

/** Verified tokens kept per container; a screener sends the same token with every answer for an hour. */
const VERIFIED_CACHE_SIZE = 500;

export function createTokenVerifier(config: VerifierConfig): Authenticator {
  const algorithms = checkAlgorithms(config.algorithms ?? ['RS256']);
  const maxTokenAge = config.maxTokenAgeSeconds ?? DEFAULT_MAX_TOKEN_AGE_SECONDS;
  const clockTolerance = config.clockToleranceSeconds ?? DEFAULT_CLOCK_TOLERANCE_SECONDS;
  const now = () => (config.clock ? config.clock() : new Date()).getTime();
  // An identical token string was verified before, so its claims are the same; only time can change the
  // answer, and an entry is used only until the moment the full check would first refuse the token.
  const verified = new Map<string, { principal: Principal; until: number }>();
  return {
    async authenticate(authorization) {
      const token = bearerToken(authorization);
      const cached = verified.get(token);
      if (cached && now() < cached.until) return cached.principal;
      if (cached) verified.delete(token);
      let claims: JWTPayload;
      try {
        ({ payload: claims } = await jwtVerify(token, config.keys, {
          issuer: config.issuer,
          audience: config.audience,
          algorithms,
          clockTolerance,
          maxTokenAge,
          requiredClaims: ['exp', 'iat', 'sub'],
          ...(config.clock ? { currentDate: config.clock() } : {}),
        }));
      } catch {
        // Expired, forged and "the JWKS endpoint is down" all look the same to the caller, on purpose.
        throw new UnauthenticatedError();
      }
      const principal = toPrincipal(claims);
      const until =
        Math.min(
          (claims.exp as number) + clockTolerance,
          (claims.iat as number) + maxTokenAge + clockTolerance,
        ) * 1000;
      if (verified.size >= VERIFIED_CACHE_SIZE) verified.delete(verified.keys().next().value as string);
      verified.set(token, { principal, until });
      return principal;
    },
  };
}

function required(env: NodeJS.ProcessEnv, name: string): string {
  const value = env[name]?.trim();
  if (!value) throw new Error(`${name} is not set: the API cannot verify sign-in tokens without it.`);
  return value;
}

/** Keys fetched over plain HTTP could be swapped in transit; only the loopback dev identity provider may. */
function jwksUrl(value: string): URL {
  const url = new URL(value);
  const loopback = url.hostname === '127.0.0.1' || url.hostname === 'localhost' || url.hostname === '[::1]';
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback))
    throw new Error(`OIDC_JWKS_URL must use https (plain http only on loopback): ${value}`);
  return url;
}

/** The remote key set caches keys between calls: build one verifier per container, not one per request. */
export function verifierFromEnvironment(env: NodeJS.ProcessEnv = process.env): Authenticator {
  const issuer = required(env, 'OIDC_ISSUER');
  const audience = required(env, 'OIDC_AUDIENCE');
  // Cognito serves the pool's keys under the issuer URL itself.
  const keysAt = env.OIDC_JWKS_URL?.trim() || `${issuer.replace(/\/+$/, '')}/.well-known/jwks.json`;
  const algorithms = (env.OIDC_ALGORITHMS ?? '')
    .split(',')
    .map((alg) => alg.trim())
    .filter((alg) => alg.length > 0);
  return createTokenVerifier({
    issuer,
    audience,
    keys: createRemoteJWKSet(jwksUrl(keysAt), { timeoutDuration: 3000 }),
    algorithms: algorithms.length > 0 ? algorithms : ['RS256'],
  });
}
