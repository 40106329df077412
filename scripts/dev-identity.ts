import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRemoteJWKSet, importJWK, type JWTHeaderParameters, type JWTPayload, SignJWT } from 'jose';
import Provider, { type Configuration, interactionPolicy, type KoaContextWithOIDC } from 'oidc-provider';
import { createTokenVerifier } from '#functions/auth/verifier.ts';
import { type DemoUser, errorPage, signInPage } from './dev-identity-pages.ts';
import { createRecordStore, loadSecrets } from './dev-identity-store.ts';

/**
 * The Cognito user pool on loopback: a certified OpenID provider (oidc-provider) configured like Cognito's
 * hosted UI. Authorization code with PKCE (S256, required) is the only flow; ID tokens carry Cognito's
 * claims (`custom:org`, `custom:unit`, `cognito:groups`, `token_use`), are signed RS256 with the key in the
 * JWKS at `/.well-known/jwks.json`, and last as long as Cognito's defaults (ID and access token one hour,
 * refresh token 30 days, rotated on use). The endpoints sit at Cognito's paths (`/oauth2/authorize`,
 * `/oauth2/token`, `/oauth2/revoke`, `/oauth2/userInfo`). There are no passwords: the sign-in page lists
 * the demo users. With `dataDir` the signing key and the provider's records are kept there.
 */

export type { DemoUser } from './dev-identity-pages.ts';

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
  /** The app client's id, which is the ID token's audience (as in Cognito). */
  audience?: string;
  users?: readonly DemoUser[];
  /** Exact origins (`https://app.example`) or any port on a host (`http://127.0.0.1:*`). */
  allowedRedirectOrigins?: string[];
  /** ID and access token lifetime (Cognito's default: one hour). */
  tokenLifetimeSeconds?: number;
  /** The clock of tokens minted directly (`signIn`, for tests); the provider itself runs on the real clock. */
  clock?: () => Date;
  /** Keeps the signing key, cookie keys and the provider's records here, so a restart signs nobody out. */
  dataDir?: string;
}

export interface DevIdentityProvider {
  issuer: string;
  /** The app client's id, and so the ID token's `aud`. */
  audience: string;
  clientId: string;
  jwksUrl: string;
  authorizationEndpoint: string;
  tokenEndpoint: string;
  kid: string;
  /** Mints the ID token a sign-in would issue for this user; `overrides` replace or add claims. */
  signIn(userId: string, overrides?: Record<string, unknown>): Promise<string>;
  /** Signs arbitrary claims with the provider's key, for tests of what the verifier must refuse. */
  signToken(claims: JWTPayload, header?: Partial<JWTHeaderParameters>): Promise<string>;
  close(): Promise<void>;
}

const DEFAULT_REDIRECT_ORIGINS = ['http://127.0.0.1:*', 'http://localhost:*'];
const MAX_FORM_BYTES = 16 * 1024;
const HOUR = 60 * 60;
const DAY = 24 * HOUR;

/** Cognito's paths, so a client configured for the hosted UI finds the same endpoints here. */
const ROUTES = {
  authorization: '/oauth2/authorize',
  token: '/oauth2/token',
  userinfo: '/oauth2/userInfo',
  revocation: '/oauth2/revoke',
  jwks: '/.well-known/jwks.json',
  end_session: '/logout',
};

/** The claims of a Cognito ID token that the API reads, under the scopes that release them. */
const CLAIMS = {
  openid: ['sub', 'token_use', 'custom:org', 'custom:unit', 'cognito:groups'],
  profile: ['name'],
  email: ['email', 'email_verified'],
};

type OriginRule = { protocol: string; hostname: string; anyPort: boolean; origin: string };

function parseOriginRule(rule: string): OriginRule {
  const anyPort = rule.endsWith(':*');
  const url = new URL(anyPort ? rule.slice(0, -2) : rule);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`Not an http origin: ${rule}`);
  return { protocol: url.protocol, hostname: url.hostname, anyPort, origin: url.origin };
}

