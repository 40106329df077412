import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, type JWTPayload, SignJWT } from 'jose';

/**
 * Bot Framework's side of a Teams conversation, on loopback: the OpenID metadata and signing keys (with
 * channel endorsements) that incoming tokens are checked against, and a Connector REST API that records
 * every reply and proactive message the bot sends. It speaks the real protocol, so the bot cannot tell.
 */
export interface ReceivedActivity {
  method: string;
  path: string;
  authorization: string | undefined;
  body: Record<string, unknown>;
}

export interface BotFrameworkFake {
  url: string;
  openIdMetadataUrl: string;
  /** The service URL activities claim to come from; replies to it land in `received`. */
  serviceUrl: string;
  issuer: string;
  received: ReceivedActivity[];
  /** Answer the next `count` connector calls with 429 and this Retry-After. */
  throttleNext(count: number, retryAfterSeconds: number): void;
  /** A channel token for the bot, as Bot Framework signs them; every claim can be overridden for negative tests. */
  tokenFor(
    appId: string,
    overrides?: JWTPayload,
    options?: { kid?: string; unlistedKey?: boolean },
  ): Promise<string>;
  close(): Promise<void>;
}

async function readJson(request: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
  } catch {
    return {};
  }
}

export async function startBotFrameworkFake(): Promise<BotFrameworkFake> {
  const teamsKey = await generateKeyPair('RS256', { extractable: true });
  const webchatKey = await generateKeyPair('RS256', { extractable: true });
  const impostor = await generateKeyPair('RS256', { extractable: true });
  const received: ReceivedActivity[] = [];
  let throttled = 0;
  let retryAfter = 1;
  let base = '';
  const issuer = 'https://api.botframework.com';

  const server: Server = createServer(async (request, response) => {
    const path = new URL(request.url ?? '/', 'http://127.0.0.1').pathname;
    const json = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      response.writeHead(status, { 'content-type': 'application/json', ...headers });
      response.end(JSON.stringify(body));
    };
    if (request.method === 'GET' && path === '/v1/.well-known/openidconfiguration') {
      return json(200, {
        issuer,
        jwks_uri: `${base}/v1/.well-known/keys`,
        id_token_signing_alg_values_supported: ['RS256'],
      });
    }
    if (request.method === 'GET' && path === '/v1/.well-known/keys') {
      return json(200, {
        keys: [
          {
            ...(await exportJWK(teamsKey.publicKey)),
            kid: 'teams-key',
            use: 'sig',
            endorsements: ['msteams', 'emulator'],
          },
          {
            ...(await exportJWK(webchatKey.publicKey)),
            kid: 'webchat-key',
            use: 'sig',
            endorsements: ['webchat'],
          },
        ],
      });
    }
    // Real service URLs carry a path (…/amer/, …/teams/); the Connector API lives under it.
    if (request.method === 'POST' && /\/v3\/conversations\//.test(path)) {
      const body = await readJson(request);
      if (throttled > 0) {
        throttled -= 1;
        return json(429, { error: { code: 'Throttled' } }, { 'retry-after': String(retryAfter) });
      }
      received.push({ method: request.method, path, authorization: request.headers.authorization, body });
      return json(200, { id: `sent-${received.length}` });
    }
    json(404, { error: { code: 'NotFound' } });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url: base,
    openIdMetadataUrl: `${base}/v1/.well-known/openidconfiguration`,
    serviceUrl: `${base}/teams/`,
    issuer,
    received,
    throttleNext(count, seconds) {
      throttled = count;
      retryAfter = seconds;
    },
    async tokenFor(appId, overrides = {}, options = {}) {
      const now = Math.floor(Date.now() / 1000);
      const kid = options.kid ?? 'teams-key';
      const key = options.unlistedKey ? impostor : kid === 'webchat-key' ? webchatKey : teamsKey;
      return new SignJWT({
        iss: issuer,
        aud: appId,
        iat: now,
        nbf: now,
        exp: now + 3600,
        serviceurl: `${base}/teams/`,
        ...overrides,
      })
        .setProtectedHeader({ alg: 'RS256', kid, typ: 'JWT' })
        .sign(key.privateKey);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
