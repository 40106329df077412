import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRemoteJWKSet, decodeJwt, decodeProtectedHeader } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Authenticator, createTokenVerifier } from '#functions/auth/verifier.ts';
import {
  type DevIdentityProvider,
  demoUsers,
  idTokenFor,
  startDevIdentityProvider,
  verifierFor,
} from '../../scripts/dev-identity.ts';
import { refreshTokens, signInWithCode } from '../../scripts/dev-identity-client.ts';

let idp: DevIdentityProvider;
let verifier: Authenticator;

const app = 'http://127.0.0.1:3000/';
const CHALLENGE = 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM';

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

function expectHardened(response: Response) {
  expect(response.headers.get('x-content-type-options')).toBe('nosniff');
  expect(response.headers.get('referrer-policy')).toBe('no-referrer');
  expect(response.headers.get('content-security-policy')).toContain("default-src 'none'");
}

/** An authorization request as a client would send it; `params` replace or (undefined) drop the defaults. */
function authorize(params: Record<string, string | undefined> = {}, provider = idp) {
  const query = new URLSearchParams();
  const all: Record<string, string | undefined> = {
    client_id: provider.clientId,
    redirect_uri: app,
    response_type: 'code',
    scope: 'openid profile',
    state: 'state-1',
    nonce: 'nonce-1',
    code_challenge: CHALLENGE,
    code_challenge_method: 'S256',
    ...params,
  };
  for (const [name, value] of Object.entries(all)) if (value !== undefined) query.set(name, value);
  return fetch(`${provider.authorizationEndpoint}?${query}`, { redirect: 'manual' });
}

/** The parameters the provider sent back to the client (query or fragment), or null when it did not redirect there. */
function answerTo(response: Response): URLSearchParams | null {
  const location = response.headers.get('location');
  if (!location?.startsWith(app)) return null;
  const url = new URL(location);
  return new URLSearchParams(url.hash ? url.hash.slice(1) : url.search);
}

