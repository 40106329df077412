import {
  createVault,
  derivePinSecret,
  deriveVaultKey,
  fromBase64,
  fromBase64Url,
  newSalt,
  PBKDF2_ITERATIONS,
  pinVerifier,
  type SealedStorage,
  toBase64,
  type Vault,
} from './vault.ts';

/**
 * Issue 18: the tablet's PIN and a second factor. Before, the salt and a check value sealed under the PIN's
 * key sat on the disk, so a copy of the disk could be tried against every PIN offline (4.6 guesses a second on
 * two cores: six digits in hours, minutes on a GPU). Now the vault's key needs, besides the PIN, one of:
 *
 * - `prf`: the output of the platform authenticator's WebAuthn PRF extension for a credential made at set-up
 *   (the secret stays in the tablet's secure hardware, which asks for the user's own verification);
 * - `server`: 32 bytes the server keeps per tablet behind its own attempt counter (`POST /devices`,
 *   `POST /devices/{id}/unlock`). The tablet keeps the half only until `offlineUntil` (12 hours after the
 *   server last gave it), so it still unlocks offline through a working day; after that it must ask the
 *   server again, which counts every attempt and locks the tablet after ten wrong ones.
 *
 * The check value is sealed under the whole key: without the second factor every guess looks the same.
 */

/** The tablet's one plaintext record: nothing about any youth, so it can be read before the PIN is typed. */
export interface DeviceRecord {
  /** Format 2 (issue 18). A format-1 record (PIN only) is not read: that tablet is set up again. */
  format: 2;
  salt: string;
  /** The interviewer (`sub`) who set the PIN; another interviewer's sign-in never opens their answers. */
  owner: string;
  /** Random, made at set-up: the server's name for this tablet. */
  deviceId: string;
  factor: 'server' | 'prf';
  /** With `prf`: the platform credential whose PRF output is the second factor (base64). */
  credentialId?: string;
  /** Wrong PINs typed here in a row (a convenience: the server's counter is the one that holds). */
  failures: number;
  /** Epoch ms before which no PIN is tried: each wrong PIN past the fifth doubles the wait. */
  blockedUntil: number;
}

/** The server's half as cached for offline unlocks, and until when (epoch ms). */
interface CachedHalf {
  half: string;
  until: number;
}

const DEVICE = 'p:device';
/** Plain, on purpose and for a bounded time: see the README's threat model. */
const HALF = 'p:half';
const FREE_TRIES = 5;
const FIRST_WAIT_MS = 30_000;
const LONGEST_WAIT_MS = 15 * 60_000;

/** What the server said to an enrolment or an unlock. */
export type ServerReply =
  | { kind: 'ok'; half: string; offlineUntil: string }
  | { kind: 'wrong_pin'; attemptsLeft: number }
  | { kind: 'wait'; seconds: number }
  | { kind: 'locked' }
  | { kind: 'unavailable' };

/** The server's half, through the API (the app), or a fake (tests). */
export interface ServerHalf {
  enrol(deviceId: string, verifier: string): Promise<ServerReply>;
  unlock(deviceId: string, verifier: string): Promise<ServerReply>;
}

/** The platform authenticator's PRF (the app: WebAuthn; tests: Chromium's virtual authenticator). */
export interface PrfFactor {
  /** A new credential and its PRF output for `salt`, or null when this device cannot. */
  create(
    owner: string,
    salt: Uint8Array<ArrayBuffer>,
  ): Promise<{ credentialId: string; output: Uint8Array<ArrayBuffer> } | null>;
  evaluate(credentialId: string, salt: Uint8Array<ArrayBuffer>): Promise<Uint8Array<ArrayBuffer> | null>;
}

export interface Factors {
  /** Absent when there is no connection or no valid sign-in: only a cached half can be used then. */
  server?: ServerHalf | undefined;
  prf?: PrfFactor | undefined;
  iterations?: number;
}

export async function readDevice(storage: SealedStorage): Promise<DeviceRecord | undefined> {
  const raw = await storage.get(DEVICE);
  if (raw === undefined) return undefined;
  const device = JSON.parse(raw) as Partial<DeviceRecord>;
  return device.format === 2 ? (device as DeviceRecord) : undefined;
}

async function writeDevice(storage: SealedStorage, device: DeviceRecord): Promise<void> {
  await storage.write([[DEVICE, JSON.stringify(device)]]);
}

/** The cached half while it is valid; an expired one is deleted the moment it is seen. */
async function cachedHalf(storage: SealedStorage, now: number): Promise<string | undefined> {
  const raw = await storage.get(HALF);
  if (raw === undefined) return undefined;
  const cached = JSON.parse(raw) as CachedHalf;
  if (cached.until > now) return cached.half;
  await storage.write([], [HALF]);
  return undefined;
}

/** Deletes the cached half once its time is up (the app calls it on a timer and at start). */
export async function expireCachedHalf(storage: SealedStorage, now: number): Promise<void> {
  await cachedHalf(storage, now);
}

