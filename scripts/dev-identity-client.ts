import { parseArgs } from 'node:util';
import * as oauth from 'oauth4webapi';

/**
 * A sign-in without a browser, through the development identity provider's real authorization code + PKCE
 * flow (oauth4webapi on the client side): for tests, and for `curl` users who want a token:
 *
 *   npx tsx scripts/dev-identity-client.ts demo-caseworker [--issuer http://127.0.0.1:3001]
 *     [--client-id screening-local] [--redirect-uri http://127.0.0.1:3000/]
 */

export interface CodeSignIn {
  issuer: string;
  clientId: string;
  /** The demo user to pick on the sign-in page. */
  user: string;
  redirectUri?: string;
  scope?: string;
}

export interface SignedIn {
  idToken: string;
  accessToken: string;
  refreshToken: string | undefined;
  expiresIn: number | undefined;
}

/** Plain http is allowed for the loopback provider only, as for the verifier's key fetches. */
const insecureIfLoopback = (issuer: URL) =>
  issuer.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(issuer.hostname)
    ? { [oauth.allowInsecureRequests]: true }
    : {};

export async function discover(issuer: string): Promise<oauth.AuthorizationServer> {
  const url = new URL(issuer);
  return oauth.processDiscoveryResponse(url, await oauth.discoveryRequest(url, insecureIfLoopback(url)));
}

/** A cookie jar just big enough for the provider's interaction cookies. */
function cookieJar() {
  const cookies = new Map<string, string>();
  return {
    take(response: Response) {
      for (const line of response.headers.getSetCookie()) {
        const [pair] = line.split(';', 1);
        const at = pair?.indexOf('=') ?? -1;
        if (pair && at > 0) cookies.set(pair.slice(0, at), pair.slice(at + 1));
      }
    },
    header: () => [...cookies].map(([name, value]) => `${name}=${value}`).join('; '),
  };
}

function locationOf(response: Response, base: string): URL {
  const location = response.headers.get('location');
  if (response.status < 300 || response.status > 399 || !location)
    throw new Error(`Expected a redirect, got HTTP ${response.status}.`);
  return new URL(location, base);
}

/** Signs `user` in with code + PKCE + state + nonce and returns the tokens, checked by oauth4webapi. */
export async function signInWithCode(options: CodeSignIn): Promise<SignedIn> {
  const as = await discover(options.issuer);
  const client: oauth.Client = { client_id: options.clientId };
  const redirectUri = options.redirectUri ?? 'http://127.0.0.1:3000/';
  const verifier = oauth.generateRandomCodeVerifier();
  const state = oauth.generateRandomState();
  const nonce = oauth.generateRandomNonce();
  const authorize = new URL(as.authorization_endpoint!);
  authorize.search = new URLSearchParams({
    client_id: options.clientId,
    redirect_uri: redirectUri,
    response_type: 'code',
    scope: options.scope ?? 'openid profile',
    code_challenge: await oauth.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    state,
    nonce,
  }).toString();

  const jar = cookieJar();
  const step = async (url: URL, init: RequestInit = {}) => {
    const response = await fetch(url, {
      ...init,
      redirect: 'manual',
      headers: { ...(init.headers as Record<string, string>), cookie: jar.header() },
    });
    jar.take(response);
    return locationOf(response, options.issuer);
  };
  const signInPage = await step(authorize);
  const resume = await step(signInPage, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ user: options.user }).toString(),
  });
  const callback = await step(resume);

  const params = oauth.validateAuthResponse(as, client, callback, state);
  const response = await oauth.authorizationCodeGrantRequest(
    as,
    client,
    oauth.None(),
    params,
    redirectUri,
    verifier,
    insecureIfLoopback(new URL(options.issuer)),
  );
  const tokens = await oauth.processAuthorizationCodeResponse(as, client, response, {
    expectedNonce: nonce,
    requireIdToken: true,
  });
  return {
    idToken: tokens.id_token!,
    accessToken: tokens.access_token,
    refreshToken: tokens.refresh_token,
    expiresIn: tokens.expires_in,
  };
}

/** Trades a refresh token for new tokens (the refresh token itself is rotated). */
export async function refreshTokens(
  issuer: string,
  clientId: string,
  refreshToken: string,
): Promise<SignedIn> {
  const as = await discover(issuer);
  const client: oauth.Client = { client_id: clientId };
  const response = await oauth.refreshTokenGrantRequest(
    as,
    client,
    oauth.None(),
    refreshToken,
    insecureIfLoopback(new URL(issuer)),
  );
  const tokens = await oauth.processRefreshTokenResponse(as, client, response);
  return {
    idToken: tokens.id_token!,
    accessToken: tokens.access_token,
    refreshToken: tokens.refresh_token,
    expiresIn: tokens.expires_in,
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      issuer: { type: 'string', default: 'http://127.0.0.1:3001' },
      'client-id': { type: 'string', default: 'screening-local' },
      'redirect-uri': { type: 'string', default: 'http://127.0.0.1:3000/' },
    },
  });
  const user = positionals[0] ?? 'demo-caseworker';
  signInWithCode({
    issuer: values.issuer,
    clientId: values['client-id'],
    user,
    redirectUri: values['redirect-uri'],
  }).then(
    (tokens) => console.log(tokens.idToken),
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : error);
      process.exit(1);
    },
  );
}
