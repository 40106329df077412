import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  calculateJwkThumbprint,
  createRemoteJWKSet,
  exportJWK,
  generateKeyPair,
  type JWTHeaderParameters,
  type JWTPayload,
  SignJWT,
} from 'jose';
import { createTokenVerifier } from '#functions/auth/verifier.ts';
import type { Role } from '#functions/domain/principal.ts';

/**
 * A stand-in for the Cognito user pool on loopback: it issues ID tokens shaped like Cognito's (same
 * claims, RS256, keys served as a JWKS) so the local stack verifies real tokens without AWS.
 */

export interface DemoUser {
  id: string;
  name: string;
  org: string;
  unit: string;
  groups: Role[];
  /** What this role may see, shown on the sign-in page so a tester picks the right user. */
  description: string;
}

export const demoUsers: readonly DemoUser[] = [
  {
    id: 'demo-caseworker',
    name: 'Casey Caseworker',
    org: 'demo-county',
    unit: 'unit-1',
    groups: ['caseworker'],
    description: 'Caseworker: runs screenings and sees only their own conversations and tasks.',
  },
  {
    id: 'demo-caseworker-2',
    name: 'Robin Caseworker',
    org: 'demo-county',
    unit: 'unit-1',
    groups: ['caseworker'],
    description: 'A second caseworker in the same unit: cannot see the first caseworker’s records.',
  },
  {
    id: 'demo-supervisor',
    name: 'Sam Supervisor',
    org: 'demo-county',
    unit: 'unit-1',
    groups: ['supervisor'],
    description: 'Supervisor: sees every conversation and task in unit-1 and the supervisors’ board.',
  },
  {
    id: 'demo-interviewer',
    name: 'Indy Interviewer',
    org: 'demo-county',
    unit: 'unit-1',
    groups: ['interviewer'],
    description: 'Interviewer: runs runaway-return interviews and sees only their own interviews.',
  },
  {
    id: 'demo-intake',
    name: 'Ira Intake',
    org: 'demo-county',
    unit: 'intake',
    groups: ['caseworker'],
    description:
      'County intake: receives the shelters’ hand-offs and officers’ § 305 notices in the intake queue, and the county tasks they open.',
  },
  {
    id: 'demo-placement',
    name: 'Pat Placement',
    org: 'demo-county',
    unit: 'placement',
    groups: ['caseworker'],
    description:
      'Placement worker: gets the respond-in-placement tasks with the factors a returned youth named, not the interview.',
  },
  {
    id: 'demo-admin',
    name: 'Alex Administrator',
    org: 'demo-county',
    unit: 'main',
    groups: ['administrator'],
    description: 'Administrator: sees activity reports and tasks across all of demo-county.',
  },
  {
    id: 'demo-shelter',
    name: 'Shay Shelter Staff',
    org: 'demo-shelter',
    unit: 'main',
    groups: ['shelter_staff'],
    description: 'Shelter staff at a partner organisation: sees only demo-shelter’s own screenings.',
  },
  {
    id: 'demo-shelter-2',
    name: 'Sky Drop-in Staff',
    org: 'demo-shelter-2',
    unit: 'main',
    groups: ['shelter_staff'],
    description:
      'Staff at a second partner organisation: sees nothing of demo-shelter’s records, nor they of theirs.',
  },
];

export interface DevIdentityOptions {
  /** Port on 127.0.0.1; 0 picks a free one. */
  port?: number;
  audience?: string;
  users?: readonly DemoUser[];
  /** Exact origins (`https://app.example`) or any port on a host (`http://127.0.0.1:*`). */
  allowedRedirectOrigins?: string[];
  tokenLifetimeSeconds?: number;
  clock?: () => Date;
}

export interface DevIdentityProvider {
  issuer: string;
  audience: string;
  jwksUrl: string;
  kid: string;
  /** Mints the ID token the sign-in page would issue for this user; `overrides` replace or add claims. */
  signIn(userId: string, overrides?: Record<string, unknown>): Promise<string>;
  /** Signs arbitrary claims with the provider's key, for tests of what the verifier must refuse. */
  signToken(claims: JWTPayload, header?: Partial<JWTHeaderParameters>): Promise<string>;
  close(): Promise<void>;
}

const DEFAULT_REDIRECT_ORIGINS = ['http://127.0.0.1:*', 'http://localhost:*'];
const MAX_FORM_BYTES = 16 * 1024;
const MAX_STATE_LENGTH = 512;

type OriginRule = { protocol: string; hostname: string; anyPort: boolean; origin: string };

