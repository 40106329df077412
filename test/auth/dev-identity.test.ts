import { createRemoteJWKSet, decodeJwt, decodeProtectedHeader } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Authenticator, createTokenVerifier } from '#functions/auth/verifier.ts';
import { type DevIdentityProvider, demoUsers, startDevIdentityProvider } from '../../scripts/dev-identity.ts';

let idp: DevIdentityProvider;
let verifier: Authenticator;

const app = 'http://127.0.0.1:3000/callback';

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

const signInPage = (redirectUri: string, state = 'xyz') =>
  fetch(`${idp.issuer}/sign-in?${new URLSearchParams({ redirect_uri: redirectUri, state })}`);

const postSignIn = (fields: Record<string, string>) =>
  fetch(`${idp.issuer}/sign-in`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields).toString(),
    redirect: 'manual',
  });

function expectHardened(response: Response) {
  expect(response.headers.get('x-content-type-options')).toBe('nosniff');
  expect(response.headers.get('cache-control')).toBe('no-store');
  expect(response.headers.get('referrer-policy')).toBe('no-referrer');
  expect(response.headers.get('content-security-policy')).toContain("default-src 'none'");
}

describe('the dev identity provider', () => {
  it('listens on 127.0.0.1 only', () => {
    expect(new URL(idp.issuer).hostname).toBe('127.0.0.1');
    expect(idp.jwksUrl).toBe(`${idp.issuer}/.well-known/jwks.json`);
  });

  it('serves its OpenID configuration', async () => {
    const response = await fetch(`${idp.issuer}/.well-known/openid-configuration`);
    expect(response.status).toBe(200);
    expectHardened(response);
    expect(await response.json()).toMatchObject({
      issuer: idp.issuer,
      jwks_uri: idp.jwksUrl,
      authorization_endpoint: `${idp.issuer}/sign-in`,
      id_token_signing_alg_values_supported: ['RS256'],
      response_types_supported: ['id_token'],
    });
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

describe('the sign-in page', () => {
  it('lists every demo user as a button in an accessible page', async () => {
    const response = await signInPage(app);
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
    expect(html).toContain('<form method="post" action="/sign-in">');
    for (const user of demoUsers) {
      expect(html).toContain(`name="user" value="${user.id}"`);
      expect(html).toContain(user.name);
      expect(html).toContain(user.description.replace(/'/g, '&#39;'));
    }
  });

  it('escapes what it puts into the HTML', async () => {
    const html = await (await signInPage(app, '"><script>alert(1)</script>')).text();
    expect(html).not.toContain('<script>');
    expect(html).toContain('value="&#34;&#62;&#60;script&#62;alert(1)&#60;/script&#62;"');

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
      const page = await (
        await fetch(`${hostile.issuer}/sign-in?redirect_uri=${encodeURIComponent(app)}`)
      ).text();
      expect(page).not.toContain('<img');
      expect(page).not.toContain('" onclick="');
      expect(page).toContain('O&#39;Brien &#38; co');
    } finally {
      await hostile.close();
    }
  });

  it('refuses a redirect to a non-loopback origin', async () => {
    for (const target of [
      'https://evil.example/callback',
      'http://127.0.0.1.evil.example:3000/',
      'http://user:pass@127.0.0.1:3000/',
      'javascript:alert(1)',
      'not a url',
    ]) {
      const response = await signInPage(target);
      expect(response.status).toBe(400);
      expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
    }
  });

  it('answers 404 to anything else', async () => {
    expect((await fetch(`${idp.issuer}/`)).status).toBe(404);
    expect((await fetch(`${idp.issuer}/.well-known/jwks.json`, { method: 'POST' })).status).toBe(404);
    expect((await fetch(`${idp.issuer}/sign-in`, { method: 'DELETE' })).status).toBe(404);
  });
});

describe('POST /sign-in', () => {
  it('redirects with an ID token the verifier accepts and the state echoed', async () => {
    const response = await postSignIn({ user: 'demo-interviewer', redirect_uri: app, state: 'a b&c' });
    expect(response.status).toBe(303);
    const location = new URL(response.headers.get('location')!);
    expect(`${location.origin}${location.pathname}`).toBe(app);
    const fragment = new URLSearchParams(location.hash.slice(1));
    expect(fragment.get('state')).toBe('a b&c');
    const principal = await verifier.authenticate(`Bearer ${fragment.get('id_token')}`);
    expect(principal).toEqual({
      userId: 'demo-interviewer',
      org: 'demo-county',
      unit: 'unit-1',
      roles: ['interviewer'],
    });
  });

  it('accepts localhost redirects too', async () => {
    const response = await postSignIn({
      user: 'demo-shelter',
      redirect_uri: 'http://localhost:5173/',
      state: '',
    });
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toMatch(
      /^http:\/\/localhost:5173\/#id_token=[\w-]+\.[\w-]+\.[\w-]+&state=$/,
    );
  });

  it('refuses a redirect to a non-loopback origin with 400', async () => {
    const response = await postSignIn({
      user: 'demo-caseworker',
      redirect_uri: 'https://evil.example/',
      state: 's',
    });
    expect(response.status).toBe(400);
    expect(response.headers.get('location')).toBeNull();
    expect(await response.text()).toMatch(/redirect_uri/);
  });

  it('refuses an unknown user with 400', async () => {
    const response = await postSignIn({ user: 'mallory', redirect_uri: app, state: 's' });
    expect(response.status).toBe(400);
    expect(response.headers.get('location')).toBeNull();
  });

  it('honours a custom list of redirect origins', async () => {
    const custom = await startDevIdentityProvider({ allowedRedirectOrigins: ['https://app.example'] });
    try {
      const page = await fetch(
        `${custom.issuer}/sign-in?redirect_uri=${encodeURIComponent('https://app.example/cb')}`,
      );
      expect(page.status).toBe(200);
      expect(page.headers.get('content-security-policy')).toContain(
        "form-action 'self' https://app.example;",
      );
      const loopback = await fetch(`${custom.issuer}/sign-in?redirect_uri=${encodeURIComponent(app)}`);
      expect(loopback.status).toBe(400);
    } finally {
      await custom.close();
    }
  });
});
