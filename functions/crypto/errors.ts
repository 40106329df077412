/**
 * Crypto failures are typed so callers can tell "this data is not trustworthy" from "AWS is unavailable".
 * Messages are fixed sentences: never the key, the plaintext, the ciphertext or the AAD, since error
 * messages end up in logs.
 */

export type FieldDecryptionFailure = 'malformed' | 'unsupported-version' | 'authentication-failed';

export class FieldDecryptionError extends Error {
  override readonly name = 'FieldDecryptionError';
  constructor(readonly reason: FieldDecryptionFailure) {
    super(
      reason === 'authentication-failed'
        ? 'The encrypted field was altered, or belongs to another key, record or field.'
        : reason === 'unsupported-version'
          ? 'The encrypted field uses a format version this code does not know.'
          : 'The value is not an encrypted field token.',
    );
  }
}

export class DataKeyUnwrapError extends Error {
  override readonly name = 'DataKeyUnwrapError';
  constructor({ explanation, cause }: { explanation?: string; cause?: unknown } = {}) {
    super(
      explanation ?? 'The wrapped data key was altered, or belongs to another record or master key.',
      cause === undefined ? undefined : { cause },
    );
  }
}

/** KMS answered without a usable key: retrying may help, storing anything would not. */
export class DataKeyGenerationError extends Error {
  override readonly name = 'DataKeyGenerationError';
}

/** A key of the wrong size passed in code: a programming error, not bad data. */
export class KeyLengthError extends Error {
  override readonly name = 'KeyLengthError';
  constructor(what: string, expectedBytes: number, actualBytes: number) {
    super(`The ${what} must be ${expectedBytes} bytes, not ${actualBytes}.`);
  }
}

export class EncryptionContextError extends Error {
  override readonly name = 'EncryptionContextError';
}

/** The local master key for `npm start` is missing, malformed or exposed: the message says how to fix it. */
export class MasterKeyError extends Error {
  override readonly name = 'MasterKeyError';
}
