import { randomBytes } from 'node:crypto';
import { link, mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { MasterKeyError } from './errors.ts';

/**
 * The master key for the local key provider (`npm start` only; Lambda uses KMS). An environment variable
 * wins so a shared dev setup can pin one key; otherwise the key lives in a file the caller names, created
 * on first use and readable by the owner only, so data written in one run can be read in the next.
 */

export const LOCAL_MASTER_KEY_ENV = 'CSE_LOCAL_MASTER_KEY';
const MASTER_KEY_BYTES = 32;
const HOW_TO_MAKE_ONE = 'make one with `openssl rand -base64 32`';

export interface LocalMasterKeyOptions {
  /** Where to keep the key when the environment variable is unset, e.g. `.data/local-master-key`. */
  filePath: string;
  env?: Readonly<Record<string, string | undefined>>;
}

export async function loadLocalMasterKey({
  filePath,
  env = process.env,
}: LocalMasterKeyOptions): Promise<Uint8Array> {
  const fromEnv = env[LOCAL_MASTER_KEY_ENV];
  if (fromEnv !== undefined && fromEnv.trim() !== '') return decodeMasterKey(fromEnv, LOCAL_MASTER_KEY_ENV);
  return (await readMasterKeyFile(filePath)) ?? (await createMasterKeyFile(filePath));
}

export function createRandomMasterKey(): Uint8Array {
  return new Uint8Array(randomBytes(MASTER_KEY_BYTES));
}

async function readMasterKeyFile(filePath: string): Promise<Uint8Array | undefined> {
  let text: string;
  try {
    text = await readFile(filePath, 'utf8');
  } catch (error) {
    if (isErrnoException(error) && error.code === 'ENOENT') return undefined;
    throw error;
  }
  await refuseIfOthersCanRead(filePath);
  return decodeMasterKey(text, filePath);
}

async function createMasterKeyFile(filePath: string): Promise<Uint8Array> {
  await mkdir(dirname(filePath), { recursive: true, mode: 0o700 });
  const key = createRandomMasterKey();
  // Written aside, then linked into place: link never overwrites (losing a key would make everything
  // encrypted with it unreadable) and a concurrent reader never sees a half-written file.
  const pending = `${filePath}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  await writeFile(pending, `${Buffer.from(key).toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
  try {
    await link(pending, filePath);
    return key;
  } catch (error) {
    // Another process created it between our read and our link: use theirs.
    if (isErrnoException(error) && error.code === 'EEXIST') {
      const existing = await readMasterKeyFile(filePath);
      if (existing) return existing;
    }
    throw error;
  } finally {
    await rm(pending, { force: true });
  }
}

/** Like ssh with private keys: a key others can read protects nothing, so say so rather than use it. */
async function refuseIfOthersCanRead(filePath: string): Promise<void> {
  if (process.platform === 'win32') return;
  const { mode } = await stat(filePath);
  if ((mode & 0o077) !== 0)
    throw new MasterKeyError(
      `The master key file ${filePath} can be read by other users; run \`chmod 600 ${filePath}\`.`,
    );
}

/** Strict base64: Buffer.from silently skips bad characters, which would quietly yield a different key. */
function decodeMasterKey(encoded: string, source: string): Uint8Array {
  const text = encoded.trim();
  const bytes = Buffer.from(text, 'base64');
  const canonical = bytes.toString('base64');
  if (text.replace(/=+$/, '') !== canonical.replace(/=+$/, ''))
    throw new MasterKeyError(`The master key in ${source} is not valid base64; ${HOW_TO_MAKE_ONE}.`);
  if (bytes.length !== MASTER_KEY_BYTES)
    throw new MasterKeyError(
      `The master key in ${source} must be ${MASTER_KEY_BYTES} bytes, but it is ${bytes.length}; ${HOW_TO_MAKE_ONE}.`,
    );
  return new Uint8Array(bytes);
}

function isErrnoException(error: unknown): error is NodeJS.ErrnoException {
  return error instanceof Error && 'code' in error;
}
