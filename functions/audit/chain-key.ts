import type { KeyProvider } from '../crypto/key-provider.ts';

/**
 * Issue 16: the key the audit chains are MACed with. It is itself a MAC, of a fixed label, under the
 * deployment's HMAC key (KMS GenerateMac in AWS, the local key in development): whoever cannot call
 * GenerateMac on that key cannot derive it, and so cannot recompute a chain after editing the table. It is
 * asked for once per process and then kept in memory, so a turn costs no KMS call.
 */
export interface ChainKeyring {
  /** Fetches the key on first use; later calls return it at once. */
  load(): Promise<Uint8Array>;
  /** The key once `load` has resolved: the synchronous builders (history entries, links) read it here. */
  readonly loaded: Uint8Array | undefined;
}

const LABEL = 'audit-chain-key:v1';

export function chainKeyring(keys: Pick<KeyProvider, 'mac'>): ChainKeyring {
  let pending: Promise<Uint8Array> | undefined;
  const ring = {
    loaded: undefined as Uint8Array | undefined,
    load() {
      pending ??= keys.mac('chain-link', LABEL).then((tagged) => {
        const key = Buffer.from(tagged.slice(tagged.lastIndexOf(':') + 1), 'hex');
        if (key.length !== 32) throw new Error('the chain key did not derive to 32 bytes');
        ring.loaded = key;
        return key;
      });
      // A failure (KMS throttled) is not remembered: the next request asks again.
      pending.catch(() => {
        pending = undefined;
      });
      return pending;
    },
  };
  return ring;
}

/** The loaded chain key; the caller's async entry point must have awaited `load()` first. */
export function chainKeyOf(ring: ChainKeyring): Uint8Array {
  if (!ring.loaded) throw new Error('the audit chain key was not loaded before a chain was extended');
  return ring.loaded;
}

/** A key provider and the chain keyring derived from it, for services built in one process (local, tests). */
export function withKeys(keys: KeyProvider): { keys: KeyProvider; chain: ChainKeyring } {
  return { keys, chain: chainKeyring(keys) };
}
