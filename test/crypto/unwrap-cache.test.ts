import { describe, expect, it } from 'vitest';
import { DataKeyUnwrapError } from '#functions/crypto/errors.ts';
import type { EncryptionContext, KeyProvider } from '#functions/crypto/key-provider.ts';
import { createLocalKeyProvider } from '#functions/crypto/local-key-provider.ts';
import { createRandomMasterKey } from '#functions/crypto/local-master-key.ts';
import { withUnwrapCache } from '#functions/crypto/unwrap-cache.ts';

/** A local provider that counts unwraps and can be made to fail once. */
function countingProvider(): KeyProvider & { unwraps: number; failNext: boolean } {
  const inner = createLocalKeyProvider(createRandomMasterKey());
  const counting = {
    unwraps: 0,
    failNext: false,
    generateDataKey: (context: EncryptionContext) => inner.generateDataKey(context),
    mac: inner.mac,
    async unwrapDataKey(wrapped: string, context: EncryptionContext) {
      counting.unwraps += 1;
      if (counting.failNext) {
        counting.failNext = false;
        throw new Error('KMS throttled');
      }
      return inner.unwrapDataKey(wrapped, context);
    },
  };
  return counting;
}

const contextOf = (conversationId: string) => ({ conversationId });

describe('unwrap cache', () => {
  it('unwraps a wrapped key once, even when asked concurrently', async () => {
    const inner = countingProvider();
    const cache = withUnwrapCache(inner);
    const { plaintext, wrapped } = await inner.generateDataKey(contextOf('a'));
    const keys = await Promise.all([1, 2, 3].map(() => cache.unwrapDataKey(wrapped, contextOf('a'))));
    await cache.unwrapDataKey(wrapped, contextOf('a'));
    expect(inner.unwraps).toBe(1);
    for (const key of keys) expect(Buffer.from(key).equals(Buffer.from(plaintext))).toBe(true);
  });

  it('remembers keys it generated, so a new record is not unwrapped again', async () => {
    const inner = countingProvider();
    const cache = withUnwrapCache(inner);
    const { plaintext, wrapped } = await cache.generateDataKey(contextOf('a'));
    const key = await cache.unwrapDataKey(wrapped, contextOf('a'));
    expect(inner.unwraps).toBe(0);
    expect(Buffer.from(key).equals(Buffer.from(plaintext))).toBe(true);
  });

  it('never hands out a cached key for another context', async () => {
    const inner = countingProvider();
    const cache = withUnwrapCache(inner);
    const { wrapped } = await cache.generateDataKey(contextOf('a'));
    await expect(cache.unwrapDataKey(wrapped, contextOf('b'))).rejects.toThrow(DataKeyUnwrapError);
    expect(inner.unwraps).toBe(1);
  });

  it('does not remember failures, so a throttled call can be retried', async () => {
    const inner = countingProvider();
    const cache = withUnwrapCache(inner);
    const { wrapped } = await inner.generateDataKey(contextOf('a'));
    inner.failNext = true;
    await expect(cache.unwrapDataKey(wrapped, contextOf('a'))).rejects.toThrow('KMS throttled');
    await expect(cache.unwrapDataKey(wrapped, contextOf('a'))).resolves.toHaveLength(32);
    expect(inner.unwraps).toBe(2);
  });

  it('hands out copies, so a caller clearing its key cannot corrupt the cache', async () => {
    const inner = countingProvider();
    const cache = withUnwrapCache(inner);
    const { plaintext, wrapped } = await inner.generateDataKey(contextOf('a'));
    (await cache.unwrapDataKey(wrapped, contextOf('a'))).fill(0);
    const again = await cache.unwrapDataKey(wrapped, contextOf('a'));
    expect(Buffer.from(again).equals(Buffer.from(plaintext))).toBe(true);
  });

  it('keeps at most maxEntries keys, evicting the least recently used', async () => {
    const inner = countingProvider();
    const cache = withUnwrapCache(inner, { maxEntries: 2 });
    const a = await inner.generateDataKey(contextOf('a'));
    const b = await inner.generateDataKey(contextOf('b'));
    const c = await inner.generateDataKey(contextOf('c'));
    await cache.unwrapDataKey(a.wrapped, contextOf('a'));
    await cache.unwrapDataKey(b.wrapped, contextOf('b'));
    await cache.unwrapDataKey(a.wrapped, contextOf('a')); // a is now the most recently used
    await cache.unwrapDataKey(c.wrapped, contextOf('c')); // evicts b
    expect(inner.unwraps).toBe(3);
    await cache.unwrapDataKey(a.wrapped, contextOf('a'));
    expect(inner.unwraps).toBe(3);
    await cache.unwrapDataKey(b.wrapped, contextOf('b'));
    expect(inner.unwraps).toBe(4);
  });

  it('asks again once a key is older than maxAgeMs, and after clear()', async () => {
    const inner = countingProvider();
    let now = 1_000;
    const cache = withUnwrapCache(inner, { maxAgeMs: 60_000, now: () => now });
    const { wrapped } = await inner.generateDataKey(contextOf('a'));
    await cache.unwrapDataKey(wrapped, contextOf('a'));
    now += 59_999;
    await cache.unwrapDataKey(wrapped, contextOf('a'));
    expect(inner.unwraps).toBe(1);
    now += 1;
    await cache.unwrapDataKey(wrapped, contextOf('a'));
    expect(inner.unwraps).toBe(2);
    cache.clear();
    await cache.unwrapDataKey(wrapped, contextOf('a'));
    expect(inner.unwraps).toBe(3);
  });
});
