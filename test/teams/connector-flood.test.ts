import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UnauthenticatedError } from '#functions/http/errors.ts';
import { botFrameworkDefaults, createConnectorAuthenticator } from '#functions/teams/connector-auth.ts';
import { type BotFrameworkFake, startBotFrameworkFake } from '../support/bot-framework.ts';

/**
 * Issue 18: every activity with an unknown `kid` used to trigger two outbound fetches (metadata, keys), with
 * no timeout, no negative cache and no single flight: 200 requests made 400 fetches, and a slow upstream
 * held a request for 10 s. The key source is now asked at most once per interval, once at a time, briefly.
 */

const APP_ID = '00000000-0000-4000-8000-00000000b0b1';
let fake: BotFrameworkFake;

beforeAll(async () => {
  fake = await startBotFrameworkFake();
});
afterAll(async () => {
  await fake.close();
});

const teams = () => ({ channelId: 'msteams', serviceUrl: fake.serviceUrl });

/** The real fetch to the fake, counted; optionally stalled (until its abort signal fires). */
function countingFetch(options: { stall?: boolean } = {}) {
  const calls: string[] = [];
  const counted = (async (input: string | URL | Request, init?: RequestInit) => {
    calls.push(String(input));
    if (options.stall) {
      return new Promise<Response>((_, reject) => {
        init?.signal?.addEventListener('abort', () => reject(init.signal?.reason));
      });
    }
    return fetch(input, init);
  }) as typeof fetch;
  return { calls, fetch: counted };
}

function authenticator(fetcher: typeof fetch, clock: () => Date, extra: { fetchTimeoutMs?: number } = {}) {
  return createConnectorAuthenticator({
    ...botFrameworkDefaults,
    ...extra,
    appId: APP_ID,
    openIdMetadataUrl: fake.openIdMetadataUrl,
    clock,
    fetch: fetcher,
  });
}

describe('issue 18: the Bot Framework key source under a flood', () => {
  it('200 activities with made-up kids cause one fetch of the metadata and one of the keys, not 400', async () => {
    // Tokens are minted at the real time; the authenticator's clock starts there and is moved by hand.
    const start = Date.now();
    let now = new Date(start);
    const counted = countingFetch();
    const auth = authenticator(counted.fetch, () => now);
    const tokens = await Promise.all(
      Array.from({ length: 200 }, (_, i) => fake.tokenFor(APP_ID, {}, { kid: `made-up-${i}` })),
    );
    const results = await Promise.allSettled(tokens.map((token) => auth.verify(`Bearer ${token}`, teams())));
    expect(results.every((r) => r.status === 'rejected' && r.reason instanceof UnauthenticatedError)).toBe(
      true,
    );
    expect(counted.calls).toHaveLength(2);

    // A genuine token still passes without another fetch (its key came with that one fetch).
    await auth.verify(`Bearer ${await fake.tokenFor(APP_ID)}`, teams());
    expect(counted.calls).toHaveLength(2);

    // A minute later, still within the refetch interval: more made-up kids, still no fetch.
    now = new Date(start + 60_000);
    const later = await fake.tokenFor(APP_ID, {}, { kid: 'made-up-later' });
    await expect(auth.verify(`Bearer ${later}`, teams())).rejects.toBeInstanceOf(UnauthenticatedError);
    expect(counted.calls).toHaveLength(2);

    // After the interval an unknown kid may be a rotated key: the source is asked once more.
    now = new Date(start + 301_000);
    await expect(auth.verify(`Bearer ${later}`, teams())).rejects.toBeInstanceOf(UnauthenticatedError);
    expect(counted.calls).toHaveLength(4);
  });

  it('concurrent first requests share one fetch (single flight)', async () => {
    const counted = countingFetch();
    const auth = authenticator(counted.fetch, () => new Date());
    const token = await fake.tokenFor(APP_ID);
    await Promise.all(Array.from({ length: 50 }, () => auth.verify(`Bearer ${token}`, teams())));
    expect(counted.calls).toHaveLength(2);
  });

  it('a stalled key source is abandoned after the timeout and the request refused, without a retry storm', async () => {
    const stalled = countingFetch({ stall: true });
    const auth = authenticator(stalled.fetch, () => new Date(), { fetchTimeoutMs: 200 });
    const token = await fake.tokenFor(APP_ID);
    const outcomes = await Promise.allSettled(
      Array.from({ length: 20 }, () => auth.verify(`Bearer ${token}`, teams())),
    );
    expect(outcomes.every((o) => o.status === 'rejected' && o.reason instanceof UnauthenticatedError)).toBe(
      true,
    );
    // One attempt for all twenty (the metadata fetch, abandoned), and none again within the interval.
    expect(stalled.calls).toHaveLength(1);
    await expect(auth.verify(`Bearer ${token}`, teams())).rejects.toBeInstanceOf(UnauthenticatedError);
    expect(stalled.calls).toHaveLength(1);
  });

  it('keys already held keep working while the source fails, past their cache time', async () => {
    const start = Date.now();
    let now = new Date(start);
    let failing = false;
    const calls: string[] = [];
    const flaky = (async (input: string | URL | Request, init?: RequestInit) => {
      calls.push(String(input));
      return failing ? new Response('down', { status: 503 }) : fetch(input, init);
    }) as typeof fetch;
    const auth = authenticator(flaky, () => now);
    await auth.verify(`Bearer ${await fake.tokenFor(APP_ID)}`, teams());
    failing = true;
    // A day on (the cache time), with a token valid then: the source is asked, fails, and the key held serves.
    now = new Date(start + 24 * 3600_000 + 1000);
    const nowSeconds = Math.floor(now.getTime() / 1000);
    const dayLater = await fake.tokenFor(APP_ID, {
      iat: nowSeconds,
      nbf: nowSeconds,
      exp: nowSeconds + 3600,
    });
    await auth.verify(`Bearer ${dayLater}`, teams());
    expect(calls).toHaveLength(3);
  });
});
