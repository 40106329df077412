import { canonicalContext, type DataKey, type EncryptionContext, type KeyProvider } from './key-provider.ts';

/**
 * Wraps a key provider so a wrapped key is unwrapped once per (wrapped key, context), not once per field:
 * a record with ten encrypted answers costs one KMS Decrypt. Entries are keyed on the context too, so a
 * cached key is never handed out for a context KMS would have refused. Keys stay in memory only and are
 * never logged; entries expire and the oldest are evicted so a warm Lambda does not hoard keys.
 */

export interface UnwrapCacheOptions {
  /** How many data keys to keep; the least recently used goes first. */
  maxEntries?: number;
  /** How long a key may be reused before the provider is asked again. */
  maxAgeMs?: number;
  now?: () => number;
}

export interface CachingKeyProvider extends KeyProvider {
  /** Forget every key, e.g. at the end of an invocation. */
  clear(): void;
}

interface Entry {
  key: Promise<Uint8Array>;
  expiresAt: number;
}

const DEFAULT_MAX_ENTRIES = 256;
const DEFAULT_MAX_AGE_MS = 5 * 60_000;

export function withUnwrapCache(provider: KeyProvider, options: UnwrapCacheOptions = {}): CachingKeyProvider {
  const maxEntries = Math.max(1, options.maxEntries ?? DEFAULT_MAX_ENTRIES);
  const maxAgeMs = options.maxAgeMs ?? DEFAULT_MAX_AGE_MS;
  const now = options.now ?? Date.now;
  // A Map iterates in insertion order; re-inserting on use makes its first entry the least recently used.
  const entries = new Map<string, Entry>();

  const remember = (cacheKey: string, key: Promise<Uint8Array>): Entry => {
    const entry = { key, expiresAt: now() + maxAgeMs };
    entries.set(cacheKey, entry);
    while (entries.size > maxEntries) entries.delete(entries.keys().next().value!);
    return entry;
  };

  return {
    mac: (purpose, message) => provider.mac(purpose, message),

    async generateDataKey(context: EncryptionContext): Promise<DataKey> {
      const dataKey = await provider.generateDataKey(context);
      // The record being created will usually be read back in the same invocation.
      remember(cacheKeyOf(dataKey.wrapped, context), Promise.resolve(Uint8Array.from(dataKey.plaintext)));
      return dataKey;
    },

    async unwrapDataKey(wrapped: string, context: EncryptionContext): Promise<Uint8Array> {
      const cacheKey = cacheKeyOf(wrapped, context);
      let entry = entries.get(cacheKey);
      if (entry && entry.expiresAt <= now()) {
        entries.delete(cacheKey);
        entry = undefined;
      }
      if (entry) {
        entries.delete(cacheKey);
        entries.set(cacheKey, entry);
      } else {
        // The pending promise is cached too, so concurrent reads of one record share one KMS call.
        const created = remember(cacheKey, provider.unwrapDataKey(wrapped, context));
        created.key.catch(() => {
          if (entries.get(cacheKey) === created) entries.delete(cacheKey);
        });
        entry = created;
      }
      // A copy each time, so a caller that clears its key cannot corrupt the cached one.
      return Uint8Array.from(await entry.key);
    },

    clear() {
      entries.clear();
    },
  };
}

function cacheKeyOf(wrapped: string, context: EncryptionContext): string {
  return JSON.stringify([wrapped, canonicalContext(context)]);
}
