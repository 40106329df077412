import { createRemoteJWKSet, exportSPKI, generateKeyPair, importJWK, type JWK, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Authenticator,
  createTokenVerifier,
  verifierFromEnvironment,
} from '#functions/auth/verifier.ts';
import { ForbiddenError } from '#functions/domain/errors.ts';
import { refusalOf, UnauthenticatedError } from '#functions/http/errors.ts';
import { type DevIdentityProvider, startDevIdentityProvider } from '../../scripts/dev-identity.ts';

let idp: DevIdentityProvider;
let verifier: Authenticator;

beforeAll(async () => {
  idp = await startDevIdentityProvider({ port: 0 });
  verifier = createTokenVerifier({
    issuer: idp.issuer,
    audience: idp.audience,
    keys: createRemoteJWKSet(new URL(idp.jwksUrl)),
  });
});

afterAll(async () => {
  await idp.close();
});

const now = () => Math.floor(Date.now() / 1000);
const bearer = (token: string) => `Bearer ${token}`;
const base64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** Claims the provider would issue, so each refusal test changes exactly one thing. */
const goodClaims = () => ({
  iss: idp.issuer,
  aud: idp.audience,
  sub: 'demo-caseworker',
  iat: now(),
  exp: now() + 600,
  token_use: 'id',
  'custom:org': 'demo-county',
  'custom:unit': 'unit-1',
  'cognito:groups': ['caseworker'],
});

async function expectUnauthenticated(authorization: string | undefined, auth = verifier) {
  const error = await auth.authenticate(authorization).then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(UnauthenticatedError);
  expect(error).toMatchObject({ status: 401, code: 'unauthenticated', details: undefined });
  // Neither the token nor any claim may leak into what the caller or the logs see.
  const token = authorization?.replace(/^\S+\s*/, '') ?? '';
  if (token.length > 0) expect(JSON.stringify(error) + String(error)).not.toContain(token.slice(-20));
  expect(String(error)).not.toContain('demo-');
}

async function expectForbidden(authorization: string) {
  const error = await verifier.authenticate(authorization).catch((caught: unknown) => caught);
  expect(error).toBeInstanceOf(ForbiddenError);
  expect(refusalOf(error)).toMatchObject({
    status: 403,
    code: 'forbidden',
    message: 'Your account has no role or organisation in this service.',
  });
}

async function publicKeyPem(): Promise<string> {
  const { keys } = (await (await fetch(idp.jwksUrl)).json()) as { keys: JWK[] };
  return exportSPKI((await importJWK(keys[0]!, 'RS256', { extractable: true })) as CryptoKey);
}

describe('the token verifier accepts', () => {
  it('a good ID token and maps its claims to the principal', async () => {
    const principal = await verifier.authenticate(bearer(await idp.signIn('demo-caseworker')));
    expect(principal).toEqual({
      userId: 'demo-caseworker',
      org: 'demo-county',
      unit: 'unit-1',
      roles: ['caseworker'],
    });
  });

  it('keeps only recognised roles and defaults the unit', async () => {
    const token = await idp.signIn('demo-supervisor', {
      'custom:unit': undefined,
      'cognito:groups': ['supervisor', 'viewer', 42, 'caseworker', 'supervisor'],
    });
    expect(await verifier.authenticate(bearer(token))).toEqual({
      userId: 'demo-supervisor',
      org: 'demo-county',
      unit: 'main',
      roles: ['supervisor', 'caseworker'],
    });
  });

  it('the scheme in any case', async () => {
    const token = await idp.signIn('demo-shelter');
    expect((await verifier.authenticate(`bEaReR ${token}`)).org).toBe('demo-shelter');
  });

  it('a token expired within the 30 s clock skew', async () => {
    const token = await idp.signToken({ ...goodClaims(), iat: now() - 600, exp: now() - 10 });
    expect((await verifier.authenticate(bearer(token))).userId).toBe('demo-caseworker');
  });

  it('a token without token_use (other OIDC providers)', async () => {
    const { token_use: _, ...claims } = goodClaims();
    expect((await verifier.authenticate(bearer(await idp.signToken(claims)))).roles).toEqual(['caseworker']);
  });
});

describe('verified tokens are remembered only while the full check would still pass', () => {
  it('a token accepted once is refused once it expires, from the cache as from a fresh check', async () => {
    let at = new Date();
    const clocked = createTokenVerifier({
      issuer: idp.issuer,
      audience: idp.audience,
      keys: createRemoteJWKSet(new URL(idp.jwksUrl)),
      clock: () => at,
    });
    const token = bearer(await idp.signToken({ ...goodClaims(), exp: now() + 60 }));
    expect((await clocked.authenticate(token)).userId).toBe('demo-caseworker');
    at = new Date(at.getTime() + 85_000);
    expect((await clocked.authenticate(token)).userId).toBe('demo-caseworker');
    at = new Date(at.getTime() + 10_000);
    await expectUnauthenticated(token, clocked);
  });
});

