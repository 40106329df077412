import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { extname, join, normalize } from 'node:path';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { openApiDocument } from '#functions/api/openapi.ts';
import { routeHandlers } from '#functions/api/route-handlers.ts';
import { type RouteSpec, routes } from '#functions/api/routes.ts';
import { MethodNotAllowedError, RouteNotFoundError } from '#functions/http/errors.ts';
import { type HandlerDeps, lambdaHandler } from '#functions/http/handler.ts';
import { errorResponse, jsonResponse } from '#functions/http/response.ts';
import { apiGatewayEvent } from './api-gateway-event.ts';

export interface DevServerOptions {
  deps: HandlerDeps;
  /** Port on 127.0.0.1; 0 picks a free one. */
  port?: number;
  /** The Teams bot's handler for `POST /api/messages` (it checks Bot Framework tokens itself). */
  teamsMessages?: (event: APIGatewayProxyEventV2) => Promise<APIGatewayProxyStructuredResultV2>;
  /**
   * Issue 18: the OpenID provider and app client the chat page, the tablet app and the widget's frame sign in
   * with (authorization code + PKCE), served at /auth/config; those pages may then call the provider's
   * endpoints (CSP connect-src).
   */
  oidc?: { issuer: string; clientId: string };
  webDir?: string;
}

export interface RunningDevServer {
  url: string;
  close(): Promise<void>;
}

/** API Gateway caps payloads at 10 MB; the dev server stops reading far earlier, the handlers earlier still. */
const MAX_READ_BYTES = 1024 * 1024;

/** Past this, a too-large body is not drained but the connection closed (said so with `connection: close`). */
const MAX_DRAIN_BYTES = 16 * 1024 * 1024;

/** A path segment as API Gateway would pass it, or null when its percent-encoding is broken (`%ZZ`). */
function decodeSegment(segment: string): string | null {
  try {
    return decodeURIComponent(segment);
  } catch {
    return null;
  }
}

function matchRoute(path: string): { spec: RouteSpec; id?: string; malformed?: true }[] {
  const matches: { spec: RouteSpec; id?: string; malformed?: true }[] = [];
  for (const spec of routes) {
    const pattern = new RegExp(`^${spec.path.replace('{id}', '([^/]+)')}$`);
    const found = pattern.exec(path);
    if (!found) continue;
    if (found[1] === undefined) {
      matches.push({ spec });
      continue;
    }
    const id = decodeSegment(found[1]);
    matches.push(id === null ? { spec, malformed: true } : { spec, id });
  }
  return matches;
}

/**
 * The body, or `too_large`. Issue 18: a body over the limit is still read to its end (and thrown away) up to
 * MAX_DRAIN_BYTES, so the 413 goes back on a connection that stays usable; stopping mid-body reset it.
 */
async function readBody(request: IncomingMessage): Promise<Buffer | 'too_large' | 'too_large_closed'> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_DRAIN_BYTES) return 'too_large_closed';
    if (size <= MAX_READ_BYTES) chunks.push(chunk as Buffer);
  }
  return size > MAX_READ_BYTES ? 'too_large' : Buffer.concat(chunks);
}

function tooLarge(response: ServerResponse, outcome: 'too_large' | 'too_large_closed'): void {
  const refusal = jsonResponse(413, {
    error: { code: 'payload_too_large', message: 'The request body is too large.' },
  });
  if (outcome === 'too_large_closed') {
    refusal.headers = { ...refusal.headers, connection: 'close' };
    response.shouldKeepAlive = false;
  }
  send(response, refusal);
}

function toApiEvent(
  request: IncomingMessage,
  url: URL,
  body: Buffer,
  spec: Pick<RouteSpec, 'method' | 'path'>,
  id: string | undefined,
): APIGatewayProxyEventV2 {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(',') : value;
  }
  const query: Record<string, string> = {};
  for (const [name, value] of url.searchParams)
    query[name] = name in query ? `${query[name]},${value}` : value;
  const isText = /^(application\/json|text\/)/i.test(headers['content-type'] ?? '');
  return apiGatewayEvent({
    route: spec,
    ...(id === undefined ? {} : { id }),
    headers,
    query,
    ...(body.length > 0
      ? { body: isText ? body.toString('utf8') : body.toString('base64'), isBase64Encoded: !isText }
      : {}),
    sourceIp: request.socket.remoteAddress ?? '127.0.0.1',
  });
}

function send(response: ServerResponse, result: APIGatewayProxyStructuredResultV2): void {
  response.writeHead(result.statusCode ?? 200, result.headers as Record<string, string>);
  response.end(result.isBase64Encoded ? Buffer.from(result.body ?? '', 'base64') : (result.body ?? ''));
}

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.webmanifest': 'application/manifest+json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};

/** Web Chat and Adaptive Cards style their elements inline, so the widget's pages allow inline styles. */
const WIDGET_CSP =
  "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'";

/**
 * Issue 18: the widget's frame page, the one page that may be framed: by the demo pages ('self') and, on
 * this loopback-only server, by a shelter's page under development on any local port. The frame signs in
 * with code + PKCE, so it may also call the identity provider (discovery, token and revocation endpoints).
 */
