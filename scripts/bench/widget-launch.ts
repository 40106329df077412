import type { BrowserContext, CDPSession, Page } from 'playwright-core';
import type { HandlerDeps } from '#functions/http/handler.ts';
import { launchChromium } from '../../test/support/browser.ts';
import { buildWidget } from '../build-widget.ts';
import { startDevIdentityProvider } from '../dev-identity.ts';
import { startDevServer } from '../dev-server.ts';
import { round, summarize } from './stats.ts';

/**
 * Issue 20, item 8: what a shelter's page pays for the widget before the screener asks for it, and how long
 * the chat then takes. The widget is built and served by the dev server (its compression and cache headers
 * are the deployment's), on 127.0.0.1, and opened in headless Chromium on the demo page:
 *
 * - the launcher's bytes: built (raw, gzip) and as transferred (the server's own encoding);
 * - the button's first paint: from navigation start to the first frame painted after the button is in the
 *   DOM (a rAF, then a task), and the Element Timing API's render time of its text where Chromium gives it;
 * - press → the chat's sign-in button interactive (its link has its address, i.e. the provider was found),
 *   cold (a new browser profile) and warm (the same profile, another visit to the page: the frame's
 *   script from the HTTP cache), with the bytes the opening transferred;
 * - for comparison, the chat opened with the page (as before issue 20, and as after a reload while open):
 *   navigation start → the sign-in button, cold.
 *
 * Loopback makes transfer free, so each is measured twice: on loopback, and on an emulated office link
 * (DevTools network conditions). Medians over interleaved rounds, so a busy moment slows each alike.
 */

export interface NetworkProfile {
  name: string;
  /** Round-trip time added to each request, ms; throughput in bytes per second (-1: no limit). */
  latencyMs: number;
  downloadBps: number;
  uploadBps: number;
}

export const NETWORKS: NetworkProfile[] = [
  { name: 'loopback', latencyMs: 0, downloadBps: -1, uploadBps: -1 },
  // A shelter's intake desk on ordinary office broadband, shared: 10 Mbit/s down, 2 up, 40 ms away.
  { name: 'office link 10 Mbit/s, 40 ms', latencyMs: 40, downloadBps: 10e6 / 8, uploadBps: 2e6 / 8 },
];

export interface LaunchTimes {
  network: string;
  /** Navigation start → the button painted. */
  buttonPaintMs: number;
  /** Element Timing's render time of the button's text (null where not reported). */
  buttonElementTimingMs: number | null;
  /** The host page's own first contentful paint, for reference: the button comes with the page. */
  pageFirstPaintMs: number;
  coldOpenMs: number;
  warmOpenMs: number;
  /** Warm / cold: what the cache saves (below 1 is faster). */
  warmToColdRatio: number;
  /** Navigation start → sign-in button, when the chat is opened with the page (the former behaviour). */
  openWithPageMs: number;
  /** Button paint / that: how much sooner the host page has something to press. */
  buttonToOpenWithPageRatio: number;
  /** Bytes transferred from the deployment while opening (the frame page, its script, its settings). */
  coldOpenTransferBytes: number;
  warmOpenTransferBytes: number;
}

export interface WidgetLaunchResults {
  runs: number;
  loader: { bytes: number; gzipBytes: number; transferredBytes: number; encoding: string };
  frame: { bytes: number; gzipBytes: number };
  /** Whether anything of the frame was asked for before the press, in any round. */
  frameRequestedBeforePress: boolean;
  networks: LaunchTimes[];
}

const DEMO = '/widget/demo.html';
const LAUNCHER = 'button.cse-widget-launch';
const FRAME = 'iframe.cse-widget-frame';

/**
 * Put into every frame before its own scripts: marks in epoch milliseconds (timeOrigin + now, comparable
 * across the host page and the frame). On the host: the button painted, its element timing, the press.
 * In the frame: the sign-in link interactive. Plain JavaScript text: a function would be passed as its
 * source, with the helpers tsx adds to it, which the page does not have.
 */
const INSTRUMENT = `(() => {
  const bench = (window.__bench = {});
  const now = () => performance.timeOrigin + performance.now();
  const mark = (name) => { bench[name] ??= now(); };
  // The first frame painted after the selector matches: a rAF runs before that paint, a task after it.
  const whenPainted = (selector, name) => {
    const check = () => {
      if (!document.querySelector(selector)) return false;
      requestAnimationFrame(() => setTimeout(() => mark(name), 0));
      return true;
    };
    if (check()) return;
    const watch = new MutationObserver(() => { if (check()) watch.disconnect(); });
    watch.observe(document, { childList: true, subtree: true, attributes: true });
  };
  if (window.top === window) {
    whenPainted('${LAUNCHER}', 'buttonPainted');
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries())
        if (entry.renderTime > 0) bench.buttonElementTiming ??= performance.timeOrigin + entry.renderTime;
    }).observe({ type: 'element', buffered: true });
    document.addEventListener('click', (event) => {
      if (event.target?.closest?.('${LAUNCHER}')) mark('pressed');
    }, true);
  } else {
    whenPainted('a.cse-widget__signin[href]', 'signInReady');
  }
})();`;