describe('the development OpenID provider (oidc-provider, configured like Cognito)', () => {
  it('listens on 127.0.0.1 only, at Cognito’s paths', () => {
    expect(new URL(idp.issuer).hostname).toBe('127.0.0.1');
    expect(idp.jwksUrl).toBe(`${idp.issuer}/.well-known/jwks.json`);
    expect(idp.authorizationEndpoint).toBe(`${idp.issuer}/oauth2/authorize`);
    expect(idp.tokenEndpoint).toBe(`${idp.issuer}/oauth2/token`);
    expect(idp.clientId).toBe(idp.audience);
  });

  it('publishes code + PKCE (S256) only, RS256 ID tokens, and Cognito’s claims', async () => {
    const response = await fetch(`${idp.issuer}/.well-known/openid-configuration`);
    expect(response.status).toBe(200);
    expectHardened(response);
    const metadata = await response.json();
    expect(metadata).toMatchObject({
      issuer: idp.issuer,
      jwks_uri: idp.jwksUrl,
      authorization_endpoint: idp.authorizationEndpoint,
      token_endpoint: idp.tokenEndpoint,
      revocation_endpoint: `${idp.issuer}/oauth2/revoke`,
      userinfo_endpoint: `${idp.issuer}/oauth2/userInfo`,
      response_types_supported: ['code'],
      code_challenge_methods_supported: ['S256'],
      grant_types_supported: ['authorization_code', 'refresh_token'],
      id_token_signing_alg_values_supported: ['RS256'],
    });
    expect(metadata.claims_supported).toEqual(
      expect.arrayContaining(['sub', 'token_use', 'custom:org', 'custom:unit', 'cognito:groups', 'name']),
    );
  });

  it('serves only the public key in its JWKS', async () => {
    const response = await fetch(idp.jwksUrl);
    expect(response.status).toBe(200);
    const { keys } = (await response.json()) as { keys: Record<string, unknown>[] };
    expect(keys).toHaveLength(1);
    expect(keys[0]).toMatchObject({ kty: 'RSA', kid: idp.kid, alg: 'RS256', use: 'sig' });
    for (const privateMember of ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'])
      expect(keys[0]).not.toHaveProperty(privateMember);
  });

  it('answers 404 to anything else', async () => {
    expect((await fetch(`${idp.issuer}/`)).status).toBe(404);
    expect((await fetch(`${idp.issuer}/nothing-here`)).status).toBe(404);
  });
});

describe('authorization requests', () => {
  it('signs a demo user in with code + PKCE: a Cognito-shaped ID token the API verifier accepts', async () => {
    const tokens = await signInWithCode({
      issuer: idp.issuer,
      clientId: idp.clientId,
      user: 'demo-supervisor',
    });
    expect(decodeProtectedHeader(tokens.idToken)).toMatchObject({ alg: 'RS256', kid: idp.kid });
    const claims = decodeJwt(tokens.idToken);
    expect(claims).toMatchObject({
      iss: idp.issuer,
      aud: idp.clientId,
      sub: 'demo-supervisor',
      token_use: 'id',
      'custom:org': 'demo-county',
      'custom:unit': 'unit-1',
      'cognito:groups': ['supervisor'],
      name: 'Sam Supervisor',
    });
    // Cognito's defaults: ID and access tokens for an hour, and a refresh token with them.
    expect(claims.exp! - claims.iat!).toBe(3600);
    expect(tokens.expiresIn).toBe(3600);
    expect(tokens.refreshToken).toBeTruthy();
    expect(await verifier.authenticate(`Bearer ${tokens.idToken}`)).toEqual({
      userId: 'demo-supervisor',
      org: 'demo-county',
      unit: 'unit-1',
      roles: ['supervisor'],
    });
  });

  it('issues the same claims as the test helpers mint directly, for every demo user', async () => {
    for (const user of demoUsers) {
      const { idToken } = await signInWithCode({ issuer: idp.issuer, clientId: idp.clientId, user: user.id });
      const direct = decodeJwt(await idp.signIn(user.id));
      const issued = decodeJwt(idToken);
      for (const claim of [
        'iss',
        'aud',
        'sub',
        'token_use',
        'custom:org',
        'custom:unit',
        'cognito:groups',
        'name',
      ])
        expect(issued[claim], `${user.id} ${claim}`).toEqual(direct[claim]);
      expect(await verifier.authenticate(`Bearer ${idToken}`)).toEqual({
        userId: user.id,
        org: user.org,
        unit: user.unit,
        roles: user.groups,
      });
    }
  });

  it('refuses an authorization request without PKCE', async () => {
    const response = await authorize({ code_challenge: undefined, code_challenge_method: undefined });
    const answer = answerTo(response);
    expect(answer?.get('error')).toBe('invalid_request');
    expect(answer?.get('error_description')).toMatch(/PKCE/);
    expect(answer?.has('code')).toBe(false);
  });

  it('refuses PKCE’s plain method', async () => {
    const answer = answerTo(
      await authorize({ code_challenge_method: 'plain', code_challenge: 'x'.repeat(43) }),
    );
    expect(answer?.get('error')).toBe('invalid_request');
    expect(answer?.has('code')).toBe(false);
  });

  it.each(['id_token', 'token', 'id_token token', 'code id_token', 'code token'])(
    'refuses the implicit and hybrid flows (response_type=%s)',
    async (responseType) => {
      const response = await authorize({ response_type: responseType });
      const answer = answerTo(response);
      expect(answer?.get('error')).toBe('unsupported_response_type');
      expect(answer?.has('id_token')).toBe(false);
      expect(answer?.has('access_token')).toBe(false);
      expect(answer?.has('code')).toBe(false);
    },
  );

  it('refuses to redirect to an origin that is not allowed', async () => {
    for (const target of [
      'https://evil.example/callback',
      'http://127.0.0.1.evil.example:3000/',
      'http://user:pass@127.0.0.1:3000/',
    ]) {
      const response = await authorize({ redirect_uri: target });
      expect(response.status).toBe(400);
      expect(response.headers.get('location')).toBeNull();
    }
  });

  it('refuses a code without the right PKCE verifier', async () => {
    const first = await authorize();
    const interaction = new URL(first.headers.get('location')!, idp.issuer);
    const cookies = first.headers
      .getSetCookie()
      .map((line) => line.split(';', 1)[0])
      .join('; ');
    const picked = await fetch(interaction, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: cookies },
      body: new URLSearchParams({ user: 'demo-caseworker' }),
    });
    const resumeCookies = [
      cookies,
      ...picked.headers.getSetCookie().map((line) => line.split(';', 1)[0]),
    ].join('; ');
    const resumed = await fetch(new URL(picked.headers.get('location')!, idp.issuer), {
      redirect: 'manual',
      headers: { cookie: resumeCookies },
    });
    const code = answerTo(resumed)?.get('code');
    expect(code).toBeTruthy();
    const exchange = await fetch(idp.tokenEndpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        client_id: idp.clientId,
        code: code!,
        redirect_uri: app,
        code_verifier: 'a'.repeat(43),
      }),
    });
    expect(exchange.status).toBe(400);
    expect(await exchange.json()).toMatchObject({ error: 'invalid_grant' });
  });
});