function widgetFramePolicy(oidc: DevServerOptions['oidc']): string {
  const connect = oidc ? `; connect-src 'self' ${new URL(oidc.issuer).origin}` : '';
  return `default-src 'self'${connect}; style-src 'self' 'unsafe-inline'; img-src 'self' data:; base-uri 'none'; form-action 'self'; frame-ancestors 'self' http://127.0.0.1:* http://localhost:*`;
}

/** The chat page's own CSP: scripts from 'self' only; requests also to the identity provider, if one is set. */
function chatPagePolicy(oidc: DevServerOptions['oidc']): string {
  const connect = oidc ? `; connect-src 'self' ${new URL(oidc.issuer).origin}` : '';
  return `default-src 'self'${connect}; frame-ancestors 'none'`;
}

async function serveStatic(
  response: ServerResponse,
  webDir: string,
  path: string,
  oidc: DevServerOptions['oidc'],
): Promise<boolean> {
  // Issue 17: the board's chart library, and (issue 18) the OAuth client library of the sign-in, from the
  // installed packages, under the page's own origin (its CSP allows scripts from 'self' only). Only these
  // exact paths: nothing else under node_modules is served.
  const modules = join(import.meta.dirname, '..', 'node_modules');
  const vendored: Record<string, string> = {
    '/chat/vendor/chart.umd.js': join(modules, 'chart.js', 'dist', 'chart.umd.js'),
    '/chat/vendor/oauth4webapi.js': join(modules, 'oauth4webapi', 'build', 'index.js'),
  };
  const relative = Object.hasOwn(vendored, path)
    ? null
    : path === '/'
      ? 'chat/index.html'
      : path === '/widget/widget.js' || path === '/widget/frame.js'
        ? `widget/dist/${path.slice('/widget/'.length)}`
        : path === '/tablet/'
          ? 'tablet/dist/index.html'
          : path.startsWith('/tablet/')
            ? `tablet/dist/${path.slice('/tablet/'.length)}`
            : path.replace(/^\/+/, '');
  const file = relative === null ? vendored[path]! : normalize(join(webDir, relative));
  if (relative !== null && !file.startsWith(normalize(webDir))) return false;
  if (!(extname(file) in contentTypes)) return false;
  try {
    const content = await readFile(file);
    response.writeHead(200, {
      'content-type': contentTypes[extname(file)]!,
      'content-security-policy':
        relative === 'widget/frame.html'
          ? widgetFramePolicy(oidc)
          : relative?.startsWith('widget/')
            ? WIDGET_CSP
            : relative === 'chat/index.html' || relative === 'tablet/dist/index.html'
              ? chatPagePolicy(oidc) // issue 18: the tablet also trades its code at the provider
              : "default-src 'self'; frame-ancestors 'none'",
      'x-content-type-options': 'nosniff',
      'cache-control': 'no-store',
    });
    response.end(content);
    return true;
  } catch {
    return false;
  }
}

/** One HTTP server on 127.0.0.1 that turns requests into the API Gateway v2 events Lambda would get. */
export async function startDevServer(options: DevServerOptions): Promise<RunningDevServer> {
  const webDir = options.webDir ?? join(import.meta.dirname, '..', 'web');
  const handlers = Object.fromEntries(
    routes.map((spec) => [spec.name, lambdaHandler(spec.name, routeHandlers[spec.name], () => options.deps)]),
  );
  const server: Server = createServer(async (request, response) => {
    try {
      const url = new URL(request.url ?? '/', 'http://127.0.0.1');
      const method = request.method ?? 'GET';
      if (method === 'GET' && url.pathname === '/openapi.json')
        return send(response, jsonResponse(200, openApiDocument()));
      if (method === 'GET' && url.pathname === '/healthz')
        return send(response, jsonResponse(200, { ok: true }));
      if (method === 'GET' && url.pathname === '/auth/config')
        return send(
          response,
          jsonResponse(200, {
            issuer: options.oidc?.issuer ?? null,
            clientId: options.oidc?.clientId ?? null,
          }),
        );
      if (url.pathname === '/api/messages' && options.teamsMessages) {
        if (method !== 'POST') return send(response, errorResponse(new MethodNotAllowedError(['POST'])));
        const body = await readBody(request);
        if (typeof body === 'string') return tooLarge(response, body);
        const spec = { method: 'POST', path: '/api/messages' } as const;
        return send(response, await options.teamsMessages(toApiEvent(request, url, body, spec, undefined)));
      }
      const matches = matchRoute(url.pathname);
      if (matches.length === 0) {
        if (method === 'GET' && (await serveStatic(response, webDir, url.pathname, options.oidc))) return;
        return send(response, errorResponse(new RouteNotFoundError()));
      }
      const match = matches.find((candidate) => candidate.spec.method === method);
      if (!match)
        return send(response, errorResponse(new MethodNotAllowedError(matches.map((m) => m.spec.method))));
      if (match.malformed) {
        await readBody(request);
        return send(
          response,
          jsonResponse(400, {
            error: { code: 'invalid_request', message: 'The path is not validly percent-encoded.' },
          }),
        );
      }
      const body = await readBody(request);
      if (typeof body === 'string') return tooLarge(response, body);
      const event = toApiEvent(request, url, body, match.spec, match.id);
      send(response, await handlers[match.spec.name]!(event));
    } catch {
      if (!response.headersSent)
        send(
          response,
          jsonResponse(500, { error: { code: 'internal_error', message: 'Dev server error.' } }),
        );
    }
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