async function cacheHalf(storage: SealedStorage, half: string, offlineUntil: string, now: number) {
  // Never longer than the server allows, and never past 12 hours whatever it says.
  const until = Math.min(Date.parse(offlineUntil), now + 12 * 3_600_000);
  await storage.write([[HALF, JSON.stringify({ half, until } satisfies CachedHalf)]]);
}

export const isAcceptablePin = (pin: string) => /^\d{6,12}$/.test(pin);

export type SetUp<T> =
  | { ok: true; vault: Vault<T>; factor: DeviceRecord['factor'] }
  | { ok: false; reason: 'unavailable' };

/**
 * First use: a fresh salt and device id, the PIN's secret, and the second factor: the platform
 * authenticator's PRF where it has one, else the server's half (which needs the connection set-up has).
 */
export async function setUpDevice<T>(
  storage: SealedStorage,
  owner: string,
  pin: string,
  factors: Factors,
  now = Date.now(),
): Promise<SetUp<T>> {
  const salt = newSalt();
  const deviceId = crypto.randomUUID();
  const pinSecret = await derivePinSecret(pin, salt, factors.iterations ?? PBKDF2_ITERATIONS);
  const prf = factors.prf ? await factors.prf.create(owner, salt).catch(() => null) : null;
  let second: Uint8Array<ArrayBuffer>;
  let grant: { half: string; offlineUntil: string } | undefined;
  if (prf) {
    second = prf.output;
  } else {
    const reply = factors.server
      ? await factors.server.enrol(deviceId, await pinVerifier(pinSecret))
      : ({ kind: 'unavailable' } as const);
    if (reply.kind !== 'ok') return { ok: false, reason: 'unavailable' };
    grant = reply;
    second = fromBase64Url(reply.half);
  }
  await storage.clear();
  const vault = createVault<T>(storage, await deriveVaultKey(pinSecret, second, salt));
  await vault.initialise();
  if (grant) await cacheHalf(storage, grant.half, grant.offlineUntil, now);
  await writeDevice(storage, {
    format: 2,
    salt: toBase64(salt),
    owner,
    deviceId,
    factor: prf ? 'prf' : 'server',
    ...(prf ? { credentialId: prf.credentialId } : {}),
    failures: 0,
    blockedUntil: 0,
  });
  return { ok: true, vault, factor: prf ? 'prf' : 'server' };
}

export type Unlock<T> =
  | { ok: true; vault: Vault<T> }
  | { ok: false; reason: 'wrong_pin'; attemptsLeft?: number }
  | { ok: false; reason: 'not_set_up' | 'locked' | 'needs_server' | 'no_authenticator' }
  | { ok: false; reason: 'wait'; seconds: number };

export async function unlockDevice<T>(
  storage: SealedStorage,
  pin: string,
  now: number,
  factors: Factors = {},
): Promise<Unlock<T>> {
  const device = await readDevice(storage);
  if (!device) return { ok: false, reason: 'not_set_up' };
  if (device.blockedUntil > now)
    return { ok: false, reason: 'wait', seconds: Math.ceil((device.blockedUntil - now) / 1000) };
  const salt = fromBase64(device.salt);
  // Before any guess is tried: with the server's factor and no valid cached half, there is nothing to try.
  const cached = device.factor === 'server' ? await cachedHalf(storage, now) : undefined;
  if (device.factor === 'server' && cached === undefined && !factors.server)
    return { ok: false, reason: 'needs_server' };
  const pinSecret = await derivePinSecret(pin, salt, factors.iterations ?? PBKDF2_ITERATIONS);
  let second: Uint8Array<ArrayBuffer>;
  if (device.factor === 'prf') {
    const output = device.credentialId
      ? await factors.prf?.evaluate(device.credentialId, salt).catch(() => null)
      : null;
    if (!output) return { ok: false, reason: 'no_authenticator' };
    second = output;
  } else if (cached !== undefined) {
    second = fromBase64Url(cached);
  } else {
    const reply = await factors.server!.unlock(device.deviceId, await pinVerifier(pinSecret));
    switch (reply.kind) {
      case 'ok':
        await cacheHalf(storage, reply.half, reply.offlineUntil, now);
        second = fromBase64Url(reply.half);
        break;
      case 'wrong_pin':
        return { ok: false, reason: 'wrong_pin', attemptsLeft: reply.attemptsLeft };
      case 'wait':
        return { ok: false, reason: 'wait', seconds: reply.seconds };
      case 'locked':
        await storage.write([], [HALF]);
        return { ok: false, reason: 'locked' };
      case 'unavailable':
        return { ok: false, reason: 'needs_server' };
    }
  }
  const vault = createVault<T>(storage, await deriveVaultKey(pinSecret, second, salt));
  try {
    await vault.verify();
  } catch {
    const failures = device.failures + 1;
    const wait =
      failures < FREE_TRIES ? 0 : Math.min(FIRST_WAIT_MS * 2 ** (failures - FREE_TRIES), LONGEST_WAIT_MS);
    await writeDevice(storage, { ...device, failures, blockedUntil: now + wait });
    return { ok: false, reason: 'wrong_pin' };
  }
  if (device.failures > 0) await writeDevice(storage, { ...device, failures: 0, blockedUntil: 0 });
  return { ok: true, vault };
}
