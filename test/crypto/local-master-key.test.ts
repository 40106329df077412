import { randomBytes } from 'node:crypto';
import { chmod, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MasterKeyError } from '#functions/crypto/errors.ts';
import { createLocalKeyProvider } from '#functions/crypto/local-key-provider.ts';
import {
  createRandomMasterKey,
  LOCAL_MASTER_KEY_ENV,
  loadLocalMasterKey,
} from '#functions/crypto/local-master-key.ts';

const posixOnly = it.skipIf(process.platform === 'win32');

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'master-key-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('local master key', () => {
  posixOnly('is created with mode 0600 (in a new directory) when the file is missing', async () => {
    const filePath = join(dir, 'nested', 'local-master-key');
    const key = await loadLocalMasterKey({ filePath, env: {} });
    expect(key).toHaveLength(32);
    expect((await stat(filePath)).mode & 0o777).toBe(0o600);
    expect(Buffer.from((await readFile(filePath, 'utf8')).trim(), 'base64').equals(Buffer.from(key))).toBe(
      true,
    );
  });

  it('is reused when the file is present, so data from an earlier run stays readable', async () => {
    const filePath = join(dir, 'local-master-key');
    const first = await loadLocalMasterKey({ filePath, env: {} });
    const { wrapped } = await createLocalKeyProvider(first).generateDataKey({ conversationId: 'c-1' });
    const second = await loadLocalMasterKey({ filePath, env: {} });
    expect(Buffer.from(second).equals(Buffer.from(first))).toBe(true);
    await expect(
      createLocalKeyProvider(second).unwrapDataKey(wrapped, { conversationId: 'c-1' }),
    ).resolves.toHaveLength(32);
  });

  it('gives one key to concurrent first starts', async () => {
    const filePath = join(dir, 'local-master-key');
    const keys = await Promise.all([1, 2, 3, 4].map(() => loadLocalMasterKey({ filePath, env: {} })));
    for (const key of keys) expect(Buffer.from(key).equals(Buffer.from(keys[0]!))).toBe(true);
  });

  it('comes from the environment variable when set, without touching the file', async () => {
    const filePath = join(dir, 'local-master-key');
    const pinned = randomBytes(32);
    const key = await loadLocalMasterKey({
      filePath,
      env: { [LOCAL_MASTER_KEY_ENV]: pinned.toString('base64') },
    });
    expect(Buffer.from(key).equals(pinned)).toBe(true);
    await expect(stat(filePath)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('rejects a key of the wrong length with a clear error that does not show the key', async () => {
    const short = randomBytes(16).toString('base64');
    const fromEnv = loadLocalMasterKey({
      filePath: join(dir, 'unused'),
      env: { [LOCAL_MASTER_KEY_ENV]: short },
    });
    await expect(fromEnv).rejects.toThrow(MasterKeyError);
    await expect(fromEnv).rejects.toThrow(`${LOCAL_MASTER_KEY_ENV} must be 32 bytes, but it is 16`);
    await expect(fromEnv).rejects.not.toThrow(short);

    const filePath = join(dir, 'short-key');
    await writeFile(filePath, `${short}\n`, { mode: 0o600 });
    await expect(loadLocalMasterKey({ filePath, env: {} })).rejects.toThrow(/must be 32 bytes, but it is 16/);
  });

  it('rejects text that is not base64 rather than decoding part of it', async () => {
    const almost = `${randomBytes(32).toString('base64').slice(0, -2)}!=`;
    await expect(
      loadLocalMasterKey({ filePath: join(dir, 'unused'), env: { [LOCAL_MASTER_KEY_ENV]: almost } }),
    ).rejects.toThrow(/not valid base64/);
  });

  posixOnly('refuses a key file that other users can read', async () => {
    const filePath = join(dir, 'local-master-key');
    await loadLocalMasterKey({ filePath, env: {} });
    await chmod(filePath, 0o644);
    await expect(loadLocalMasterKey({ filePath, env: {} })).rejects.toThrow(/chmod 600/);
  });

  it('makes random 32-byte keys for tests', () => {
    const first = createRandomMasterKey();
    expect(first).toHaveLength(32);
    expect(Buffer.from(first).equals(Buffer.from(createRandomMasterKey()))).toBe(false);
  });
});