function parseOriginRule(rule: string): OriginRule {
  const anyPort = rule.endsWith(':*');
  const url = new URL(anyPort ? rule.slice(0, -2) : rule);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`Not an http origin: ${rule}`);
  return { protocol: url.protocol, hostname: url.hostname, anyPort, origin: url.origin };
}

/** Only an allowed origin may receive tokens; anything unparseable or carrying credentials is refused. */
function allowedRedirect(value: string | null, rules: OriginRule[]): URL | undefined {
  if (value === null) return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return undefined;
  }
  if (url.username !== '' || url.password !== '') return undefined;
  const allowed = rules.some((rule) =>
    rule.anyPort
      ? url.protocol === rule.protocol && url.hostname === rule.hostname
      : url.origin === rule.origin,
  );
  return allowed ? url : undefined;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

function signInPage(users: readonly DemoUser[], redirectUri: string, state: string): string {
  const items = users
    .map(
      (user, index) => `<li>
  <button type="submit" name="user" value="${escapeHtml(user.id)}" aria-describedby="user-${index}">${escapeHtml(user.name)}</button>
  <p id="user-${index}">${escapeHtml(user.description)} <span>(${escapeHtml(user.id)}, ${escapeHtml(user.org)} / ${escapeHtml(user.unit)})</span></p>
</li>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Sign in: local development</title>
<style>
body { font-family: system-ui, sans-serif; max-width: 40rem; margin: 2rem auto; padding: 0 1rem; line-height: 1.5; }
ul { list-style: none; padding: 0; }
li { margin-bottom: 1rem; }
button { font: inherit; padding: 0.5rem 1rem; min-height: 44px; cursor: pointer; }
button:focus-visible { outline: 3px solid #1a5fb4; outline-offset: 2px; }
p { margin: 0.25rem 0; }
.note { border-left: 4px solid #c64600; padding-left: 0.75rem; }
</style>
</head>
<body>
<main>
<h1>Sign in</h1>
<p class="note">This is a local development sign-in. There are no passwords: choose a demo user. Tokens are signed by a key that exists only in this process and are accepted only by the local stack.</p>
<form method="post" action="/sign-in">
<input type="hidden" name="redirect_uri" value="${escapeHtml(redirectUri)}">
<input type="hidden" name="state" value="${escapeHtml(state)}">
<fieldset>
<legend>Demo users</legend>
<ul>
${items}
</ul>
</fieldset>
</form>
</main>
</body>
</html>
`;
}

async function readForm(request: IncomingMessage): Promise<URLSearchParams | 'too_large'> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_FORM_BYTES) return 'too_large';
    chunks.push(chunk as Buffer);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

