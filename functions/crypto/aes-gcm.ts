import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { KeyLengthError } from './errors.ts';

/** AES-256-GCM with a random 96-bit IV, packed as iv | ciphertext | tag. Shared by fields and local key wrapping. */

const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
export const SEALED_OVERHEAD_BYTES = IV_BYTES + TAG_BYTES;

export function seal(key: Uint8Array, plaintext: Uint8Array, aad: Uint8Array, what: string): Buffer {
  requireKeyLength(key, what);
  // Random IVs are safe here because each key seals few values (one data key per record), far below
  // the 2^32 messages per key that NIST allows for random GCM IVs.
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(aad);
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([iv, ciphertext, cipher.getAuthTag()]);
}

/** `undefined` when the tag does not verify: the caller turns that into its own typed error. */
export function open(key: Uint8Array, sealed: Uint8Array, aad: Uint8Array, what: string): Buffer | undefined {
  requireKeyLength(key, what);
  if (sealed.length < SEALED_OVERHEAD_BYTES) return undefined;
  const iv = sealed.subarray(0, IV_BYTES);
  const ciphertext = sealed.subarray(IV_BYTES, sealed.length - TAG_BYTES);
  const tag = sealed.subarray(sealed.length - TAG_BYTES);
  // A fixed authTagLength stops a truncated tag from being accepted.
  const decipher = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
  decipher.setAAD(aad);
  decipher.setAuthTag(tag);
  try {
    return Buffer.concat([decipher.update(ciphertext), decipher.final()]);
  } catch {
    return undefined;
  }
}

export function requireKeyLength(key: Uint8Array, what: string): void {
  if (!(key instanceof Uint8Array) || key.length !== KEY_BYTES)
    throw new KeyLengthError(what, KEY_BYTES, key instanceof Uint8Array ? key.length : 0);
}
