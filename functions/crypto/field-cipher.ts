import { open, SEALED_OVERHEAD_BYTES, seal } from './aes-gcm.ts';
import { FieldDecryptionError } from './errors.ts';

/**
 * Field-level encryption of answers that identify a child. A token is `enc:v1:<base64url(iv|ct|tag)>`:
 * the prefix names the format version so it can change later, and the AAD the caller passes (e.g.
 * `${conversationId}/${fieldId}`, with ids that cannot contain "/") binds the ciphertext to its record and
 * field, so a token copied elsewhere fails to decrypt instead of showing the wrong child's data.
 */

const TOKEN_PREFIX = 'enc:v1:';
const TOKEN_SHAPE = /^enc:v1:[A-Za-z0-9_-]+$/;
const ANY_VERSION_SHAPE = /^enc:v[0-9]+:/;
const MIN_SEALED_CHARS = Math.ceil((SEALED_OVERHEAD_BYTES * 4) / 3);

export function encryptField(dataKey: Uint8Array, plaintext: string, aad: string): string {
  const sealed = seal(dataKey, Buffer.from(plaintext, 'utf8'), tokenAad(aad), 'field data key');
  return `${TOKEN_PREFIX}${sealed.toString('base64url')}`;
}

export function decryptField(dataKey: Uint8Array, token: string, aad: string): string {
  if (!token.startsWith(TOKEN_PREFIX) && ANY_VERSION_SHAPE.test(token))
    throw new FieldDecryptionError('unsupported-version');
  if (!isEncryptedField(token)) throw new FieldDecryptionError('malformed');
  const sealed = Buffer.from(token.slice(TOKEN_PREFIX.length), 'base64url');
  const plaintext = open(dataKey, sealed, tokenAad(aad), 'field data key');
  if (plaintext === undefined) throw new FieldDecryptionError('authentication-failed');
  return plaintext.toString('utf8');
}

/**
 * Whether a value has the shape of a v1 token. Use it to assert that a field declared sensitive was
 * stored encrypted, not to decide whether to decrypt: someone could type a look-alike as an answer.
 */
export function isEncryptedField(value: unknown): value is string {
  if (typeof value !== 'string' || !TOKEN_SHAPE.test(value)) return false;
  const encodedLength = value.length - TOKEN_PREFIX.length;
  // Base64url without padding never leaves a single character over.
  return encodedLength >= MIN_SEALED_CHARS && encodedLength % 4 !== 1;
}

/** The version prefix is authenticated too, so a token cannot be relabelled as another format. */
function tokenAad(aad: string): Buffer {
  return Buffer.from(`${TOKEN_PREFIX}${aad}`, 'utf8');
}