describe('the token verifier refuses with 401', () => {
  it('a missing header', () => expectUnauthenticated(undefined));
  it('an empty header', () => expectUnauthenticated(''));
  it('Basic credentials', () => expectUnauthenticated('Basic ZGVtbzpkZW1v'));
  it('Bearer without a token', () => expectUnauthenticated('Bearer'));
  it('garbage', () => expectUnauthenticated('Bearer not.a.token'));
  it('a header that is not exactly "Bearer <token>"', async () => {
    const token = await idp.signIn('demo-caseworker');
    await expectUnauthenticated(`Bearer  ${token}`);
    await expectUnauthenticated(`Bearer ${token} extra`);
    await expectUnauthenticated(`Token ${token}`);
    await expectUnauthenticated(token);
  });

  it('a validly signed token over 8 KB', async () => {
    const token = await idp.signToken({ ...goodClaims(), padding: 'x'.repeat(8 * 1024) });
    await expectUnauthenticated(bearer(token));
  });

  it('a token expired beyond the 30 s clock skew', async () => {
    await expectUnauthenticated(
      bearer(await idp.signToken({ ...goodClaims(), iat: now() - 600, exp: now() - 40 })),
    );
  });

  it('a token not yet valid', async () => {
    await expectUnauthenticated(bearer(await idp.signToken({ ...goodClaims(), nbf: now() + 120 })));
  });

  it('a token issued in the future', async () => {
    await expectUnauthenticated(bearer(await idp.signToken({ ...goodClaims(), iat: now() + 120 })));
  });

  it('a token issued more than 12 h ago, though unexpired', async () => {
    const iat = now() - 12 * 3600 - 120;
    await expectUnauthenticated(bearer(await idp.signToken({ ...goodClaims(), iat, exp: now() + 600 })));
  });

  it('a token missing exp, iat or sub', async () => {
    for (const claim of ['exp', 'iat', 'sub'] as const) {
      const claims: Record<string, unknown> = goodClaims();
      delete claims[claim];
      await expectUnauthenticated(bearer(await idp.signToken(claims)));
    }
  });

  it('a wrong issuer', async () => {
    await expectUnauthenticated(
      bearer(await idp.signToken({ ...goodClaims(), iss: 'https://evil.example' })),
    );
  });

  it('a wrong audience', async () => {
    await expectUnauthenticated(bearer(await idp.signToken({ ...goodClaims(), aud: 'another-client' })));
  });

  it('a Cognito access token', async () => {
    await expectUnauthenticated(bearer(await idp.signToken({ ...goodClaims(), token_use: 'access' })));
  });

  it('a token signed by a different key under the same kid', async () => {
    const { privateKey } = await generateKeyPair('RS256');
    const token = await new SignJWT(goodClaims())
      .setProtectedHeader({ alg: 'RS256', kid: idp.kid })
      .sign(privateKey);
    await expectUnauthenticated(bearer(token));
  });

  it('a token whose signature was altered', async () => {
    const [header, payload] = (await idp.signIn('demo-caseworker')).split('.');
    const forged = `${header}.${payload}.${base64url('not a signature')}`;
    await expectUnauthenticated(bearer(forged));
  });

  it('a token with claims swapped under a valid signature', async () => {
    const [header, , signature] = (await idp.signIn('demo-caseworker')).split('.');
    const payload = base64url({ ...goodClaims(), 'cognito:groups': ['administrator'] });
    await expectUnauthenticated(bearer(`${header}.${payload}.${signature}`));
  });

  it('an unknown kid', async () => {
    await expectUnauthenticated(bearer(await idp.signToken(goodClaims(), { kid: 'some-other-key' })));
  });

  it('an unsigned token (alg: none)', async () => {
    const unsigned = `${base64url({ alg: 'none', typ: 'JWT' })}.${base64url(goodClaims())}.`;
    await expectUnauthenticated(bearer(unsigned));
    const withKid = `${base64url({ alg: 'none', kid: idp.kid })}.${base64url(goodClaims())}.`;
    await expectUnauthenticated(bearer(withKid));
  });

  it('HS256 signed with the public key as the secret (algorithm confusion)', async () => {
    const secret = new TextEncoder().encode(await publicKeyPem());
    const token = await new SignJWT(goodClaims())
      .setProtectedHeader({ alg: 'HS256', kid: idp.kid })
      .sign(secret);
    await expectUnauthenticated(bearer(token));
  });

  it('an algorithm outside the allow-list', async () => {
    const token = await idp.signToken(goodClaims());
    const psOnly = createTokenVerifier({
      issuer: idp.issuer,
      audience: idp.audience,
      keys: createRemoteJWKSet(new URL(idp.jwksUrl)),
      algorithms: ['PS256'],
    });
    await expectUnauthenticated(bearer(token), psOnly);
  });

  it('an ES256 token from a key not in the JWKS', async () => {
    const { privateKey } = await generateKeyPair('ES256');
    for (const header of [{ alg: 'ES256', kid: idp.kid }, { alg: 'ES256' }]) {
      const token = await new SignJWT(goodClaims()).setProtectedHeader(header).sign(privateKey);
      await expectUnauthenticated(bearer(token));
    }
  });

  it('any token when the JWKS cannot be fetched', async () => {
    const gone = await startDevIdentityProvider({ port: 0 });
    const token = await gone.signIn('demo-caseworker');
    await gone.close();
    const offline = createTokenVerifier({
      issuer: gone.issuer,
      audience: gone.audience,
      keys: createRemoteJWKSet(new URL(gone.jwksUrl), { timeoutDuration: 1000 }),
    });
    await expectUnauthenticated(bearer(token), offline);
  });
});

