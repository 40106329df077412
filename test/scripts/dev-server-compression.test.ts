import { readFileSync } from 'node:fs';
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acceptedEncoding, type RunningDevServer, startDevServer } from '../../scripts/dev-server.ts';
import { createTestStack } from '../support/stack.ts';

/**
 * Issue 19: the dev server compresses as CloudFront does in AWS (br or gzip by Accept-Encoding, br first, for
 * text-like types from 1,000 bytes), so sizes seen locally are the sizes users download.
 */

let server: RunningDevServer;

beforeAll(async () => {
  const stack = await createTestStack();
  server = await startDevServer({ deps: stack.deps, port: 0 });
});

afterAll(async () => {
  await server?.close();
});

const ROOT = join(import.meta.dirname, '..', '..');

/** A request without fetch's automatic decoding: the bytes as they crossed the wire. */
function raw(path: string, headers: Record<string, string> = {}, method = 'GET') {
  return new Promise<{ status: number; headers: IncomingHttpHeaders; body: Buffer }>((resolve, reject) => {
    const outgoing = httpRequest(`${server.url}${path}`, { method, headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () =>
        resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks) }),
      );
      response.on('error', reject);
    });
    outgoing.on('error', reject);
    outgoing.end();
  });
}

const decoders = { gzip: gunzipSync, br: brotliDecompressSync } as const;

