import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataKeyUnwrapError, EncryptionContextError } from '#functions/crypto/errors.ts';
import { decryptField, encryptField } from '#functions/crypto/field-cipher.ts';
import type { KeyProvider } from '#functions/crypto/key-provider.ts';
import { createKmsKeyProvider } from '#functions/crypto/kms-key-provider.ts';
import { withUnwrapCache } from '#functions/crypto/unwrap-cache.ts';
import { type FakeKms, startFakeKms } from './fake-kms.ts';

const context = { conversationId: '7d1c1f5e-3a52-4a43-9d4e-0d1b7e0f6c11' };

let kms: FakeKms;
let provider: KeyProvider;

beforeAll(async () => {
  kms = await startFakeKms();
  provider = createKmsKeyProvider(kms.client(), kms.keyId);
});

afterAll(async () => {
  await kms.close();
});

describe('KMS key provider (real SDK client, fake KMS over HTTP)', () => {
  it('issue 16: a keyed hash comes from KMS GenerateMac, is deterministic, separates purposes and keys', async () => {
    const withMac = createKmsKeyProvider(kms.client(), kms.keyId, kms.otherKeyId);
    const first = await withMac.mac('subject-ref', 'county-a/CASE-1');
    expect(first).toMatch(/^kms:v1:[0-9a-f]{64}$/);
    expect(await withMac.mac('subject-ref', 'county-a/CASE-1')).toBe(first);
    expect(await withMac.mac('chain-anchor', 'county-a/CASE-1')).not.toBe(first);
    const otherKey = createKmsKeyProvider(kms.client(), kms.keyId, kms.keyId);
    expect(await otherKey.mac('subject-ref', 'county-a/CASE-1')).not.toBe(first);
    expect(kms.calls).toContain('GenerateMac');
    await expect(provider.mac('subject-ref', 'x')).rejects.toThrow(/MAC_KEY_ID/);
  });

  it('generates an AES-256 data key and unwraps it under the same context', async () => {
    const { plaintext, wrapped } = await provider.generateDataKey(context);
    expect(plaintext).toHaveLength(32);
    expect(wrapped).toMatch(/^kms:v1:[A-Za-z0-9+/]+={0,2}$/);
    const unwrapped = await provider.unwrapDataKey(wrapped, context);
    expect(Buffer.from(unwrapped).equals(Buffer.from(plaintext))).toBe(true);
  });

  it('works with the key ARN as well as the key id', async () => {
    const byArn = createKmsKeyProvider(kms.client(), kms.keyArn);
    const { wrapped } = await byArn.generateDataKey(context);
    await expect(provider.unwrapDataKey(wrapped, context)).resolves.toHaveLength(32);
  });

  it('refuses a wrapped key moved to another record, as KMS does (InvalidCiphertextException)', async () => {
    const { wrapped } = await provider.generateDataKey(context);
    const error = await provider
      .unwrapDataKey(wrapped, { conversationId: 'another-conversation' })
      .catch((e) => e);
    expect(error).toBeInstanceOf(DataKeyUnwrapError);
    expect((error as Error).cause).toMatchObject({ name: 'InvalidCiphertextException' });
  });

  it('refuses an altered wrapped key', async () => {
    const { wrapped } = await provider.generateDataKey(context);
    const blob = Buffer.from(wrapped.slice('kms:v1:'.length), 'base64');
    blob[blob.length - 1]! ^= 0x01;
    await expect(provider.unwrapDataKey(`kms:v1:${blob.toString('base64')}`, context)).rejects.toThrow(
      DataKeyUnwrapError,
    );
  });

  it('refuses a blob made under another KMS key (IncorrectKeyException)', async () => {
    const { wrapped } = await createKmsKeyProvider(kms.client(), kms.otherKeyId).generateDataKey(context);
    const error = await provider.unwrapDataKey(wrapped, context).catch((e) => e);
    expect(error).toBeInstanceOf(DataKeyUnwrapError);
    expect((error as Error).cause).toMatchObject({ name: 'IncorrectKeyException' });
  });

  it('lets a misconfigured key id through as the KMS error, not as "tampered data"', async () => {
    const { wrapped } = await provider.generateDataKey(context);
    const misconfigured = createKmsKeyProvider(kms.client(), '00000000-0000-0000-0000-000000000000');
    const error = await misconfigured.unwrapDataKey(wrapped, context).catch((e) => e);
    expect(error).not.toBeInstanceOf(DataKeyUnwrapError);
    expect(error).toMatchObject({ name: 'NotFoundException' });
  });

  it('refuses a key wrapped by the local provider without calling KMS', async () => {
    const before = kms.calls.length;
    await expect(provider.unwrapDataKey('local:v1:AAAA', context)).rejects.toThrow(DataKeyUnwrapError);
    expect(kms.calls.length).toBe(before);
  });

  it('refuses an empty context before calling KMS', async () => {
    await expect(provider.generateDataKey({})).rejects.toThrow(EncryptionContextError);
  });

  it('lets a KMS outage through as itself, not as "tampered data"', async () => {
    const down = await startFakeKms();
    const client = down.client();
    const { wrapped } = await createKmsKeyProvider(client, down.keyId).generateDataKey(context);
    await down.close();
    const error = await createKmsKeyProvider(client, down.keyId)
      .unwrapDataKey(wrapped, context)
      .catch((e) => e);
    expect(error).not.toBeInstanceOf(DataKeyUnwrapError);
    expect(error).toMatchObject({ code: 'ECONNREFUSED' });
  });

  it('with the unwrap cache, calls Decrypt once for many fields of one record', async () => {
    const cached = withUnwrapCache(createKmsKeyProvider(kms.client(), kms.keyId));
    const { plaintext, wrapped } = await provider.generateDataKey(context);
    const aad = (field: string) => `${context.conversationId}/${field}`;
    const tokens = ['last-seen-location', 'physical-description', 'nickname'].map((field) =>
      encryptField(plaintext, `value of ${field}`, aad(field)),
    );

    const before = kms.calls.filter((call) => call === 'Decrypt').length;
    const read = await Promise.all(
      tokens.map(async (token, index) => {
        const field = ['last-seen-location', 'physical-description', 'nickname'][index]!;
        return decryptField(await cached.unwrapDataKey(wrapped, context), token, aad(field));
      }),
    );
    expect(read).toEqual([
      'value of last-seen-location',
      'value of physical-description',
      'value of nickname',
    ]);
    expect(kms.calls.filter((call) => call === 'Decrypt').length - before).toBe(1);
  });
});