describe('the sign-in page', () => {
  async function signInPage(provider = idp) {
    const first = await authorize({}, provider);
    const page = new URL(first.headers.get('location')!, provider.issuer);
    const cookies = first.headers
      .getSetCookie()
      .map((line) => line.split(';', 1)[0])
      .join('; ');
    return { page, response: await fetch(page, { headers: { cookie: cookies } }) };
  }

  it('lists every demo user as a button in an accessible page', async () => {
    const { page, response } = await signInPage();
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    expectHardened(response);
    expect(response.headers.get('content-security-policy')).toContain(
      "form-action 'self' http://127.0.0.1:*",
    );
    const html = await response.text();
    expect(html).toContain('<html lang="en">');
    expect(html).toMatch(/<h1>[^<]+<\/h1>/);
    expect(html).toContain('local development sign-in');
    expect(html).toContain('<legend>');
    expect(html).toContain(`<form method="post" action="${page.pathname}">`);
    for (const user of demoUsers) {
      expect(html).toContain(`name="user" value="${user.id}"`);
      expect(html).toContain(user.name);
      expect(html).toContain(user.description.replace(/'/g, '&#39;'));
    }
  });

  it('escapes what it puts into the HTML', async () => {
    const hostile = await startDevIdentityProvider({
      users: [
        {
          ...demoUsers[0]!,
          id: 'x" onclick="y',
          name: '<img src=x onerror=alert(1)>',
          description: "O'Brien & co",
        },
      ],
    });
    try {
      const html = await (await signInPage(hostile)).response.text();
      expect(html).not.toContain('<img');
      expect(html).not.toContain('" onclick="');
      expect(html).toContain('O&#39;Brien &#38; co');
    } finally {
      await hostile.close();
    }
  });

  it('refuses an unknown user, and a sign-in without its cookie', async () => {
    const first = await authorize();
    const interaction = new URL(first.headers.get('location')!, idp.issuer);
    const cookies = first.headers
      .getSetCookie()
      .map((line) => line.split(';', 1)[0])
      .join('; ');
    const post = (cookie: string, user: string) =>
      fetch(interaction, {
        method: 'POST',
        redirect: 'manual',
        headers: { 'content-type': 'application/x-www-form-urlencoded', cookie },
        body: new URLSearchParams({ user }),
      });
    expect((await post(cookies, 'mallory')).status).toBe(400);
    expect((await post('', 'demo-caseworker')).status).toBe(400);
  });
});

describe('refresh tokens', () => {
  it('a refresh gives a new ID token with the same claims and rotates the refresh token; the old one is refused', async () => {
    const short = await startDevIdentityProvider({ tokenLifetimeSeconds: 60 });
    try {
      const first = await signInWithCode({
        issuer: short.issuer,
        clientId: short.clientId,
        user: 'demo-caseworker',
      });
      expect(decodeJwt(first.idToken).exp! - decodeJwt(first.idToken).iat!).toBe(60);
      await new Promise((resolve) => setTimeout(resolve, 1100));
      const second = await refreshTokens(short.issuer, short.clientId, first.refreshToken!);
      const before = decodeJwt(first.idToken);
      const after = decodeJwt(second.idToken);
      expect(after.exp!).toBeGreaterThan(before.exp!);
      for (const claim of ['sub', 'aud', 'token_use', 'custom:org', 'custom:unit', 'cognito:groups'])
        expect(after[claim]).toEqual(before[claim]);
      expect(await verifierFor(short).authenticate(`Bearer ${second.idToken}`)).toMatchObject({
        userId: 'demo-caseworker',
      });
      expect(second.refreshToken).toBeTruthy();
      expect(second.refreshToken).not.toBe(first.refreshToken);
      await expect(refreshTokens(short.issuer, short.clientId, first.refreshToken!)).rejects.toThrow();
    } finally {
      await short.close();
    }
  });
});

describe('--data-dir', () => {
  it('a restart with the same data dir keeps the key: tokens stay valid and refresh tokens usable', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'cse-identity-'));
    try {
      const before = await startDevIdentityProvider({ dataDir });
      const port = Number(new URL(before.issuer).port);
      const signedIn = await signInWithCode({
        issuer: before.issuer,
        clientId: before.clientId,
        user: 'demo-intake',
      });
      const minted = await idTokenFor(before, {
        sub: 'someone',
        org: 'demo-county',
        unit: 'unit-1',
        roles: ['caseworker'],
      });
      const kid = before.kid;
      await before.close();
      expect((await stat(join(dataDir, 'secrets.json'))).mode & 0o077).toBe(0);
      expect(await readFile(join(dataDir, 'secrets.json'), 'utf8')).toContain('"d":');

      const after = await startDevIdentityProvider({ dataDir, port });
      try {
        expect(after.issuer).toBe(before.issuer);
        expect(after.kid).toBe(kid);
        const verify = verifierFor(after);
        expect(await verify.authenticate(`Bearer ${signedIn.idToken}`)).toMatchObject({
          userId: 'demo-intake',
        });
        expect(await verify.authenticate(`Bearer ${minted}`)).toMatchObject({ userId: 'someone' });
        const refreshed = await refreshTokens(after.issuer, after.clientId, signedIn.refreshToken!);
        expect(decodeJwt(refreshed.idToken).sub).toBe('demo-intake');
      } finally {
        await after.close();
      }
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it('without a data dir, each start has a key of its own', async () => {
    const other = await startDevIdentityProvider();
    try {
      expect(other.kid).not.toBe(idp.kid);
    } finally {
      await other.close();
    }
  });
});

describe('tokens minted directly (test helpers)', () => {
  it('mints Cognito-shaped ID tokens', async () => {
    const token = await idp.signIn('demo-supervisor');
    expect(decodeProtectedHeader(token)).toMatchObject({ alg: 'RS256', kid: idp.kid });
    const claims = decodeJwt(token);
    expect(claims).toMatchObject({
      iss: idp.issuer,
      aud: 'screening-local',
      sub: 'demo-supervisor',
      token_use: 'id',
      'custom:org': 'demo-county',
      'custom:unit': 'unit-1',
      'cognito:groups': ['supervisor'],
      name: 'Sam Supervisor',
    });
    expect(claims.exp! - claims.iat!).toBe(3600);
    await expect(idp.signIn('nobody')).rejects.toThrow();
  });

  it('takes its time from the clock option', async () => {
    const fixed = await startDevIdentityProvider({
      clock: () => new Date('2030-01-01T00:00:00Z'),
      tokenLifetimeSeconds: 60,
    });
    try {
      const claims = decodeJwt(await fixed.signIn('demo-caseworker'));
      expect(claims.iat).toBe(Date.parse('2030-01-01T00:00:00Z') / 1000);
      expect(claims.exp).toBe(claims.iat! + 60);
    } finally {
      await fixed.close();
    }
  });

  it('has a demo user for every role, each accepted by the verifier', async () => {
    const roles = new Set(demoUsers.flatMap((user) => user.groups));
    expect([...roles].sort()).toEqual([
      'administrator',
      'caseworker',
      'interviewer',
      'shelter_staff',
      'supervisor',
    ]);
    for (const user of demoUsers) {
      expect(await verifier.authenticate(`Bearer ${await idp.signIn(user.id)}`)).toEqual({
        userId: user.id,
        org: user.org,
        unit: user.unit,
        roles: user.groups,
      });
    }
  });
});

/** Issue 18: every client signs in with code + PKCE now; the implicit-flow page that put a token in a URL is gone. */
describe('no implicit flow', () => {
  it('has no /sign-in page any more, by GET or POST', async () => {
    const page = await fetch(`${idp.issuer}/sign-in?redirect_uri=${encodeURIComponent(app)}&state=s`);
    expect(page.status).toBe(404);
    const posted = await fetch(`${idp.issuer}/sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ user: 'demo-caseworker', redirect_uri: app, state: 's' }).toString(),
      redirect: 'manual',
    });
    expect(posted.status).toBe(404);
    expect(posted.headers.get('location')).toBeNull();
  });
});