async function marks(page: Page): Promise<Record<string, number>> {
  return page.evaluate(() => ({
    ...(window as unknown as { __bench: Record<string, number> }).__bench,
    timeOrigin: performance.timeOrigin,
  }));
}

async function frameMarks(page: Page): Promise<Record<string, number>> {
  const frame = await (await page.locator(FRAME).elementHandle())?.contentFrame();
  if (!frame) throw new Error('no widget frame');
  await frame.waitForFunction(
    () => (window as unknown as { __bench: { signInReady?: number } }).__bench.signInReady,
  );
  return frame.evaluate(() => (window as unknown as { __bench: Record<string, number> }).__bench);
}

/** Bytes the frame's document and its requests to the deployment transferred (0 when read from the cache). */
async function frameTransfer(page: Page): Promise<number> {
  const frame = await (await page.locator(FRAME).elementHandle())?.contentFrame();
  if (!frame) throw new Error('no widget frame');
  return frame.evaluate(() =>
    [...performance.getEntriesByType('navigation'), ...performance.getEntriesByType('resource')]
      .filter((entry) => new URL(entry.name).origin === location.origin)
      .reduce((sum, entry) => sum + (entry as PerformanceResourceTiming).transferSize, 0),
  );
}

async function newPage(
  context: BrowserContext,
  network: NetworkProfile,
): Promise<{ page: Page; cdp: CDPSession }> {
  const page = await context.newPage();
  await page.addInitScript({ content: INSTRUMENT });
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', {
    offline: false,
    latency: network.latencyMs,
    downloadThroughput: network.downloadBps,
    uploadThroughput: network.uploadBps,
  });
  return { page, cdp };
}

interface Round {
  buttonPaintMs: number;
  buttonElementTimingMs: number | null;
  pageFirstPaintMs: number;
  coldOpenMs: number;
  warmOpenMs: number;
  coldBytes: number;
  warmBytes: number;
  openWithPageMs: number;
  frameBeforePress: boolean;
  loaderTransferred: number;
  loaderEncoding: string;
}

/** Visits the demo page, checks nothing of the frame came, presses, and times the chat's sign-in. */
async function visitAndOpen(page: Page, base: string) {
  await page.goto(`${base}${DEMO}`);
  await page.waitForFunction(
    () => (window as unknown as { __bench: { buttonPainted?: number } }).__bench.buttonPainted,
  );
  const before = await page.evaluate(() =>
    performance.getEntriesByType('resource').some((entry) => entry.name.includes('/widget/frame.')),
  );
  const host = await marks(page);
  const loader = await page.evaluate(() => {
    const entry = performance
      .getEntriesByType('resource')
      .find((found) => found.name.endsWith('/widget/widget.js')) as PerformanceResourceTiming;
    return {
      transferred: entry.transferSize,
      encoded: entry.encodedBodySize,
      decoded: entry.decodedBodySize,
    };
  });
  await page.locator(LAUNCHER).click();
  const inFrame = await frameMarks(page);
  const pressed = (await marks(page)).pressed!;
  return {
    frameBeforePress: before,
    buttonPaintMs: host.buttonPainted! - host.timeOrigin!,
    buttonElementTimingMs:
      host.buttonElementTiming === undefined ? null : host.buttonElementTiming - host.timeOrigin!,
    pageFirstPaintMs: await page.evaluate(
      () => performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? Number.NaN,
    ),
    openMs: inFrame.signInReady! - pressed,
    bytes: await frameTransfer(page),
    loader,
  };
}

async function oneRound(
  context: () => Promise<BrowserContext>,
  base: string,
  network: NetworkProfile,
): Promise<Round> {
  // Cold, then warm in the same profile: another visit (not a reload, which would open the chat by itself).
  const profile = await context();
  const { page } = await newPage(profile, network);
  const cold = await visitAndOpen(page, base);
  const warm = await visitAndOpen(page, base);
  await profile.close();

  // The chat opened with the page, cold: a reload of a page where it was open (the flag is what the loader
  // itself would have kept), the frame not yet in this profile's cache.
  const fresh = await context();
  const { page: again } = await newPage(fresh, network);
  await again.goto(`${base}${DEMO}`);
  await again.evaluate(() => sessionStorage.setItem('cse-widget.was-open', '1'));
  await again.reload();
  const inFrame = await frameMarks(again);
  const host = await marks(again);
  await fresh.close();

  return {
    buttonPaintMs: cold.buttonPaintMs,
    buttonElementTimingMs: cold.buttonElementTimingMs,
    pageFirstPaintMs: cold.pageFirstPaintMs,
    coldOpenMs: cold.openMs,
    warmOpenMs: warm.openMs,
    coldBytes: cold.bytes,
    warmBytes: warm.bytes,
    openWithPageMs: inFrame.signInReady! - host.timeOrigin!,
    frameBeforePress: cold.frameBeforePress || warm.frameBeforePress,
    loaderTransferred: cold.loader.transferred,
    loaderEncoding: cold.loader.encoded < cold.loader.decoded ? 'compressed' : 'identity',
  };
}

