import { randomBytes, timingSafeEqual } from 'node:crypto';
import * as z from 'zod/mini';
import { decryptField, encryptField } from '../crypto/field-cipher.ts';
import { DeviceConflictError } from '../storage/errors.ts';
import type { DeviceRecord } from '../storage/records.ts';
import { requireCaseRole } from './access.ts';
import { ConflictError, NotFoundError, UnprocessableError } from './errors.ts';
import type { Principal } from './principal.ts';
import type { TaskServices } from './services.ts';

/**
 * Issue 18: the tablet's PIN alone no longer opens its saved answers. The key that seals them is derived from
 * the PIN and a second secret the tablet's disk does not keep for long: 32 random bytes per tablet, held
 * here behind an attempt counter. Enrolling (signed in, choosing the PIN) stores the half and a verifier of
 * the PIN (an HMAC under the PIN's PBKDF2 key, never the PIN); unlocking gives the half back only for the
 * right verifier. Every attempt is counted before it is checked: past the third wrong one each waits twice
 * as long (30 s, up to 15 minutes), and after the tenth the tablet is locked for good: its owner enrols it
 * again, with a new half, so whatever it held sealed under the old key is lost with it. That is the point:
 * re-enrolling with the old half would let anyone with the owner's sign-in and a copy of the disk guess
 * offline again.
 */

export const DEVICE_MAX_ATTEMPTS = 10;
export const DEVICE_FREE_ATTEMPTS = 3;
const FIRST_WAIT_MS = 30_000;
const LONGEST_WAIT_MS = 15 * 60_000;
/** How long a tablet may keep the half and unlock offline after the server last gave it (hours). */
export const DEVICE_OFFLINE_HOURS = 12;
const HALF_BYTES = 32;

/** The wait that follows the `attempt`-th attempt in a row, should it be wrong. */
export function waitAfter(attempt: number): number {
  if (attempt < DEVICE_FREE_ATTEMPTS) return 0;
  return Math.min(FIRST_WAIT_MS * 2 ** (attempt - DEVICE_FREE_ATTEMPTS), LONGEST_WAIT_MS);
}

const contextOf = (org: string, deviceId: string) => ({ device: `${org}/${deviceId}` });
const aadOf = (org: string, deviceId: string) => `device:${org}/${deviceId}`;

/** What `secret` seals: the half and the PIN's verifier, together. */
const Sealed = z.object({ half: z.string(), verifier: z.string() });
type Sealed = z.infer<typeof Sealed>;

/** A device id: random, made by the tablet at set-up. */
export const DeviceId = z.uuid();
/** HMAC-SHA-256 of a fixed label under the PIN's PBKDF2 key, base64url: 32 bytes. Never the PIN. */
export const PinVerifier = z.string().check(z.regex(/^[A-Za-z0-9_-]{43}$/, 'a PIN verifier'));

export interface DeviceGrant {
  deviceId: string;
  /** The server's half of the tablet's key, base64url (32 bytes). */
  half: string;
  /** Until when the tablet may keep it and unlock offline; then it asks here again. */
  offlineUntil: string;
}

function grantOf(deviceId: string, half: string, now: Date): DeviceGrant {
  const offlineUntil = new Date(now.getTime() + DEVICE_OFFLINE_HOURS * 3_600_000).toISOString();
  return { deviceId, half, offlineUntil };
}

const deviceExists = () =>
  new ConflictError('device_exists', 'Another account enrolled a device with this id.');

/** A case role sets up a tablet for itself: a new half, a fresh counter (the same id again replaces both). */
export async function enrolDevice(
  services: TaskServices,
  principal: Principal,
  request: { deviceId: string; verifier: string },
): Promise<DeviceGrant> {
  requireCaseRole(principal);
  // Read first, so an id someone else holds is refused without a write.
  const existing = await services.store.getDevice(principal.org, request.deviceId);
  if (existing && existing.owner !== principal.userId) throw deviceExists();
  const now = services.clock();
  const half = randomBytes(HALF_BYTES).toString('base64url');
  const dataKey = await services.keys.generateDataKey(contextOf(principal.org, request.deviceId));
  const sealed: Sealed = { half, verifier: request.verifier };
  const device: DeviceRecord = {
    kind: 'device',
    org: principal.org,
    owner: principal.userId,
    deviceId: request.deviceId,
    enrolledAt: now.toISOString(),
    dataKey: dataKey.wrapped,
    secret: encryptField(dataKey.plaintext, JSON.stringify(sealed), aadOf(principal.org, request.deviceId)),
    failedAttempts: 0,
    version: 1,
  };
  try {
    await services.store.putDevice(device);
  } catch (error) {
    if (error instanceof DeviceConflictError) throw deviceExists();
    throw error;
  }
  return grantOf(request.deviceId, half, now);
}