describe('the token verifier refuses with 403', () => {
  it('a valid token without an organisation', async () => {
    await expectForbidden(bearer(await idp.signIn('demo-caseworker', { 'custom:org': undefined })));
  });

  it('a valid token with an invalid organisation or unit', async () => {
    await expectForbidden(bearer(await idp.signIn('demo-caseworker', { 'custom:org': 'Demo County!' })));
    await expectForbidden(bearer(await idp.signIn('demo-caseworker', { 'custom:unit': ['unit-1'] })));
  });

  it('a valid token without a recognised role', async () => {
    await expectForbidden(bearer(await idp.signIn('demo-caseworker', { 'cognito:groups': ['viewer'] })));
    await expectForbidden(bearer(await idp.signIn('demo-caseworker', { 'cognito:groups': 'caseworker' })));
    await expectForbidden(bearer(await idp.signIn('demo-caseworker', { 'cognito:groups': undefined })));
  });
});

describe('createTokenVerifier configuration', () => {
  it('refuses symmetric and unsigned algorithms', () => {
    const keys = createRemoteJWKSet(new URL('https://idp.example/jwks.json'));
    for (const algorithms of [['HS256'], ['none'], ['RS256', 'HS512'], []])
      expect(() =>
        createTokenVerifier({ issuer: 'https://idp.example', audience: 'a', keys, algorithms }),
      ).toThrow();
  });
});

describe('verifierFromEnvironment', () => {
  it('names a missing OIDC_ISSUER', () => {
    expect(() => verifierFromEnvironment({ OIDC_AUDIENCE: 'client' })).toThrow(/OIDC_ISSUER/);
  });

  it('names a missing OIDC_AUDIENCE', () => {
    expect(() => verifierFromEnvironment({ OIDC_ISSUER: 'https://idp.example' })).toThrow(/OIDC_AUDIENCE/);
    expect(() => verifierFromEnvironment({ OIDC_ISSUER: 'https://idp.example', OIDC_AUDIENCE: ' ' })).toThrow(
      /OIDC_AUDIENCE/,
    );
  });

  it('refuses keys over plain http except on loopback', () => {
    expect(() =>
      verifierFromEnvironment({ OIDC_ISSUER: 'http://idp.example', OIDC_AUDIENCE: 'client' }),
    ).toThrow(/https/);
  });

  it('refuses a symmetric algorithm list', () => {
    expect(() =>
      verifierFromEnvironment({
        OIDC_ISSUER: 'https://idp.example',
        OIDC_AUDIENCE: 'c',
        OIDC_ALGORITHMS: 'HS256',
      }),
    ).toThrow(/HS256/);
  });

  it('finds the keys under the issuer, as Cognito serves them', async () => {
    const fromEnv = verifierFromEnvironment({
      OIDC_ISSUER: idp.issuer,
      OIDC_AUDIENCE: idp.audience,
      OIDC_ALGORITHMS: 'RS256, PS256',
    });
    expect((await fromEnv.authenticate(bearer(await idp.signIn('demo-admin')))).roles).toEqual([
      'administrator',
    ]);
  });
});
