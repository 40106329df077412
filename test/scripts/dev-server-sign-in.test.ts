import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningDevServer, startDevServer } from '../../scripts/dev-server.ts';
import { createTestStack, type TestStack } from '../support/stack.ts';

/** Issue 18: what the dev server gives the chat page for its code + PKCE sign-in. */

let stack: TestStack;
let server: RunningDevServer;
let plain: RunningDevServer;

beforeAll(async () => {
  stack = await createTestStack();
  server = await startDevServer({
    deps: stack.deps,
    port: 0,
    oidc: { issuer: stack.idp.issuer, clientId: stack.idp.clientId },
  });
  plain = await startDevServer({ deps: stack.deps, port: 0 });
});

afterAll(async () => {
  await server.close();
  await plain.close();
});

describe('the dev server and the chat page’s sign-in', () => {
  it('publishes the provider and the app client at /auth/config (for the chat page, the tablet app and the widget’s frame)', async () => {
    expect(await (await fetch(`${server.url}/auth/config`)).json()).toEqual({
      issuer: stack.idp.issuer,
      clientId: stack.idp.clientId,
    });
    expect(await (await fetch(`${plain.url}/auth/config`)).json()).toEqual({
      issuer: null,
      clientId: null,
    });
  });

  it('lets the chat page call the provider (connect-src), and nothing else', async () => {
    const page = await fetch(`${server.url}/`);
    expect(page.headers.get('content-security-policy')).toBe(
      `default-src 'self'; connect-src 'self' ${stack.idp.issuer}; frame-ancestors 'none'`,
    );
    const other = await fetch(`${server.url}/chat/chat.css`);
    expect(other.headers.get('content-security-policy')).toBe("default-src 'self'; frame-ancestors 'none'");
    const without = await fetch(`${plain.url}/`);
    expect(without.headers.get('content-security-policy')).toBe("default-src 'self'; frame-ancestors 'none'");
  });

  it('serves oauth4webapi’s browser build from node_modules on the page’s own origin, and only that file', async () => {
    const response = await fetch(`${server.url}/chat/vendor/oauth4webapi.js`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    const source = await response.text();
    expect(source).toContain('export async function calculatePKCECodeChallenge');
    expect((await fetch(`${server.url}/chat/vendor/index.js`)).status).toBe(404);
    expect((await fetch(`${server.url}/chat/vendor/oauth4webapi/build/index.js`)).status).toBe(404);
  });
});
