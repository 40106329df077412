import {
  createVault,
  deriveKey,
  newSalt,
  PBKDF2_ITERATIONS,
  type SealedStorage,
  type Vault,
} from './vault.ts';

/**
 * The tablet's one plaintext record: the PIN's salt, whose tablet it is, and the count of wrong PINs. It
 * holds nothing about any youth, so it can be read before the PIN is typed.
 */
export interface DeviceRecord {
  salt: string;
  /** The interviewer (`sub`) who set the PIN; another interviewer's sign-in never opens their answers. */
  owner: string;
  failures: number;
  /** Epoch ms before which no PIN is tried: each wrong PIN past the fifth doubles the wait. */
  blockedUntil: number;
}

const DEVICE = 'p:device';
const FREE_TRIES = 5;
const FIRST_WAIT_MS = 30_000;
const LONGEST_WAIT_MS = 15 * 60_000;

const toBase64 = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes));
const fromBase64 = (text: string) => Uint8Array.from(atob(text), (char) => char.charCodeAt(0));

export async function readDevice(storage: SealedStorage): Promise<DeviceRecord | undefined> {
  const raw = await storage.get(DEVICE);
  return raw === undefined ? undefined : (JSON.parse(raw) as DeviceRecord);
}

async function writeDevice(storage: SealedStorage, device: DeviceRecord): Promise<void> {
  await storage.write([[DEVICE, JSON.stringify(device)]]);
}

export const isAcceptablePin = (pin: string) => /^\d{6,12}$/.test(pin);

/** First use: a fresh salt, the key from the PIN, and a check record so later PINs can be verified. */
export async function setUpDevice<T>(
  storage: SealedStorage,
  owner: string,
  pin: string,
  iterations = PBKDF2_ITERATIONS,
): Promise<Vault<T>> {
  await storage.clear();
  const salt = newSalt();
  const key = await deriveKey(pin, salt, iterations);
  const vault = createVault<T>(storage, key);
  await vault.initialise();
  await writeDevice(storage, { salt: toBase64(salt), owner, failures: 0, blockedUntil: 0 });
  return vault;
}

export type Unlock<T> =
  | { ok: true; vault: Vault<T> }
  | { ok: false; reason: 'wrong_pin' | 'not_set_up' }
  | { ok: false; reason: 'wait'; seconds: number };

export async function unlockDevice<T>(
  storage: SealedStorage,
  pin: string,
  now: number,
  iterations = PBKDF2_ITERATIONS,
): Promise<Unlock<T>> {
  const device = await readDevice(storage);
  if (!device) return { ok: false, reason: 'not_set_up' };
  if (device.blockedUntil > now)
    return { ok: false, reason: 'wait', seconds: Math.ceil((device.blockedUntil - now) / 1000) };
  const vault = createVault<T>(
    storage,
    await deriveKey(pin, fromBase64(device.salt) as Uint8Array<ArrayBuffer>, iterations),
  );
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
