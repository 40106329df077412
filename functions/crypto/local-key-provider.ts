import { createHmac, randomBytes } from 'node:crypto';
import { open, requireKeyLength, seal } from './aes-gcm.ts';
import { DataKeyUnwrapError } from './errors.ts';
import {
  canonicalContext,
  DATA_KEY_BYTES,
  type EncryptionContext,
  type KeyProvider,
  macInput,
} from './key-provider.ts';

/**
 * Development stand-in for KMS: data keys are wrapped with AES-256-GCM under a local master key, with the
 * encryption context as AAD, so a wrapped key moved to another record fails here just as it would in KMS.
 */

const WRAPPED_PREFIX = 'local:v1:';

export function createLocalKeyProvider(masterKey: Uint8Array): KeyProvider {
  requireKeyLength(masterKey, 'local master key');
  // A private copy, so a caller that later reuses or clears its buffer cannot change our key.
  const key = Uint8Array.from(masterKey);
  // Derived, so the wrapping key is never used as a MAC key: one key, one use.
  const macKey = createHmac('sha256', key).update('local-mac-key:v1').digest();
  return {
    async mac(purpose, message) {
      return `${WRAPPED_PREFIX}${createHmac('sha256', macKey).update(macInput(purpose, message)).digest('hex')}`;
    },
    async generateDataKey(context) {
      const aad = wrappingAad(context);
      const plaintext = new Uint8Array(randomBytes(DATA_KEY_BYTES));
      const wrapped = `${WRAPPED_PREFIX}${seal(key, plaintext, aad, 'local master key').toString('base64url')}`;
      return { plaintext, wrapped };
    },
    async unwrapDataKey(wrapped, context) {
      const aad = wrappingAad(context);
      if (!wrapped.startsWith(WRAPPED_PREFIX))
        throw new DataKeyUnwrapError({
          explanation: 'The data key was not wrapped by the local key provider.',
        });
      const sealed = Buffer.from(wrapped.slice(WRAPPED_PREFIX.length), 'base64url');
      const plaintext = open(key, sealed, aad, 'local master key');
      if (plaintext === undefined || plaintext.length !== DATA_KEY_BYTES) throw new DataKeyUnwrapError();
      return new Uint8Array(plaintext);
    },
  };
}

function wrappingAad(context: EncryptionContext): Buffer {
  return Buffer.from(`${WRAPPED_PREFIX}${canonicalContext(context)}`, 'utf8');
}
