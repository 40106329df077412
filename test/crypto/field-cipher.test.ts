import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FieldDecryptionError, KeyLengthError } from '#functions/crypto/errors.ts';
import { decryptField, encryptField, isEncryptedField } from '#functions/crypto/field-cipher.ts';

const key = new Uint8Array(randomBytes(32));
const aad = '7d1c1f5e-3a52-4a43-9d4e-0d1b7e0f6c11/last-seen-location';
const lastSeen = 'Bus station on 5th Street, near the café, around 21:00';

/** Flips one bit of the sealed bytes inside a token, keeping it a well-formed token. */
function flipBit(token: string, byteIndex: number): string {
  const prefix = 'enc:v1:';
  const sealed = Buffer.from(token.slice(prefix.length), 'base64url');
  sealed[byteIndex]! ^= 0x01;
  return `${prefix}${sealed.toString('base64url')}`;
}

describe('field encryption', () => {
  it('round-trips a value and never shows the plaintext in the token', () => {
    const token = encryptField(key, lastSeen, aad);
    expect(token).toMatch(/^enc:v1:[A-Za-z0-9_-]+$/);
    expect(token).not.toContain('Bus');
    expect(decryptField(key, token, aad)).toBe(lastSeen);
  });

  it('round-trips any text, including empty and non-Latin', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'grapheme', maxLength: 200 }),
        fc.string({ maxLength: 80 }),
        (text, anyAad) => {
          expect(decryptField(key, encryptField(key, text, anyAad), anyAad)).toBe(text);
        },
      ),
    );
  });

  it('uses a fresh IV each time, so equal values give unrelated tokens', () => {
    const first = encryptField(key, lastSeen, aad);
    const second = encryptField(key, lastSeen, aad);
    expect(first).not.toBe(second);
    const iv = (token: string) => Buffer.from(token.slice('enc:v1:'.length), 'base64url').subarray(0, 12);
    expect(iv(first).equals(iv(second))).toBe(false);
  });

  it.each([
    ['the IV', 0],
    ['the ciphertext', 12],
    ['the tag', -1],
  ])('rejects a token whose %s was altered', (_part, offset) => {
    const token = encryptField(key, lastSeen, aad);
    const sealedLength = Buffer.from(token.slice('enc:v1:'.length), 'base64url').length;
    const tampered = flipBit(token, offset < 0 ? sealedLength + offset : offset);
    expect(() => decryptField(key, tampered, aad)).toThrow(FieldDecryptionError);
  });

  it('rejects a token moved to another record or field (wrong AAD)', () => {
    const token = encryptField(key, lastSeen, aad);
    const error = catchError(() =>
      decryptField(key, token, aad.replace('last-seen-location', 'description')),
    );
    expect(error).toBeInstanceOf(FieldDecryptionError);
    expect((error as FieldDecryptionError).reason).toBe('authentication-failed');
  });

  it('rejects a token decrypted with another key', () => {
    const token = encryptField(key, lastSeen, aad);
    expect(() => decryptField(new Uint8Array(randomBytes(32)), token, aad)).toThrow(FieldDecryptionError);
  });

  it('rejects truncated, malformed and unknown-version tokens with a reason', () => {
    const token = encryptField(key, lastSeen, aad);
    expect(reasonOf(() => decryptField(key, token.slice(0, 'enc:v1:'.length + 20), aad))).toBe('malformed');
    expect(reasonOf(() => decryptField(key, token.slice(0, -4), aad))).toBe('authentication-failed');
    expect(reasonOf(() => decryptField(key, 'plain words', aad))).toBe('malformed');
    expect(reasonOf(() => decryptField(key, token.replace('enc:v1:', 'enc:v2:'), aad))).toBe(
      'unsupported-version',
    );
  });

  it('keeps the plaintext, key and AAD out of error messages', () => {
    const token = encryptField(key, lastSeen, aad);
    const error = catchError(() => decryptField(new Uint8Array(randomBytes(32)), token, aad)) as Error;
    expect(`${error.message} ${error.stack}`).not.toMatch(/Bus station|last-seen|7d1c1f5e/);
    expect(error.message).not.toContain(Buffer.from(key).toString('base64'));
  });

  it('refuses keys that are not 32 bytes', () => {
    expect(() => encryptField(new Uint8Array(16), lastSeen, aad)).toThrow(KeyLengthError);
    expect(() => decryptField(new Uint8Array(31), encryptField(key, lastSeen, aad), aad)).toThrow(
      KeyLengthError,
    );
  });
});

describe('isEncryptedField', () => {
  it('recognises tokens, including of empty values', () => {
    expect(isEncryptedField(encryptField(key, lastSeen, aad))).toBe(true);
    expect(isEncryptedField(encryptField(key, '', aad))).toBe(true);
  });

  it.each([
    ['a plain answer', lastSeen],
    ['an empty string', ''],
    ['the bare prefix', 'enc:v1:'],
    ['a prefix with too little after it', 'enc:v1:abc'],
    ['standard base64 characters', `enc:v1:${'A'.repeat(40)}+/`],
    ['another version', `enc:v2:${'A'.repeat(40)}`],
    ['a prefix in the middle', `note: enc:v1:${'A'.repeat(40)}`],
    ['a number', 42],
    ['null', null],
    ['an object', { enc: 'v1' }],
  ])('does not recognise %s', (_label, value) => {
    expect(isEncryptedField(value)).toBe(false);
  });
});

function catchError(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}

function reasonOf(run: () => unknown): string | undefined {
  const error = catchError(run);
  return error instanceof FieldDecryptionError ? error.reason : undefined;
}
