/**
 * The tablet's on-device store for answers not yet synced (issue 8): every record is sealed with AES-GCM
 * under a key derived from the interviewer's PIN, so a lost or shared tablet shows nothing without it.
 * The key is never stored; a wrong PIN simply fails to open anything. Storage is abstracted so the app can
 * use IndexedDB and tests a Map.
 */

/** Where sealed records live: IndexedDB in the app, a Map in tests. Keys sort in the order records were made. */
export interface SealedStorage {
  get(key: string): Promise<string | undefined>;
  set(key: string, value: string): Promise<void>;
  delete(key: string): Promise<void>;
  keys(): Promise<string[]>;
}

/** OWASP's 2023 floor for PBKDF2-SHA256: a six-digit PIN stays slow to guess offline. */
export const PBKDF2_ITERATIONS = 600_000;

const encoder = new TextEncoder();
/** Copied into a plain ArrayBuffer-backed array, the only kind WebCrypto's types accept. */
const bytes = (text: string) => new Uint8Array(encoder.encode(text));
const decoder = new TextDecoder();

const toBase64 = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes));
const fromBase64 = (text: string): Uint8Array<ArrayBuffer> =>
  Uint8Array.from(atob(text), (char) => char.charCodeAt(0));

export function newSalt(): Uint8Array<ArrayBuffer> {
  return crypto.getRandomValues(new Uint8Array(16));
}

export async function deriveKey(
  pin: string,
  salt: Uint8Array<ArrayBuffer>,
  iterations = PBKDF2_ITERATIONS,
): Promise<CryptoKey> {
  const material = await crypto.subtle.importKey('raw', bytes(pin), 'PBKDF2', false, ['deriveKey']);
  return crypto.subtle.deriveKey(
    { name: 'PBKDF2', hash: 'SHA-256', salt, iterations },
    material,
    { name: 'AES-GCM', length: 256 },
    false,
    ['encrypt', 'decrypt'],
  );
}

/** Seals one value; the record's storage key is bound in as associated data, so records cannot be swapped. */
export async function seal(key: CryptoKey, recordKey: string, value: unknown): Promise<string> {
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const data = new Uint8Array(
    await crypto.subtle.encrypt(
      { name: 'AES-GCM', iv, additionalData: bytes(recordKey) },
      key,
      bytes(JSON.stringify(value)),
    ),
  );
  return `v1.${toBase64(iv)}.${toBase64(data)}`;
}

export class VaultLockedError extends Error {
  constructor() {
    super('The PIN does not open this device’s saved answers.');
    this.name = 'VaultLockedError';
  }
}

export async function open<T>(key: CryptoKey, recordKey: string, sealed: string): Promise<T> {
  const [version, iv, data] = sealed.split('.');
  if (version !== 'v1' || !iv || !data) throw new VaultLockedError();
  try {
    const plain = await crypto.subtle.decrypt(
      { name: 'AES-GCM', iv: fromBase64(iv), additionalData: bytes(recordKey) },
      key,
      fromBase64(data),
    );
    return JSON.parse(decoder.decode(plain)) as T;
  } catch {
    throw new VaultLockedError();
  }
}

/** A queued answer: what the sync endpoint takes, in the order it was given. */
export interface QueuedEvent {
  conversationId: string;
  eventId: string;
  expectedVersion: number;
  event: Record<string, unknown>;
  answeredAt: string;
  deviceView: string;
}

const PREFIX = 'q:';
const keyOf = (sequence: number) => `${PREFIX}${String(sequence).padStart(12, '0')}`;

/**
 * The outbox of answers given offline: each saved sealed the moment it is given (a reload or a crash loses
 * nothing), read back in order for sync, and wiped once the server has confirmed it.
 */
export function createOutbox(storage: SealedStorage, key: CryptoKey) {
  async function sequences(): Promise<number[]> {
    return (await storage.keys())
      .filter((name) => name.startsWith(PREFIX))
      .map((name) => Number(name.slice(PREFIX.length)))
      .sort((a, b) => a - b);
  }
  return {
    async append(event: QueuedEvent): Promise<void> {
      const next = ((await sequences()).at(-1) ?? 0) + 1;
      await storage.set(keyOf(next), await seal(key, keyOf(next), event));
    },
    async pending(): Promise<QueuedEvent[]> {
      const events: QueuedEvent[] = [];
      for (const sequence of await sequences()) {
        const sealed = await storage.get(keyOf(sequence));
        if (sealed !== undefined) events.push(await open<QueuedEvent>(key, keyOf(sequence), sealed));
      }
      return events;
    },
    /** The server confirmed these event ids (applied or already on record): their device copies go. */
    async confirm(eventIds: readonly string[]): Promise<void> {
      const confirmed = new Set(eventIds);
      for (const sequence of await sequences()) {
        const sealed = await storage.get(keyOf(sequence));
        if (sealed === undefined) continue;
        const event = await open<QueuedEvent>(key, keyOf(sequence), sealed);
        if (confirmed.has(event.eventId)) await storage.delete(keyOf(sequence));
      }
    },
    /** Quick wipe: everything this device holds, without needing the PIN. */
    async wipe(): Promise<void> {
      for (const name of await storage.keys()) await storage.delete(name);
    },
  };
}
