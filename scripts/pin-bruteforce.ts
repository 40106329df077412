import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import {
  createVault,
  derivePinSecret,
  deriveVaultKey,
  fromBase64,
  fromBase64Url,
  newSalt,
  open,
  PBKDF2_ITERATIONS,
  type SealedStorage,
  seal,
  toBase64,
  toBase64Url,
} from '../web/tablet/vault.ts';

/**
 * Issue 18: the offline PIN attack on a copy of what the tablet stores (its IndexedDB records, as
 * `test/support/tablet.ts` `deviceRecords` extracts them), and what it finds on each format.
 *
 * - Format 1 (before issue 18): `p:device` holds the salt, `s:check` a known value sealed under a key from
 *   the PIN alone. Each guess costs one PBKDF2 and tells right from wrong: the attack walks the PIN space.
 * - Format 2 with the server's half still cached (`p:half`, at most 12 hours after the server last gave it):
 *   the same walk works. This is the honest limit of the design, stated in the README.
 * - Format 2 after the window (no `p:half`), or with the PRF factor: the check is sealed under a key that
 *   also needs 32 bytes the disk does not hold. Every guess, the right PIN included, opens nothing: there is
 *   no oracle, and the only way left is the server, which counts every attempt and locks after ten.
 *
 * `npm run harness:pin` runs the three on samples made with the app's own code and PBKDF2 cost (600,000);
 * `npm run harness:pin -- --records FILE.json [--from N --to N]` attacks a real extract.
 */

export type Records = Record<string, string>;
export type Verdict = 'opened' | 'nothing';

/** A Map behind the tablet's storage interface, to make samples with the app's own code. */
function memoryStorage(records: Records): SealedStorage {
  return {
    get: async (key) => records[key],
    write: async (sets, deletes = []) => {
      for (const [key, value] of sets) records[key] = value;
      for (const key of deletes) delete records[key];
    },
    keys: async () => Object.keys(records).sort(),
    clear: async () => {
      for (const key of Object.keys(records)) delete records[key];
    },
  };
}

/** Format 1, as `git show HEAD~:web/tablet/device.ts` set a tablet up: the key from the PIN alone. */
export async function formatOneSample(pin: string, iterations = PBKDF2_ITERATIONS): Promise<Records> {
  const salt = newSalt();
  const records: Records = {};
  const key = await formatOneKey(pin, salt, iterations);
  records['s:check'] = await seal(key, 's:check', 'ok');
  records['p:device'] = JSON.stringify({
    salt: toBase64(salt),
    owner: 'sample',
    failures: 0,
    blockedUntil: 0,
  });
  return records;
}

async function formatOneKey(pin: string, salt: Uint8Array<ArrayBuffer>, iterations: number) {
  const material = await crypto.subtle.importKey('raw', new TextEncoder().encode(pin), 'PBKDF2', false, [
    'deriveKey',
  ]);
  return crypto.subtle.deriveKey(
    { name: 'PBKDF2', hash: 'SHA-256', salt, iterations },
    material,
    { name: 'AES-GCM', length: 256 },
    false,
    ['encrypt', 'decrypt'],
  );
}

/**
 * Format 2 as `web/tablet/device.ts` sets a tablet up with the server's half (here 32 random bytes standing
 * for the server's answer), with an answer queued; `cached` keeps the half on the disk as within the window.
 */
export async function formatTwoSample(
  pin: string,
  options: { cached: boolean; iterations?: number },
): Promise<Records> {
  const records: Records = {};
  const storage = memoryStorage(records);
  const salt = newSalt();
  const half = toBase64Url(crypto.getRandomValues(new Uint8Array(32)));
  const pinSecret = await derivePinSecret(pin, salt, options.iterations ?? PBKDF2_ITERATIONS);
  const vault = createVault(storage, await deriveVaultKey(pinSecret, fromBase64Url(half), salt));
  await vault.initialise();
  await vault.append(
    {
      conversationId: crypto.randomUUID(),
      eventId: 'sample-event-1',
      expectedVersion: 0,
      event: { type: 'answer.given', promptId: 'place', value: 'Bus station on 7th' },
      answeredAt: new Date().toISOString(),
      deviceView: 'a'.repeat(64),
    },
    { promptId: 'next' },
  );
  if (options.cached) records['p:half'] = JSON.stringify({ half, until: Date.now() + 12 * 3_600_000 });
  records['p:device'] = JSON.stringify({
    format: 2,
    salt: toBase64(salt),
    owner: 'sample',
    deviceId: crypto.randomUUID(),
    factor: 'server',
    failures: 0,
    blockedUntil: 0,
  });
  return records;
}