describe('compression on the dev server', () => {
  it.each([
    ['the OpenAPI document (a Lambda result)', '/openapi.json', /^application\/json/],
    ['the Swagger UI bundle (a vendored script)', '/docs/vendor/swagger-ui-bundle.js', /javascript/],
    ['the chat page', '/', /^text\/html/],
    ['a stylesheet', '/chat/chat.css', /^text\/css/],
  ])('sends %s smaller with gzip and with br, decoding to the identical bytes', async (_, path, type) => {
    const plain = await raw(path);
    expect(plain.status).toBe(200);
    expect(plain.headers['content-type']).toMatch(type);
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.headers.vary).toMatch(/accept-encoding/i);
    expect(Number(plain.headers['content-length'])).toBe(plain.body.length);
    for (const encoding of ['gzip', 'br'] as const) {
      const packed = await raw(path, { 'accept-encoding': encoding });
      expect(packed.status).toBe(200);
      expect(packed.headers['content-encoding']).toBe(encoding);
      expect(packed.headers.vary).toMatch(/accept-encoding/i);
      expect(Number(packed.headers['content-length'])).toBe(packed.body.length);
      expect(packed.body.length).toBeLessThan(plain.body.length);
      expect(decoders[encoding](packed.body).equals(plain.body)).toBe(true);
    }
  });

  it('serves the vendored bundle byte for byte as installed', async () => {
    const packed = await raw('/docs/vendor/swagger-ui-bundle.js', { 'accept-encoding': 'br' });
    const installed = readFileSync(join(ROOT, 'node_modules', 'swagger-ui-dist', 'swagger-ui-bundle.js'));
    expect(brotliDecompressSync(packed.body).equals(installed)).toBe(true);
    // Bundles are megabytes: brotli at a fast setting still takes most of it off.
    expect(packed.body.length).toBeLessThan(installed.length / 3);
  });

  it('prefers br when both are accepted, as browsers ask (and whatever the q-values)', async () => {
    const chromium = await raw('/openapi.json', { 'accept-encoding': 'gzip, deflate, br, zstd' });
    expect(chromium.headers['content-encoding']).toBe('br');
    const weighted = await raw('/openapi.json', { 'accept-encoding': 'gzip;q=1.0, br;q=0.5' });
    expect(weighted.headers['content-encoding']).toBe('br');
    const gzipOnly = await raw('/openapi.json', { 'accept-encoding': 'gzip, br;q=0' });
    expect(gzipOnly.headers['content-encoding']).toBe('gzip');
  });

  it('does not compress when not asked, or asked only for what it does not speak', async () => {
    for (const accept of [undefined, '', 'identity', 'deflate', 'zstd', '*', 'gzip;q=0, br;q=0']) {
      const response = await raw('/openapi.json', accept === undefined ? {} : { 'accept-encoding': accept });
      expect(response.headers['content-encoding'], String(accept)).toBeUndefined();
      expect(JSON.parse(response.body.toString('utf8')).openapi).toBe('3.0.3');
    }
  });

  it('leaves small bodies and types that do not shrink alone', async () => {
    const health = await raw('/healthz', { 'accept-encoding': 'br, gzip' });
    expect(health.headers['content-encoding']).toBeUndefined();
    expect(health.body.toString()).toBe('{"ok":true}');
    const missing = await raw('/nothing-here', { 'accept-encoding': 'br, gzip' });
    expect(missing.status).toBe(404);
    expect(missing.headers['content-encoding']).toBeUndefined();
    const image = await raw('/chat/icon-512.png', { 'accept-encoding': 'br, gzip' });
    expect(image.headers['content-type']).toBe('image/png');
    expect(image.headers['content-encoding']).toBeUndefined();
    expect(image.headers.vary).toBeUndefined();
    expect(image.body.equals(readFileSync(join(ROOT, 'web', 'chat', 'icon-512.png')))).toBe(true);
  });

  it('answers HEAD with the headers GET would send, and no body', async () => {
    for (const accept of ['br', 'gzip', 'identity']) {
      const get = await raw('/docs/vendor/swagger-ui.css', { 'accept-encoding': accept });
      const head = await raw('/docs/vendor/swagger-ui.css', { 'accept-encoding': accept }, 'HEAD');
      expect(head.status).toBe(200);
      expect(head.body.length).toBe(0);
      for (const name of ['content-type', 'content-encoding', 'content-length', 'vary', 'etag'])
        expect(head.headers[name], `${accept}: ${name}`).toEqual(get.headers[name]);
    }
    const document = await raw('/openapi.json', { 'accept-encoding': 'gzip' }, 'HEAD');
    expect([document.status, document.headers['content-encoding'], document.body.length]).toEqual([
      200,
      'gzip',
      0,
    ]);
  });

  it('answers a conditional GET with 304 and no body; a compressed copy carries a weak validator', async () => {
    const plain = await raw('/chat/chat.js');
    const strong = plain.headers.etag!;
    expect(strong).toMatch(/^"[\w-]+"$/);
    const packed = await raw('/chat/chat.js', { 'accept-encoding': 'gzip' });
    expect(packed.headers.etag).toBe(`W/${strong}`);

    const unchanged = await raw('/chat/chat.js', { 'if-none-match': strong });
    expect(unchanged.status).toBe(304);
    expect(unchanged.body.length).toBe(0);
    expect(unchanged.headers.etag).toBe(strong);
    expect(unchanged.headers['content-length']).toBeUndefined();
    // A weak comparison: the compressed copy's validator still names the same bytes.
    const unchangedPacked = await raw('/chat/chat.js', {
      'accept-encoding': 'br',
      'if-none-match': `"other", ${strong}`,
    });
    expect(unchangedPacked.status).toBe(304);
    expect(unchangedPacked.headers['content-encoding']).toBeUndefined();
    expect(unchangedPacked.headers.etag).toBe(`W/${strong}`);
    expect(unchangedPacked.headers.vary).toMatch(/accept-encoding/i);
    expect((await raw('/chat/chat.js', { 'if-none-match': '*' })).status).toBe(304);

    const changed = await raw('/chat/chat.js', { 'if-none-match': '"something-else"' });
    expect(changed.status).toBe(200);
    expect(changed.body.equals(plain.body)).toBe(true);
  });

  it('keeps fetch working as before: it asks for compression and decodes it', async () => {
    const response = await fetch(`${server.url}/openapi.json`);
    expect(['gzip', 'br']).toContain(response.headers.get('content-encoding'));
    expect((await response.json()).openapi).toBe('3.0.3');
  });

  it('reads Accept-Encoding as RFC 9110 does', () => {
    expect(acceptedEncoding(undefined)).toBeNull();
    expect(acceptedEncoding('gzip')).toBe('gzip');
    expect(acceptedEncoding('GZIP')).toBe('gzip');
    expect(acceptedEncoding('br;q=0.1, gzip')).toBe('br');
    expect(acceptedEncoding('br;q=0, gzip;q=0.5')).toBe('gzip');
    expect(acceptedEncoding('br; q=0.000')).toBeNull();
    expect(acceptedEncoding(['deflate', 'gzip'])).toBe('gzip');
    expect(acceptedEncoding('x-gzip, compress')).toBeNull();
  });
});
