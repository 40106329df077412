import { EncryptionContextError } from './errors.ts';

/**
 * The port for envelope encryption: each record gets its own data key, stored next to the record only in
 * wrapped form. The encryption context (e.g. `{ conversationId }`) is bound into the wrapping, so a
 * wrapped key copied onto another record cannot be unwrapped there.
 */
export type EncryptionContext = Readonly<Record<string, string>>;

export interface DataKey {
  /** 32 bytes for AES-256. Keep it in memory only; never store or log it. */
  plaintext: Uint8Array;
  /** Safe to store with the record; tagged with the provider that made it (`kms:v1:…`, `local:v1:…`). */
  wrapped: string;
}

export interface KeyProvider {
  generateDataKey(context: EncryptionContext): Promise<DataKey>;
  unwrapDataKey(wrapped: string, context: EncryptionContext): Promise<Uint8Array>;
  /**
   * A keyed hash (HMAC-SHA-256) of `message` under the deployment's MAC key, hex-encoded and tagged with its
   * provider (`kms:v1:…`, `local:v1:…`). Deterministic, so it can be recomputed to verify or to look a value
   * up, and unforgeable without the key: a low-entropy reference hashed this way cannot be reversed by
   * trying every reference, and a chain head anchored this way cannot be recomputed by whoever edits the table.
   * `purpose` separates uses, so a MAC made for one can never be presented as one made for another.
   */
  mac(purpose: MacPurpose, message: string): Promise<string>;
}

export type MacPurpose = 'subject-ref' | 'chain-anchor' | 'chain-link';

/** What is MACed: the purpose and the message, unambiguously joined (a purpose never contains a newline). */
export function macInput(purpose: MacPurpose, message: string): Buffer {
  return Buffer.from(`cse-mac:v1\n${purpose}\n${message}`, 'utf8');
}

export const DATA_KEY_BYTES = 32;

/**
 * One order-independent string per context, as KMS treats `{a, b}` and `{b, a}` as the same context.
 * An empty context is refused: a key bound to nothing could be moved to any record.
 */
export function canonicalContext(context: EncryptionContext): string {
  const entries = Object.entries(context);
  if (entries.length === 0)
    throw new EncryptionContextError('The encryption context must name the record, e.g. { conversationId }.');
  for (const [name, value] of entries) {
    if (typeof value !== 'string' || value === '' || name === '')
      throw new EncryptionContextError('Encryption context names and values must be non-empty strings.');
  }
  return JSON.stringify(entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