const secondsUntil = (instant: string, now: Date) =>
  Math.max(1, Math.ceil((Date.parse(instant) - now.getTime()) / 1000));

/** Why a device takes no attempt now, or nothing when it does. */
function refusalFor(device: DeviceRecord, now: Date): ConflictError | undefined {
  if (device.failedAttempts >= DEVICE_MAX_ATTEMPTS)
    return new ConflictError(
      'device_locked',
      'Too many wrong PINs: this tablet is locked. Sign in and set it up again.',
      { attemptsLeft: 0 },
    );
  if (device.waitUntil !== undefined && Date.parse(device.waitUntil) > now.getTime())
    return new ConflictError('device_wait', 'Wait before trying another PIN.', {
      retryAfterSeconds: secondsUntil(device.waitUntil, now),
      attemptsLeft: DEVICE_MAX_ATTEMPTS - device.failedAttempts,
    });
  return undefined;
}

function sameVerifier(expected: string, given: string): boolean {
  const a = Buffer.from(expected, 'utf8');
  const b = Buffer.from(given, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * The owner's tablet proves the PIN (its verifier) and gets the half back. The attempt is counted first, in
 * one conditional write, so guesses sent in parallel are each counted and none is checked past the limit.
 */
export async function unlockDevice(
  services: TaskServices,
  principal: Principal,
  request: { deviceId: string; verifier: string },
): Promise<DeviceGrant> {
  requireCaseRole(principal);
  const device = await services.store.getDevice(principal.org, request.deviceId);
  // Someone else's tablet is reported exactly like one that does not exist.
  if (!device || device.owner !== principal.userId) throw new NotFoundError('device');
  const now = services.clock();
  const refused = refusalFor(device, now);
  if (refused) throw refused;
  const attempt = device.failedAttempts + 1;
  const wait = waitAfter(attempt);
  let charged: DeviceRecord;
  try {
    charged = await services.store.chargeDeviceAttempt(device, {
      now: now.toISOString(),
      maxAttempts: DEVICE_MAX_ATTEMPTS,
      waitUntil: wait > 0 ? new Date(now.getTime() + wait).toISOString() : undefined,
    });
  } catch (error) {
    if (!(error instanceof DeviceConflictError)) throw error;
    // Another attempt was counted between the read and this one: say where the device now stands.
    const current = await services.store.getDevice(principal.org, request.deviceId);
    throw (
      (current && refusalFor(current, now)) ??
      new ConflictError('device_wait', 'Wait before trying another PIN.', { retryAfterSeconds: 1 })
    );
  }
  const key = await services.keys.unwrapDataKey(charged.dataKey, contextOf(charged.org, charged.deviceId));
  const sealed = Sealed.parse(
    JSON.parse(decryptField(key, charged.secret, aadOf(charged.org, charged.deviceId))),
  );
  if (!sameVerifier(sealed.verifier, request.verifier)) {
    const attemptsLeft = DEVICE_MAX_ATTEMPTS - charged.failedAttempts;
    throw new UnprocessableError('wrong_pin', 'That PIN is not the one this tablet was set up with.', {
      attemptsLeft,
      ...(charged.waitUntil ? { retryAfterSeconds: secondsUntil(charged.waitUntil, now) } : {}),
    });
  }
  try {
    await services.store.clearDeviceAttempts(charged);
  } catch (error) {
    // A guess counted meanwhile stays counted; the right PIN still opens the tablet.
    if (!(error instanceof DeviceConflictError)) throw error;
  }
  return grantOf(charged.deviceId, sealed.half, now);
}
