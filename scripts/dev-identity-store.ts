import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, type JWK } from 'jose';
import type { Adapter, AdapterPayload } from 'oidc-provider';
import { z } from 'zod';

/**
 * What the development identity provider keeps: its RS256 signing key, the keys of its cookies, and the
 * provider's records (grants, sessions, refresh tokens). With a directory they live in files there, so a
 * restart keeps every issued token valid and every refresh token usable; without one, in memory only.
 */

const PrivateRsaJwk = z.object({
  kty: z.literal('RSA'),
  n: z.string(),
  e: z.string(),
  d: z.string(),
  p: z.string(),
  q: z.string(),
  dp: z.string(),
  dq: z.string(),
  qi: z.string(),
});

const Secrets = z.object({
  signingKey: PrivateRsaJwk,
  cookieKeys: z.array(z.string().min(32)).min(1),
});
type Secrets = z.infer<typeof Secrets>;

export interface IdentitySecrets {
  /** The private signing key as a JWK, with `kid` (its thumbprint), `alg` and `use` set. */
  signingKey: JWK & { kid: string; alg: 'RS256'; use: 'sig' };
  cookieKeys: string[];
}

function writeAtomically(file: string, content: string): void {
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, content, { mode: 0o600 });
  renameSync(temporary, file);
}

async function freshSecrets(): Promise<Secrets> {
  const { privateKey } = await generateKeyPair('RS256', { modulusLength: 2048, extractable: true });
  return {
    signingKey: PrivateRsaJwk.parse(await exportJWK(privateKey)),
    cookieKeys: [randomBytes(32).toString('base64url')],
  };
}

/** The signing key and cookie keys: read from `dir` when it has them, else made (and written there). */
export async function loadSecrets(dir: string | undefined): Promise<IdentitySecrets> {
  const file = dir === undefined ? undefined : join(dir, 'secrets.json');
  let secrets: Secrets;
  if (file !== undefined && existsSync(file)) {
    secrets = Secrets.parse(JSON.parse(readFileSync(file, 'utf8')));
  } else {
    secrets = await freshSecrets();
    if (dir !== undefined && file !== undefined) {
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      writeAtomically(file, `${JSON.stringify(secrets)}\n`);
    }
  }
  const kid = await calculateJwkThumbprint(secrets.signingKey);
  return {
    signingKey: { ...secrets.signingKey, kid, alg: 'RS256', use: 'sig' },
    cookieKeys: secrets.cookieKeys,
  };
}

const StoredEntry = z.object({
  payload: z.record(z.string(), z.unknown()),
  /** Milliseconds since the epoch; absent for records without an expiry. */
  expiresAt: z.number().optional(),
});
type StoredEntry = z.infer<typeof StoredEntry>;
const StoredEntries = z.record(z.string(), StoredEntry);

/** Records that belong to a grant and go when it is revoked (refresh token reuse, revocation). */
const GRANTABLE = new Set(['AccessToken', 'AuthorizationCode', 'RefreshToken', 'DeviceCode']);

/**
 * oidc-provider's storage: one map of `Model:id` → payload, written whole to `store.json` after each change
 * when a directory is given. A development provider holds a handful of records, so a scan is cheap.
 */
export function createRecordStore(dir: string | undefined): { adapter: (model: string) => Adapter } {
  const file = dir === undefined ? undefined : join(dir, 'store.json');
  const entries = new Map<string, StoredEntry>();
  if (file !== undefined && existsSync(file)) {
    const parsed = StoredEntries.safeParse(JSON.parse(readFileSync(file, 'utf8')));
    // A damaged store only costs the developer a sign-in; the key file is what keeps tokens valid.
    if (parsed.success) for (const [key, entry] of Object.entries(parsed.data)) entries.set(key, entry);
  }

  const live = (key: string): StoredEntry | undefined => {
    const entry = entries.get(key);
    if (entry?.expiresAt !== undefined && entry.expiresAt <= Date.now()) {
      entries.delete(key);
      return undefined;
    }
    return entry;
  };

  const persist = () => {
    const now = Date.now();
    for (const [key, entry] of entries)
      if (entry.expiresAt !== undefined && entry.expiresAt <= now) entries.delete(key);
    if (dir === undefined || file === undefined) return;
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    writeAtomically(file, JSON.stringify(Object.fromEntries(entries)));
  };

  const findWhere = (model: string, matches: (payload: AdapterPayload) => boolean) => {
    for (const key of entries.keys()) {
      if (!key.startsWith(`${model}:`)) continue;
      const entry = live(key);
      if (entry && matches(entry.payload as AdapterPayload)) return entry.payload as AdapterPayload;
    }
    return undefined;
  };

  const adapter = (model: string): Adapter => ({
    async upsert(id, payload, expiresIn) {
      entries.set(`${model}:${id}`, {
        payload: { ...payload },
        ...(typeof expiresIn === 'number' ? { expiresAt: Date.now() + expiresIn * 1000 } : {}),
      });
      persist();
    },
    async find(id) {
      return live(`${model}:${id}`)?.payload as AdapterPayload | undefined;
    },
    async findByUid(uid) {
      return findWhere(model, (payload) => payload.uid === uid);
    },
    async findByUserCode(userCode) {
      return findWhere(model, (payload) => payload.userCode === userCode);
    },
    async consume(id) {
      const entry = live(`${model}:${id}`);
      if (entry) entry.payload.consumed = Math.floor(Date.now() / 1000);
      persist();
    },
    async destroy(id) {
      entries.delete(`${model}:${id}`);
      persist();
    },
    async revokeByGrantId(grantId) {
      for (const [key, entry] of entries) {
        const [entryModel] = key.split(':', 1);
        if (entryModel && GRANTABLE.has(entryModel) && entry.payload.grantId === grantId) entries.delete(key);
      }
      persist();
    },
  });

  return { adapter };
}
