import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningDevServer, startDevServer } from '../../scripts/dev-server.ts';
import { createTestStack } from '../support/stack.ts';

/** Issue 19: the chat page's favicon and web app manifest, linked from the page and served as what they are. */

let server: RunningDevServer;

beforeAll(async () => {
  const stack = await createTestStack();
  server = await startDevServer({ deps: stack.deps, port: 0 });
});

afterAll(async () => {
  await server?.close();
});

interface Manifest {
  name: string;
  short_name: string;
  start_url: string;
  scope: string;
  display: string;
  theme_color: string;
  background_color: string;
  icons: { src: string; sizes: string; type: string; purpose?: string }[];
}

/** The href of the page's `<link rel="…">` (the page is ours: attributes in a known order). */
const linked = (html: string, rel: string) => new RegExp(`<link rel="${rel}" href="([^"]+)"`).exec(html)?.[1];

describe('the chat page’s favicon and manifest', () => {
  it('the page links its icon, its touch icon and its manifest, and names its theme colour', async () => {
    const html = await (await fetch(`${server.url}/`)).text();
    expect(linked(html, 'icon')).toBe('/chat/favicon.svg');
    expect(linked(html, 'apple-touch-icon')).toBe('/chat/apple-touch-icon.png');
    expect(linked(html, 'manifest')).toBe('/chat/manifest.webmanifest');
    const manifest: Manifest = await (await fetch(`${server.url}/chat/manifest.webmanifest`)).json();
    expect(html).toContain(`<meta name="theme-color" content="${manifest.theme_color}" />`);
  });

  it('serves the manifest as application/manifest+json, with what an installable app needs', async () => {
    const response = await fetch(`${server.url}/chat/manifest.webmanifest`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/manifest+json');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    const manifest: Manifest = JSON.parse(await response.text());
    expect(manifest).toMatchObject({
      name: 'CSE screening assistant',
      short_name: 'Screening',
      start_url: '/',
      scope: '/',
      display: 'standalone',
    });
    expect(manifest.short_name.length).toBeLessThanOrEqual(12);
    for (const colour of [manifest.theme_color, manifest.background_color])
      expect(colour).toMatch(/^#[0-9a-f]{6}$/);
    expect(manifest.icons.map((icon) => icon.sizes)).toEqual(
      expect.arrayContaining(['any', '192x192', '512x512']),
    );
  });

  it('every icon the manifest names resolves, with its declared type and size', async () => {
    const manifestUrl = `${server.url}/chat/manifest.webmanifest`;
    const manifest: Manifest = await (await fetch(manifestUrl)).json();
    for (const icon of manifest.icons) {
      const url = new URL(icon.src, manifestUrl);
      expect(url.origin).toBe(server.url);
      const response = await fetch(url);
      expect(response.status, icon.src).toBe(200);
      expect(response.headers.get('content-type'), icon.src).toBe(icon.type);
      const bytes = Buffer.from(await response.arrayBuffer());
      if (icon.type === 'image/png') {
        const image = PNG.sync.read(bytes);
        expect(`${image.width}x${image.height}`, icon.src).toBe(icon.sizes);
      } else {
        expect(icon.sizes).toBe('any');
        const svg = bytes.toString('utf8');
        expect(svg).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" viewBox="0 0 512 512"/);
        // Self-contained: nothing an icon would fetch.
        expect(svg).not.toMatch(/href=|url\(|<script/);
      }
    }
  });

  it('the touch icon is 180 px square and opaque (iOS fills transparency with black)', async () => {
    const response = await fetch(`${server.url}/chat/apple-touch-icon.png`);
    expect(response.headers.get('content-type')).toBe('image/png');
    const image = PNG.sync.read(Buffer.from(await response.arrayBuffer()));
    expect([image.width, image.height]).toEqual([180, 180]);
    for (let alpha = 3; alpha < image.data.length; alpha += 4) if (image.data[alpha] !== 255) expect.fail();
  });

  it('a browser asking for /favicon.ico gets the same icon, not a 404', async () => {
    const response = await fetch(`${server.url}/favicon.ico`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('image/svg+xml');
    expect(await response.text()).toBe(await (await fetch(`${server.url}/chat/favicon.svg`)).text());
  });
});
