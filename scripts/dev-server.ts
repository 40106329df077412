import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import {
  createServer,
  type IncomingMessage,
  type OutgoingHttpHeaders,
  type Server,
  type ServerResponse,
} from 'node:http';
import { extname, join, normalize } from 'node:path';
import { promisify } from 'node:util';
import { brotliCompress, gzip, constants as zlibConstants } from 'node:zlib';
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

function tooLarge(response: ServerResponse, outcome: 'too_large' | 'too_large_closed'): Promise<void> {
  const refusal = jsonResponse(413, {
    error: { code: 'payload_too_large', message: 'The request body is too large.' },
  });
  if (outcome === 'too_large_closed') {
    refusal.headers = { ...refusal.headers, connection: 'close' };
    response.shouldKeepAlive = false;
  }
  return send(response, refusal);
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

/**
 * Issue 19: compression as CloudFront does it in AWS, so what the browser downloads locally is the size it
 * will be: `br` or `gzip` by the request's Accept-Encoding (`br` when both are accepted, whatever their
 * q-values; `q=0` refuses), for the types CloudFront compresses, from 1,000 bytes to 10,000,000, never a
 * response that already has a Content-Encoding. Node's zlib at fast settings (CloudFront picks its own).
 */
const COMPRESSIBLE =
  /^(text\/|application\/(json|javascript|x-javascript|xml|xhtml\+xml|wasm)\b|image\/svg\+xml\b)/i;
const MIN_COMPRESSED_BYTES = 1_000;
const MAX_COMPRESSED_BYTES = 10_000_000;

type Encoding = 'br' | 'gzip';

const encoders: Record<Encoding, (body: Buffer) => Promise<Buffer>> = {
  br: (body) =>
    promisify(brotliCompress)(body, {
      params: {
        [zlibConstants.BROTLI_PARAM_QUALITY]: 5,
        [zlibConstants.BROTLI_PARAM_SIZE_HINT]: body.length,
      },
    }),
  gzip: (body) => promisify(gzip)(body, { level: 6 }),
};

/** The encoding a request accepts, `br` before `gzip`; null for none (or only others: deflate, zstd, `*`). */
export function acceptedEncoding(header: string | string[] | undefined): Encoding | null {
  const accepted = new Set<string>();
  for (const item of (Array.isArray(header) ? header.join(',') : (header ?? '')).split(',')) {
    const [token = '', ...parameters] = item.split(';').map((part) => part.trim().toLowerCase());
    const q = parameters.find((parameter) => /^q\s*=/.test(parameter));
    if (q !== undefined && !(Number(q.replace(/^q\s*=\s*/, '')) > 0)) continue;
    accepted.add(token);
  }
  return accepted.has('br') ? 'br' : accepted.has('gzip') ? 'gzip' : null;
}

/** Compressed static files by content and encoding: the widget and Swagger UI bundles are megabytes. */
const compressedCache = new Map<string, Buffer>();
const COMPRESSED_CACHE_ENTRIES = 32;

async function encode(body: Buffer, encoding: Encoding, cacheKey: string | undefined): Promise<Buffer> {
  const key = cacheKey === undefined ? undefined : `${encoding}:${cacheKey}`;
  const cached = key === undefined ? undefined : compressedCache.get(key);
  if (cached) return cached;
  const encoded = await encoders[encoding](body);
  if (key !== undefined) {
    if (compressedCache.size >= COMPRESSED_CACHE_ENTRIES)
      compressedCache.delete(compressedCache.keys().next().value as string);
    compressedCache.set(key, encoded);
  }
  return encoded;
}

function headerOf(headers: OutgoingHttpHeaders, name: string): string | undefined {
  for (const [key, value] of Object.entries(headers))
    if (key.toLowerCase() === name && value !== undefined) return String(value);
  return undefined;
}

function withoutHeaders(headers: OutgoingHttpHeaders, names: string[]): OutgoingHttpHeaders {
  return Object.fromEntries(Object.entries(headers).filter(([key]) => !names.includes(key.toLowerCase())));
}

/**
 * Writes a whole response, compressed when the request accepts it and the body is worth it. `etag` is the
 * uncompressed body's strong validator: a compressed body gets it as a weak one (as CloudFront does), and a
 * request whose If-None-Match already has it gets a 304. HEAD gets the headers GET would, no body.
 */
async function reply(
  response: ServerResponse,
  status: number,
  headers: OutgoingHttpHeaders,
  body: Buffer,
  etag?: string,
): Promise<void> {
  const request = response.req;
  const contentType = headerOf(headers, 'content-type') ?? '';
  const bodiless = status === 204 || status === 304 || (status >= 100 && status < 200);
  const compressible =
    !bodiless && COMPRESSIBLE.test(contentType) && headerOf(headers, 'content-encoding') === undefined;
  let encoding =
    compressible && body.length >= MIN_COMPRESSED_BYTES && body.length <= MAX_COMPRESSED_BYTES
      ? acceptedEncoding(request.headers['accept-encoding'])
      : null;
  const tagFor = (chosen: Encoding | null) =>
    etag === undefined ? undefined : chosen === null ? etag : `W/${etag}`;
  const out = withoutHeaders(headers, ['content-length', ...(compressible ? ['vary'] : [])]);
  if (compressible) {
    const vary = headerOf(headers, 'vary');
    out.vary = vary ? `${vary}, Accept-Encoding` : 'Accept-Encoding';
  }
  const validator = tagFor(encoding);
  if (
    validator !== undefined &&
    status === 200 &&
    matchesIfNoneMatch(request.headers['if-none-match'], validator)
  ) {
    response.writeHead(304, {
      ...withoutHeaders(out, ['content-type', 'content-security-policy', 'x-content-type-options']),
      etag: validator,
    });
    return void response.end();
  }
  let content = body;
  if (encoding !== null) {
    try {
      content = await encode(body, encoding, etag);
      out['content-encoding'] = encoding;
    } catch {
      encoding = null; // sent as it is rather than not at all
    }
  }
  const tag = tagFor(encoding);
  if (tag !== undefined) out.etag = tag;
  if (!bodiless) out['content-length'] = String(content.length);
  response.writeHead(status, out);
  response.end(bodiless ? undefined : content);
}

/** If-None-Match compares weakly (RFC 9110 § 13.1.2): `W/"x"` matches `"x"`; `*` matches any. */
function matchesIfNoneMatch(header: string | undefined, tag: string): boolean {
  if (header === undefined) return false;
  const opaque = (value: string) => value.trim().replace(/^W\//, '');
  return header.split(',').some((candidate) => candidate.trim() === '*' || opaque(candidate) === opaque(tag));
}

function send(response: ServerResponse, result: APIGatewayProxyStructuredResultV2): Promise<void> {
  const body = result.isBase64Encoded
    ? Buffer.from(result.body ?? '', 'base64')
    : Buffer.from(result.body ?? '', 'utf8');
  return reply(response, result.statusCode ?? 200, (result.headers ?? {}) as OutgoingHttpHeaders, body);
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

/**
 * Issue 19: the API reference (Swagger UI). Scripts from 'self' only (the bundle and our initializer, no
 * inline script); Swagger UI sets inline styles and draws a few icons as data: URIs; its requests (the
 * document, "Try it out") go to this origin only.
 */
const API_DOCS_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/**
 * Issue 17: the board's chart library, and (issue 18) the OAuth client library of the sign-in, from the
 * installed packages, under the page's own origin (its CSP allows scripts from 'self' only); issue 19: the
 * two files of Swagger UI the API reference needs. Only these exact paths: nothing else under node_modules
 * is served.
 */
const MODULES = join(import.meta.dirname, '..', 'node_modules');
const VENDORED: Record<string, string> = {
  '/chat/vendor/chart.umd.js': join(MODULES, 'chart.js', 'dist', 'chart.umd.js'),
  '/chat/vendor/oauth4webapi.js': join(MODULES, 'oauth4webapi', 'build', 'index.js'),
  '/docs/vendor/swagger-ui-bundle.js': join(MODULES, 'swagger-ui-dist', 'swagger-ui-bundle.js'),
  '/docs/vendor/swagger-ui.css': join(MODULES, 'swagger-ui-dist', 'swagger-ui.css'),
};

/** The file under web/ a path names (before the check that it stays under web/). */
function webPath(path: string): string {
  if (path === '/') return 'chat/index.html';
  // Issue 19: the chat page links its icon; a browser that asks for /favicon.ico anyway gets the same one.
  if (path === '/favicon.ico') return 'chat/favicon.svg';
  if (path === '/docs/') return 'api-docs/index.html';
  if (path.startsWith('/docs/')) return `api-docs/${path.slice('/docs/'.length)}`;
  // Issue 20: the built frame.html, which names frame.js by its content version (the source page does not).
  if (path === '/widget/widget.js' || path === '/widget/frame.js' || path === '/widget/frame.html')
    return `widget/dist/${path.slice('/widget/'.length)}`;
  if (path === '/tablet/') return 'tablet/dist/index.html';
  if (path.startsWith('/tablet/')) return `tablet/dist/${path.slice('/tablet/'.length)}`;
  return path.replace(/^\/+/, '');
}

function policyFor(relative: string | null, oidc: DevServerOptions['oidc']): string {
  if (relative === 'widget/dist/frame.html') return widgetFramePolicy(oidc);
  if (relative?.startsWith('widget/')) return WIDGET_CSP;
  // issue 18: the tablet also trades its code at the provider
  if (relative === 'chat/index.html' || relative === 'tablet/dist/index.html') return chatPagePolicy(oidc);
  if (relative === 'api-docs/index.html') return API_DOCS_CSP;
  return "default-src 'self'; frame-ancestors 'none'";
}

/** As scripts/build-widget.ts names frame.js (the first characters of the same SHA-256, base64url). */
const CONTENT_VERSION_CHARS = 16;

/**
 * Issue 20: how long a browser may keep a file. The widget's frame script, asked for by its content version
 * (`/widget/frame.js?v=…`, written into frame.html by scripts/build-widget.ts), never changes under that
 * address: kept for a year without asking again, so the chat's second opening reads its 2 MB from the
 * cache. Only a `v` that matches the bytes served counts, so a stale or made-up version is never pinned. The
 * loader and frame.html (which names the version) are revalidated on every use (their ETag answers 304), as
 * the deployment serves the whole widget (infra/web-hosting.ts, `no-cache`): a deploy reaches every host
 * page at once. Everything else stays `no-store`.
 */
const WIDGET_REVALIDATED = new Set([
  'widget/dist/widget.js',
  'widget/dist/frame.js',
  'widget/dist/frame.html',
]);
function cacheControlFor(relative: string | null, version: string | null, digest: string): string {
  if (relative === 'widget/dist/frame.js' && version === digest.slice(0, CONTENT_VERSION_CHARS))
    return 'public, max-age=31536000, immutable';
  return relative !== null && WIDGET_REVALIDATED.has(relative) ? 'no-cache' : 'no-store';
}

async function serveStatic(
  response: ServerResponse,
  webDir: string,
  path: string,
  oidc: DevServerOptions['oidc'],
  version: string | null = null,
): Promise<boolean> {
  const relative = Object.hasOwn(VENDORED, path) ? null : webPath(path);
  const file = relative === null ? VENDORED[path]! : normalize(join(webDir, relative));
  if (relative !== null && !file.startsWith(normalize(webDir))) return false;
  if (!(extname(file) in contentTypes)) return false;
  let content: Buffer;
  try {
    content = await readFile(file);
  } catch {
    return false;
  }
  // A strong validator from the bytes (S3 gives CloudFront one); a compressed copy carries it weakly.
  const digest = createHash('sha256').update(content).digest('base64url');
  const etag = `"${digest.slice(0, 27)}"`;
  await reply(
    response,
    200,
    {
      'content-type': contentTypes[extname(file)]!,
      'content-security-policy': policyFor(relative, oidc),
      'x-content-type-options': 'nosniff',
      'cache-control': cacheControlFor(relative, version, digest),
    },
    content,
    etag,
  );
  return true;
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
      // What is only read (the document, the pages and their files) answers HEAD as GET, without the body.
      const reading = method === 'GET' || method === 'HEAD';
      if (reading && url.pathname === '/openapi.json')
        return await send(response, jsonResponse(200, openApiDocument()));
      if (reading && url.pathname === '/healthz')
        return await send(response, jsonResponse(200, { ok: true }));
      if (reading && url.pathname === '/docs') {
        response.writeHead(308, { location: '/docs/', 'cache-control': 'no-store' });
        return void response.end();
      }
      if (reading && url.pathname === '/auth/config')
        return await send(
          response,
          jsonResponse(200, {
            issuer: options.oidc?.issuer ?? null,
            clientId: options.oidc?.clientId ?? null,
          }),
        );
      if (url.pathname === '/api/messages' && options.teamsMessages) {
        if (method !== 'POST')
          return await send(response, errorResponse(new MethodNotAllowedError(['POST'])));
        const body = await readBody(request);
        if (typeof body === 'string') return await tooLarge(response, body);
        const spec = { method: 'POST', path: '/api/messages' } as const;
        return await send(
          response,
          await options.teamsMessages(toApiEvent(request, url, body, spec, undefined)),
        );
      }
      const matches = matchRoute(url.pathname);
      if (matches.length === 0) {
        if (
          reading &&
          (await serveStatic(response, webDir, url.pathname, options.oidc, url.searchParams.get('v')))
        )
          return;
        return await send(response, errorResponse(new RouteNotFoundError()));
      }
      const match = matches.find((candidate) => candidate.spec.method === method);
      if (!match)
        return await send(
          response,
          errorResponse(new MethodNotAllowedError(matches.map((m) => m.spec.method))),
        );
      if (match.malformed) {
        await readBody(request);
        return await send(
          response,
          jsonResponse(400, {
            error: { code: 'invalid_request', message: 'The path is not validly percent-encoded.' },
          }),
        );
      }
      const body = await readBody(request);
      if (typeof body === 'string') return await tooLarge(response, body);
      const event = toApiEvent(request, url, body, match.spec, match.id);
      await send(response, await handlers[match.spec.name]!(event));
    } catch {
      if (!response.headersSent)
        await send(
          response,
          jsonResponse(500, { error: { code: 'internal_error', message: 'Dev server error.' } }),
        ).catch(() => response.destroy());
    }
  });
  // A busy port rejects here (EADDRINUSE), so `npm start` can say which port in one line.
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
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