export async function startDevIdentityProvider(
  options: DevIdentityOptions = {},
): Promise<DevIdentityProvider> {
  const audience = options.audience ?? 'screening-local';
  const users = options.users ?? demoUsers;
  const lifetime = options.tokenLifetimeSeconds ?? 3600;
  const clock = options.clock ?? (() => new Date());
  const rules = (options.allowedRedirectOrigins ?? DEFAULT_REDIRECT_ORIGINS).map(parseOriginRule);

  const { privateKey, publicKey } = await generateKeyPair('RS256');
  const publicJwk = await exportJWK(publicKey);
  const kid = await calculateJwkThumbprint(publicJwk);
  const jwks = JSON.stringify({ keys: [{ ...publicJwk, kid, alg: 'RS256', use: 'sig' }] });

  // The sign-in POST redirects to the relying party, and browsers check form-action on that redirect too.
  const formTargets = rules.map((rule) =>
    rule.anyPort ? `${rule.protocol}//${rule.hostname}:*` : rule.origin,
  );
  const securityHeaders = {
    'content-security-policy': `default-src 'none'; style-src 'unsafe-inline'; form-action 'self' ${formTargets.join(' ')}; frame-ancestors 'none'; base-uri 'none'`,
    'x-content-type-options': 'nosniff',
    'cache-control': 'no-store',
    'referrer-policy': 'no-referrer',
  };

  let issuer = '';

  const signToken = (claims: JWTPayload, header: Partial<JWTHeaderParameters> = {}) =>
    new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid, typ: 'JWT', ...header }).sign(privateKey);

  const signIn = (userId: string, overrides: Record<string, unknown> = {}) => {
    const user = users.find((candidate) => candidate.id === userId);
    if (!user) return Promise.reject(new Error(`No demo user ${userId}.`));
    const now = Math.floor(clock().getTime() / 1000);
    return signToken({
      iss: issuer,
      aud: audience,
      sub: user.id,
      iat: now,
      exp: now + lifetime,
      token_use: 'id',
      'custom:org': user.org,
      'custom:unit': user.unit,
      'cognito:groups': user.groups,
      name: user.name,
      ...overrides,
    });
  };

  const send = (
    response: ServerResponse,
    status: number,
    body: string,
    contentType: string,
    headers: Record<string, string> = {},
  ) => {
    response.writeHead(status, { ...securityHeaders, 'content-type': contentType, ...headers });
    response.end(body);
  };
  const plain = (response: ServerResponse, status: number, message: string) =>
    send(response, status, `${message}\n`, 'text/plain; charset=utf-8');
  // Discovery documents are public, and a browser client may read them from another loopback port.
  const publicJson = (response: ServerResponse, body: string) =>
    send(response, 200, body, 'application/json', { 'access-control-allow-origin': '*' });

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', issuer);
    const route = `${request.method} ${url.pathname}`;
    if (route === 'GET /.well-known/openid-configuration') {
      return publicJson(
        response,
        JSON.stringify({
          issuer,
          jwks_uri: `${issuer}/.well-known/jwks.json`,
          authorization_endpoint: `${issuer}/sign-in`,
          response_types_supported: ['id_token'],
          response_modes_supported: ['fragment'],
          subject_types_supported: ['public'],
          id_token_signing_alg_values_supported: ['RS256'],
          scopes_supported: ['openid'],
          claims_supported: [
            'iss',
            'aud',
            'sub',
            'iat',
            'exp',
            'name',
            'token_use',
            'custom:org',
            'custom:unit',
            'cognito:groups',
          ],
        }),
      );
    }
    if (route === 'GET /.well-known/jwks.json') return publicJson(response, jwks);
    if (route === 'GET /sign-in') {
      const redirect = allowedRedirect(url.searchParams.get('redirect_uri'), rules);
      if (!redirect) return plain(response, 400, 'redirect_uri is missing or not on an allowed origin.');
      const state = url.searchParams.get('state') ?? '';
      if (state.length > MAX_STATE_LENGTH) return plain(response, 400, 'state is too long.');
      return send(response, 200, signInPage(users, redirect.href, state), 'text/html; charset=utf-8');
    }
    if (route === 'POST /sign-in') {
      if (!/^application\/x-www-form-urlencoded\b/i.test(request.headers['content-type'] ?? ''))
        return plain(response, 415, 'Send the sign-in form as application/x-www-form-urlencoded.');
      const form = await readForm(request);
      if (form === 'too_large') return plain(response, 413, 'The sign-in form is too large.');
      const redirect = allowedRedirect(form.get('redirect_uri'), rules);
      if (!redirect) return plain(response, 400, 'redirect_uri is missing or not on an allowed origin.');
      const state = form.get('state') ?? '';
      if (state.length > MAX_STATE_LENGTH) return plain(response, 400, 'state is too long.');
      const userId = form.get('user') ?? '';
      if (!users.some((user) => user.id === userId)) return plain(response, 400, 'Unknown demo user.');
      const token = await signIn(userId);
      redirect.hash = `id_token=${token}&state=${encodeURIComponent(state)}`;
      return send(response, 303, '', 'text/plain; charset=utf-8', { location: redirect.href });
    }
    return plain(response, 404, 'Not found.');
  }

  const server = createServer((request, response) => {
    handle(request, response).catch(() => {
      if (!response.headersSent) plain(response, 500, 'The dev identity provider failed.');
      else response.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    issuer,
    audience,
    jwksUrl: `${issuer}/.well-known/jwks.json`,
    kid,
    signIn,
    signToken,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        // Keep-alive connections from fetch would otherwise hold close() open.
        server.closeAllConnections();
      }),
  };
}

/** Any account (not only the demo users), as tests and benchmarks need them. */
export interface AccountClaims {
  sub: string;
  org: string;
  unit: string;
  roles: readonly string[];
}

/** An ID token shaped as Cognito issues them, for any account, signed by this provider. */
export function idTokenFor(idp: DevIdentityProvider, account: AccountClaims, lifetimeSeconds = 3600) {
  const now = Math.floor(Date.now() / 1000);
  return idp.signToken({
    iss: idp.issuer,
    aud: idp.audience,
    sub: account.sub,
    iat: now,
    exp: now + lifetimeSeconds,
    token_use: 'id',
    'custom:org': account.org,
    'custom:unit': account.unit,
    'cognito:groups': [...account.roles],
  });
}

/** The verifier the handlers use, trusting this provider's published keys (fetched over loopback). */
export function verifierFor(idp: DevIdentityProvider) {
  return createTokenVerifier({
    issuer: idp.issuer,
    audience: idp.audience,
    keys: createRemoteJWKSet(new URL(idp.jwksUrl)),
  });
}
