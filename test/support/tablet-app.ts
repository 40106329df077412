import type { Browser } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { type BuiltTablet, buildTablet } from '../../scripts/build-tablet.ts';
import { type RunningDevServer, startDevServer } from '../../scripts/dev-server.ts';
import { launchChromium } from './browser.ts';
import { type NetworkGate, startNetworkGate } from './network-gate.ts';
import { createTestStack, type TestStack } from './stack.ts';

/**
 * What every browser test of the tablet app runs against: the API on DynamoDB Local with the real clock (the
 * tablet stamps answers with its own), the freshly built app on the dev server signing in with code + PKCE
 * at the local provider, Chromium, and, where a test takes the tablet offline, a loopback relay it can cut.
 */
export interface TabletApp {
  stack: TestStack;
  server: RunningDevServer;
  browser: Browser;
  /** Present when asked for: the relay the tablet reaches the server through. */
  gate: NetworkGate;
  /** Where the tablet app is: through the relay when there is one. */
  url: string;
  /** The app's files, as built for this run. */
  built: BuiltTablet;
}

/** Starts it all before the file's tests and stops it after; the fields are filled in by then. */
export function withTabletApp(options: { gate?: boolean } = {}): TabletApp {
  const app = {} as TabletApp;
  let gate: NetworkGate | undefined;
  beforeAll(async () => {
    const stack = await createTestStack({ liveClock: true });
    const built = await buildTablet();
    const server = await startDevServer({
      deps: stack.deps,
      port: 0,
      oidc: { issuer: stack.idp.issuer, clientId: stack.idp.clientId },
    });
    gate = options.gate ? await startNetworkGate(server.url) : undefined;
    Object.assign(app, {
      stack,
      server,
      browser: await launchChromium(),
      ...(gate ? { gate } : {}),
      url: `${gate?.url ?? server.url}/tablet/`,
      built,
    });
  }, 120_000);
  afterAll(async () => {
    await app.browser?.close();
    await gate?.close();
    await app.server?.close();
  });
  return app;
}