async function opens(key: CryptoKey, records: Records): Promise<boolean> {
  // Any sealed record will do: the check, the token, a queued answer. Authenticated decryption says yes or no.
  for (const [name, sealed] of Object.entries(records)) {
    if (!name.startsWith('s:') && !name.startsWith('q:')) continue;
    try {
      await open(key, name, sealed);
      return true;
    } catch {
      // not this key
    }
  }
  return false;
}

/**
 * One offline guess against a copy of the disk: all an attacker can compute from the PIN and what is
 * stored. With format 2 and no cached half, the second factor is not there to be had: the attacker can only
 * put some 32 bytes in its place (here: zeros; any other value is one more guess in 2^256).
 */
export async function guess(records: Records, pin: string, iterations = PBKDF2_ITERATIONS): Promise<Verdict> {
  const device = JSON.parse(records['p:device'] ?? '{}') as { format?: number; salt?: string };
  if (!device.salt) throw new Error('no p:device record with a salt');
  const salt = fromBase64(device.salt);
  if (device.format !== 2)
    return (await opens(await formatOneKey(pin, salt, iterations), records)) ? 'opened' : 'nothing';
  const cached = records['p:half'] ? (JSON.parse(records['p:half']) as { half: string }).half : undefined;
  const second = cached ? fromBase64Url(cached) : new Uint8Array(32);
  const key = await deriveVaultKey(await derivePinSecret(pin, salt, iterations), second, salt);
  return (await opens(key, records)) ? 'opened' : 'nothing';
}

export interface AttackReport {
  tried: number;
  found: string | null;
  verdicts: Record<Verdict, number>;
  seconds: number;
}

/** Walks PINs `from`..`to` (zero-padded to `digits`) and stops at the first one that opens something. */
export async function attack(
  records: Records,
  range: { from: number; to: number; digits: number },
  iterations = PBKDF2_ITERATIONS,
): Promise<AttackReport> {
  const started = performance.now();
  const verdicts: Record<Verdict, number> = { opened: 0, nothing: 0 };
  let found: string | null = null;
  let tried = 0;
  for (let n = range.from; n <= range.to; n += 1) {
    const pin = String(n).padStart(range.digits, '0');
    const verdict = await guess(records, pin, iterations);
    verdicts[verdict] += 1;
    tried += 1;
    if (verdict === 'opened') {
      found = pin;
      break;
    }
  }
  return { tried, found, verdicts, seconds: (performance.now() - started) / 1000 };
}

function describe(name: string, report: AttackReport, pin: string | null) {
  const rate = report.tried / Math.max(report.seconds, 0.001);
  const lines = [
    `${name}`,
    `  tried ${report.tried} PINs in ${report.seconds.toFixed(1)} s (${rate.toFixed(1)} guesses/s on one core)`,
    report.found
      ? `  PIN FOUND: ${report.found}${pin ? ` (the sample's PIN was ${pin})` : ''}`
      : `  no PIN found; verdicts: ${JSON.stringify(report.verdicts)}${pin ? ` (the sample's PIN, ${pin}, was among them)` : ''}`,
  ];
  if (!report.found && report.verdicts.opened === 0)
    lines.push('  every guess looked the same: no oracle on the disk');
  return lines.join('\n');
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      records: { type: 'string' },
      from: { type: 'string', default: '0' },
      to: { type: 'string' },
      digits: { type: 'string', default: '6' },
      pin: { type: 'string', default: '000042' },
    },
  });
  const digits = Number(values.digits);
  if (values.records) {
    const records = JSON.parse(readFileSync(values.records, 'utf8')) as Records;
    const to = Number(values.to ?? String(10 ** digits - 1));
    console.log(
      describe(
        `attack on ${values.records}`,
        await attack(records, { from: Number(values.from), to, digits }),
        null,
      ),
    );
    return;
  }
  // The demonstration: a PIN near the start of the space, so the walks that succeed finish in seconds; the
  // walk on the new format covers the same range, the right PIN included.
  const pin = values.pin;
  const to = Number(values.to ?? String(Number(pin) + 20));
  const range = { from: Number(values.from), to, digits };
  console.log(
    `PBKDF2-SHA256 at ${PBKDF2_ITERATIONS.toLocaleString('en')} iterations, PINs ${range.from}..${range.to}\n`,
  );
  console.log(
    describe(
      'format 1 (before issue 18): salt and check value on the disk',
      await attack(await formatOneSample(pin), range),
      pin,
    ),
  );
  console.log(
    describe(
      'format 2, within the offline window (server half cached on the disk)',
      await attack(await formatTwoSample(pin, { cached: true }), range),
      pin,
    ),
  );
  const after = await attack(await formatTwoSample(pin, { cached: false }), range);
  console.log(describe('format 2, after the offline window (no half on the disk)', after, pin));
  if (after.found) process.exitCode = 1;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();