/** Only an allowed origin may receive codes or tokens; anything unparseable or carrying credentials is refused. */
function allowedRedirect(value: string | null | undefined, rules: OriginRule[]): URL | undefined {
  if (value === null || value === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return undefined;
  }
  if (url.username !== '' || url.password !== '' || url.hash !== '') return undefined;
  const allowed = rules.some((rule) =>
    rule.anyPort
      ? url.protocol === rule.protocol && url.hostname === rule.hostname
      : url.origin === rule.origin,
  );
  return allowed ? url : undefined;
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

/** Cognito asks no consent for a pool's own app client: what it asks for (of what exists) is granted. */
async function grantWhatIsAsked(ctx: KoaContextWithOIDC) {
  const { oidc } = ctx;
  const accountId = oidc.session?.accountId;
  if (!accountId || !oidc.client) return undefined;
  const clientId = oidc.client.clientId;
  const existingId = oidc.result?.consent?.grantId ?? oidc.session?.grantIdFor(clientId);
  const existing = existingId ? await oidc.provider.Grant.find(existingId) : undefined;
  const grant =
    existing && existing.accountId === accountId
      ? existing
      : new oidc.provider.Grant({ accountId, clientId });
  grant.addOIDCScope([...oidc.requestParamScopes].join(' '));
  grant.addOIDCClaims([...oidc.requestParamClaims]);
  await grant.save();
  return grant;
}

export async function startDevIdentityProvider(
  options: DevIdentityOptions = {},
): Promise<DevIdentityProvider> {
  const audience = options.audience ?? 'screening-local';
  const users = options.users ?? demoUsers;
  const lifetime = options.tokenLifetimeSeconds ?? HOUR;
  const clock = options.clock ?? (() => new Date());
  const rules = (options.allowedRedirectOrigins ?? DEFAULT_REDIRECT_ORIGINS).map(parseOriginRule);
  const persistent = options.dataDir !== undefined;

  const secrets = await loadSecrets(options.dataDir);
  const store = createRecordStore(options.dataDir);
  const { kid } = secrets.signingKey;
  const privateKey = await importJWK(secrets.signingKey, 'RS256');

  // The sign-in POST redirects to the relying party, and browsers check form-action on that redirect too.
  const formTargets = rules.map((rule) =>
    rule.anyPort ? `${rule.protocol}//${rule.hostname}:*` : rule.origin,
  );
  const securityHeaders: Record<string, string> = {
    'content-security-policy': `default-src 'none'; style-src 'unsafe-inline'; form-action 'self' ${formTargets.join(' ')}; frame-ancestors 'none'; base-uri 'none'`,
    'x-content-type-options': 'nosniff',
    'cache-control': 'no-store',
    'referrer-policy': 'no-referrer',
  };

  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const signToken = (claims: JWTPayload, header: Partial<JWTHeaderParameters> = {}) =>
    new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid, typ: 'JWT', ...header }).sign(privateKey);

  const userClaims = (user: DemoUser) => ({
    sub: user.id,
    'custom:org': user.org,
    'custom:unit': user.unit,
    'cognito:groups': user.groups,
    name: user.name,
  });

  const signIn = (userId: string, overrides: Record<string, unknown> = {}) => {
    const user = users.find((candidate) => candidate.id === userId);
    if (!user) return Promise.reject(new Error(`No demo user ${userId}.`));
    const now = Math.floor(clock().getTime() / 1000);
    return signToken({
      iss: issuer,
      aud: audience,
      iat: now,
      exp: now + lifetime,
      token_use: 'id',
      ...userClaims(user),
      ...overrides,
    });
  };

  const policy = interactionPolicy.base();
  // No consent screen (as for a Cognito pool's own app client), and the demo user is picked at every
  // sign-in, as the hand-written page did: a developer switches users by signing in again.
  policy.remove('consent');
  policy
    .get('login')
    ?.checks.add(
      new interactionPolicy.Check('pick_demo_user', 'A demo user is picked at every sign-in', (ctx) =>
        ctx.oidc.result?.login
          ? interactionPolicy.Check.NO_NEED_TO_PROMPT
          : interactionPolicy.Check.REQUEST_PROMPT,
      ),
      0,
    );

  const configuration: Configuration = {
    adapter: store.adapter,
    clients: [
      {
        client_id: audience,
        client_name: 'CSE screening assistant (local)',
        application_type: 'web',
        token_endpoint_auth_method: 'none',
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
        // Stands for the allowed origins below (redirectUriAllowed), which a port-free list cannot say.
        redirect_uris: ['http://127.0.0.1/'],
      },
    ],
    jwks: { keys: [secrets.signingKey] },
    cookies: { keys: secrets.cookieKeys },
    claims: CLAIMS,
    scopes: ['openid', 'profile', 'email', 'offline_access'],
    // Cognito puts the user's attributes in the ID token of the code flow, not only at userInfo.
    conformIdTokenClaims: false,
    responseTypes: ['code'],
    pkce: { required: () => true },
    enabledJWA: { idTokenSigningAlgValues: ['RS256'] },
    features: {
      devInteractions: { enabled: false },
      // The one public client revokes its own tokens only (as Cognito's /oauth2/revoke).
      revocation: {
        enabled: true,
        allowedPolicy: async (
          _ctx: KoaContextWithOIDC,
          client: { clientId: string },
          token: { clientId?: string },
        ) => token.clientId === client.clientId,
      },
      userinfo: { enabled: true },
      rpInitiatedLogout: { enabled: false },
    },
    routes: ROUTES,
    ttl: {
      AccessToken: lifetime,
      IdToken: lifetime,
      AuthorizationCode: 5 * 60,
      RefreshToken: 30 * DAY,
      Grant: 30 * DAY,
      Session: HOUR,
      Interaction: HOUR,
    },
    // Cognito issues a refresh token with every code exchange, without an offline_access scope, and it
    // outlives the hosted UI's session.
    issueRefreshToken: async (
      _ctx: KoaContextWithOIDC,
      client: { grantTypeAllowed(type: string): boolean },
    ) => client.grantTypeAllowed('refresh_token'),
    expiresWithSession: async () => false,
    clientBasedCORS: (_ctx: KoaContextWithOIDC, origin: string) =>
      allowedRedirect(origin, rules) !== undefined,
    findAccount: async (_ctx: KoaContextWithOIDC, sub: string) => {
      const user = users.find((candidate) => candidate.id === sub);
      if (!user) return undefined;
      return {
        accountId: user.id,
        claims: (use: 'id_token' | 'userinfo') => ({
          ...userClaims(user),
          ...(use === 'id_token' ? { token_use: 'id' } : {}),
        }),
      };
    },
    loadExistingGrant: grantWhatIsAsked,
    interactions: {
      policy,
      url: async (_ctx: KoaContextWithOIDC, interaction: { uid: string }) =>
        `/interaction/${interaction.uid}`,
    },
    renderError: async (
      ctx: KoaContextWithOIDC & { type: string; body: string },
      out: { error: string; error_description?: string },
    ) => {
      ctx.type = 'html';
      ctx.body = errorPage('Sign-in failed', `${out.error}: ${out.error_description ?? ''}`);
    },
  };

  const provider = new Provider(issuer, configuration);
  // The provider's redirect check compares whole URIs; here any allowed origin (any loopback port) may
  // receive a code, as the API and the pages run on ports chosen at start.
  provider.Client.prototype.redirectUriAllowed = (value: string) =>
    allowedRedirect(value, rules) !== undefined;
  provider.use(async (ctx, next) => {
    await next();
    for (const [name, value] of Object.entries(securityHeaders))
      if (name !== 'cache-control' || !ctx.response.get('cache-control')) ctx.set(name, value);
  });
  const providerCallback = provider.callback();

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
  const html = (response: ServerResponse, status: number, body: string) =>
    send(response, status, body, 'text/html; charset=utf-8');

  async function postedUser(request: IncomingMessage, response: ServerResponse) {
    if (!/^application\/x-www-form-urlencoded\b/i.test(request.headers['content-type'] ?? '')) {
      plain(response, 415, 'Send the sign-in form as application/x-www-form-urlencoded.');
      return undefined;
    }
    const form = await readForm(request);
    if (form === 'too_large') {
      plain(response, 413, 'The sign-in form is too large.');
      return undefined;
    }
    return form;
  }

  /** The sign-in page of an authorization request in progress (oidc-provider's interaction). */
  async function interaction(request: IncomingMessage, response: ServerResponse, uid: string) {
    let details: { uid: string };
    try {
      details = await provider.interactionDetails(request, response);
    } catch {
      return html(
        response,
        400,
        errorPage(
          'Sign-in expired',
          'This sign-in has expired or was opened elsewhere. Start again from the app.',
        ),
      );
    }
    if (details.uid !== uid) return plain(response, 400, 'This sign-in does not match the one in progress.');
    if (request.method === 'GET')
      return html(response, 200, signInPage(users, `/interaction/${uid}`, {}, persistent));
    const form = await postedUser(request, response);
    if (!form) return;
    const userId = form.get('user') ?? '';
    if (!users.some((user) => user.id === userId)) return plain(response, 400, 'Unknown demo user.');
    for (const [name, value] of Object.entries(securityHeaders)) response.setHeader(name, value);
    await provider.interactionFinished(
      request,
      response,
      { login: { accountId: userId } },
      { mergeWithLastSubmission: false },
    );
  }

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', issuer);
    const method = request.method ?? 'GET';
    const interactionUid = /^\/interaction\/([\w-]{1,64})$/.exec(url.pathname)?.[1];
    if (interactionUid !== undefined && (method === 'GET' || method === 'POST'))
      return interaction(request, response, interactionUid);
    providerCallback(request, response);
  }

  server.on('request', (request: IncomingMessage, response: ServerResponse) => {
    handle(request, response).catch(() => {
      if (!response.headersSent) plain(response, 500, 'The dev identity provider failed.');
      else response.destroy();
    });
  });

  return {
    issuer,
    audience,
    clientId: audience,
    jwksUrl: `${issuer}${ROUTES.jwks}`,
    authorizationEndpoint: `${issuer}${ROUTES.authorization}`,
    tokenEndpoint: `${issuer}${ROUTES.token}`,
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

/** An ID token shaped as Cognito issues them, for any account, signed with this provider's key. */
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