const median = (values: number[]) => round(summarize(values).median, 1);

export async function measureWidgetLaunch(runs: number): Promise<WidgetLaunchResults> {
  const built = await buildWidget();
  const idp = await startDevIdentityProvider({ audience: 'screening-bench' });
  // Only the widget's files, /auth/config and the provider are used: no API route is called, so no handler
  // ever reads these dependencies.
  const unused = new Proxy({} as HandlerDeps, {
    get: (_target, name) => {
      throw new Error(`the widget bench called the API (${String(name)})`);
    },
  });
  const server = await startDevServer({
    deps: unused,
    port: 0,
    oidc: { issuer: idp.issuer, clientId: idp.clientId },
  });
  const browser = await launchChromium();
  try {
    const context = () => browser.newContext({ viewport: { width: 1000, height: 900 } });
    // One unmeasured round first: the server's compressed copies and Chromium's own start-up.
    for (const network of NETWORKS) await oneRound(context, server.url, network);
    const rounds = new Map<string, Round[]>(NETWORKS.map((network) => [network.name, []]));
    for (let run = 0; run < runs; run += 1)
      for (const network of NETWORKS)
        rounds.get(network.name)!.push(await oneRound(context, server.url, network));

    const all = [...rounds.values()].flat();
    const encoding = await fetch(`${server.url}/widget/widget.js`, {
      headers: { 'accept-encoding': 'br, gzip' },
    });
    await encoding.arrayBuffer();
    return {
      runs,
      loader: {
        bytes: built.bytes,
        gzipBytes: built.gzipBytes,
        transferredBytes: median(all.map((round) => round.loaderTransferred)),
        encoding: encoding.headers.get('content-encoding') ?? 'identity',
      },
      frame: { bytes: built.frame.bytes, gzipBytes: built.frame.gzipBytes },
      frameRequestedBeforePress: all.some((round) => round.frameBeforePress),
      networks: NETWORKS.map((network) => {
        const of = rounds.get(network.name)!;
        const pick = (key: keyof Round) => median(of.map((round) => round[key] as number));
        const timings = of.map((round) => round.buttonElementTimingMs).filter((value) => value !== null);
        const coldOpenMs = pick('coldOpenMs');
        const warmOpenMs = pick('warmOpenMs');
        const buttonPaintMs = pick('buttonPaintMs');
        const openWithPageMs = pick('openWithPageMs');
        return {
          network: network.name,
          buttonPaintMs,
          buttonElementTimingMs: timings.length > 0 ? median(timings) : null,
          pageFirstPaintMs: pick('pageFirstPaintMs'),
          coldOpenMs,
          warmOpenMs,
          warmToColdRatio: round(warmOpenMs / coldOpenMs, 3),
          openWithPageMs,
          buttonToOpenWithPageRatio: round(buttonPaintMs / openWithPageMs, 3),
          coldOpenTransferBytes: pick('coldBytes'),
          warmOpenTransferBytes: pick('warmBytes'),
        };
      }),
    };
  } finally {
    await browser.close();
    await server.close();
    await idp.close();
  }
}

/** The printed table's lines. */
export function describeWidgetLaunch(results: WidgetLaunchResults): string {
  const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
  const ms = (value: number | null) => (value === null ? '—' : `${value.toFixed(0)} ms`);
  const { loader, frame } = results;
  return `Widget launcher in headless Chromium (medians of ${results.runs} interleaved rounds; demo page on the dev server)
  loader widget.js  ${kb(loader.bytes)} raw   ${kb(loader.gzipBytes)} gzip   ${kb(loader.transferredBytes)} transferred (${loader.encoding})
  frame  frame.js   ${kb(frame.bytes)} raw   ${kb(frame.gzipBytes)} gzip   (only after the press; frame asked for before it: ${results.frameRequestedBeforePress})
${results.networks
  .map(
    (n) => `  ${n.network}
    button painted ${ms(n.buttonPaintMs)} after navigation start (element timing ${ms(n.buttonElementTimingMs)}; the page's first contentful paint ${ms(n.pageFirstPaintMs)})
    press → sign-in button: cold ${ms(n.coldOpenMs)} (${kb(n.coldOpenTransferBytes)} transferred), warm ${ms(n.warmOpenMs)} (${kb(n.warmOpenTransferBytes)}), warm / cold ${n.warmToColdRatio}
    chat opened with the page (before issue 20): sign-in button ${ms(n.openWithPageMs)} after navigation start; button / that ${n.buttonToOpenWithPageRatio}`,
  )
  .join('\n')}`;
}
