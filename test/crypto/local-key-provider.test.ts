import { describe, expect, it } from 'vitest';
import { DataKeyUnwrapError, EncryptionContextError, KeyLengthError } from '#functions/crypto/errors.ts';
import { decryptField, encryptField } from '#functions/crypto/field-cipher.ts';
import { createLocalKeyProvider } from '#functions/crypto/local-key-provider.ts';
import { createRandomMasterKey } from '#functions/crypto/local-master-key.ts';

const context = { conversationId: '7d1c1f5e-3a52-4a43-9d4e-0d1b7e0f6c11' };

describe('local key provider', () => {
  it('generates a 32-byte data key that unwraps to the same bytes under the same context', async () => {
    const provider = createLocalKeyProvider(createRandomMasterKey());
    const { plaintext, wrapped } = await provider.generateDataKey(context);
    expect(plaintext).toHaveLength(32);
    expect(wrapped).toMatch(/^local:v1:[A-Za-z0-9_-]+$/);
    expect(Buffer.from(await provider.unwrapDataKey(wrapped, context)).equals(Buffer.from(plaintext))).toBe(
      true,
    );
  });

  it('gives each record its own data key', async () => {
    const provider = createLocalKeyProvider(createRandomMasterKey());
    const first = await provider.generateDataKey(context);
    const second = await provider.generateDataKey(context);
    expect(Buffer.from(first.plaintext).equals(Buffer.from(second.plaintext))).toBe(false);
  });

  it('treats the context as unordered, as KMS does', async () => {
    const provider = createLocalKeyProvider(createRandomMasterKey());
    const { wrapped } = await provider.generateDataKey({ conversationId: 'c-1', org: 'demo-county' });
    await expect(
      provider.unwrapDataKey(wrapped, { org: 'demo-county', conversationId: 'c-1' }),
    ).resolves.toHaveLength(32);
  });

  it('refuses a wrapped key moved to another record (wrong context)', async () => {
    const provider = createLocalKeyProvider(createRandomMasterKey());
    const { wrapped } = await provider.generateDataKey(context);
    await expect(provider.unwrapDataKey(wrapped, { conversationId: 'another-conversation' })).rejects.toThrow(
      DataKeyUnwrapError,
    );
    await expect(provider.unwrapDataKey(wrapped, { ...context, extra: 'x' })).rejects.toThrow(
      DataKeyUnwrapError,
    );
  });

  it('refuses a wrapped key made under another master key, or altered', async () => {
    const provider = createLocalKeyProvider(createRandomMasterKey());
    const { wrapped } = await provider.generateDataKey(context);
    const other = createLocalKeyProvider(createRandomMasterKey());
    await expect(other.unwrapDataKey(wrapped, context)).rejects.toThrow(DataKeyUnwrapError);
    const altered = `${wrapped.slice(0, -2)}${wrapped.endsWith('AA') ? 'AB' : 'AA'}`;
    await expect(provider.unwrapDataKey(altered, context)).rejects.toThrow(DataKeyUnwrapError);
    await expect(provider.unwrapDataKey(`kms:v1:${wrapped.slice(9)}`, context)).rejects.toThrow(
      DataKeyUnwrapError,
    );
  });

  it('refuses an empty context, which would bind the key to nothing', async () => {
    const provider = createLocalKeyProvider(createRandomMasterKey());
    await expect(provider.generateDataKey({})).rejects.toThrow(EncryptionContextError);
    await expect(provider.generateDataKey({ conversationId: '' })).rejects.toThrow(EncryptionContextError);
  });

  it('refuses a master key that is not 32 bytes', () => {
    expect(() => createLocalKeyProvider(new Uint8Array(16))).toThrow(KeyLengthError);
  });

  it('is not affected when the caller later overwrites its master key buffer', async () => {
    const masterKey = createRandomMasterKey();
    const provider = createLocalKeyProvider(masterKey);
    const { wrapped } = await provider.generateDataKey(context);
    masterKey.fill(0);
    await expect(provider.unwrapDataKey(wrapped, context)).resolves.toHaveLength(32);
  });

  it('supports the whole envelope: fields encrypted with a data key read back after unwrapping it', async () => {
    const provider = createLocalKeyProvider(createRandomMasterKey());
    const { plaintext, wrapped } = await provider.generateDataKey(context);
    const aad = `${context.conversationId}/physical-description`;
    const token = encryptField(plaintext, 'About 1.5 m, dark curly hair, red jacket', aad);
    const dataKey = await provider.unwrapDataKey(wrapped, context);
    expect(decryptField(dataKey, token, aad)).toBe('About 1.5 m, dark curly hair, red jacket');
  });

  it('issue 16: a keyed hash is deterministic per key and purpose, and differs under another master key', async () => {
    const provider = createLocalKeyProvider(createRandomMasterKey());
    const first = await provider.mac('subject-ref', 'county-a/CASE-1');
    expect(first).toMatch(/^local:v1:[0-9a-f]{64}$/);
    expect(await provider.mac('subject-ref', 'county-a/CASE-1')).toBe(first);
    expect(await provider.mac('chain-link', 'county-a/CASE-1')).not.toBe(first);
    const other = createLocalKeyProvider(createRandomMasterKey());
    expect(await other.mac('subject-ref', 'county-a/CASE-1')).not.toBe(first);
  });
});
