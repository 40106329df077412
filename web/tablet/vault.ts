/**
 * The tablet's on-device store for answers not yet synced (issue 8): every record is sealed with AES-GCM
 * under a key derived from the interviewer's PIN, so a lost or shared tablet shows nothing without it.
 * The key is never stored; a wrong PIN simply fails to open anything. Storage is abstracted so the app can
 * use IndexedDB and tests a Map.
 */

/**
 * Where sealed records live: IndexedDB in the app, a Map in tests. `write` is atomic, so an answer and the
 * interview state it moves to are saved together or not at all.
 */
export interface SealedStorage {
  get(key: string): Promise<string | undefined>;
  write(sets: readonly (readonly [string, string])[], deletes?: readonly string[]): Promise<void>;
  keys(): Promise<string[]>;
  /** Quick wipe: every record, sealed or not. */
  clear(): Promise<void>;
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

const QUEUE = 'q:';
const SESSION = 's:interview';
const TOKEN = 's:token';
const CHECK = 's:check';
const keyOf = (sequence: number) => `${QUEUE}${String(sequence).padStart(12, '0')}`;

/**
 * Everything the tablet keeps, sealed under the PIN's key: the outbox of answers given but not yet
 * confirmed by the server (each saved the moment it is given, so a reload or a crash loses nothing), the
 * interview in progress, and the sign-in token. Confirmed answers are wiped; quick wipe needs no PIN.
 */
export function createVault<TSession>(storage: SealedStorage, key: CryptoKey) {
  async function sequences(): Promise<number[]> {
    return (await storage.keys())
      .filter((name) => name.startsWith(QUEUE))
      .map((name) => Number(name.slice(QUEUE.length)))
      .sort((a, b) => a - b);
  }
  async function read<T>(recordKey: string): Promise<T | undefined> {
    const sealed = await storage.get(recordKey);
    return sealed === undefined ? undefined : open<T>(key, recordKey, sealed);
  }
  return {
    /** Marks the storage as opened by this key, so a later wrong PIN is told apart from an empty device. */
    async initialise(): Promise<void> {
      await storage.write([[CHECK, await seal(key, CHECK, 'ok')]]);
    },
    /** Whether this key is the one the device was set up with; throws VaultLockedError when it is not. */
    async verify(): Promise<void> {
      if ((await read<string>(CHECK)) !== 'ok') throw new VaultLockedError();
    },
    /** Saves an answer to the outbox and, in the same write, the interview state it leads to. */
    async append(event: QueuedEvent, session: TSession): Promise<void> {
      const recordKey = keyOf(((await sequences()).at(-1) ?? 0) + 1);
      await storage.write([
        [recordKey, await seal(key, recordKey, event)],
        [SESSION, await seal(key, SESSION, session)],
      ]);
    },
    async pending(): Promise<QueuedEvent[]> {
      const events: QueuedEvent[] = [];
      for (const sequence of await sequences()) {
        const event = await read<QueuedEvent>(keyOf(sequence));
        if (event) events.push(event);
      }
      return events;
    },
    /** The server confirmed these event ids (applied or already on record): their device copies go. */
    async confirm(eventIds: readonly string[]): Promise<void> {
      const confirmed = new Set(eventIds);
      const gone: string[] = [];
      for (const sequence of await sequences()) {
        const event = await read<QueuedEvent>(keyOf(sequence));
        if (event && confirmed.has(event.eventId)) gone.push(keyOf(sequence));
      }
      if (gone.length > 0) await storage.write([], gone);
    },
    session: () => read<TSession>(SESSION),
    async saveSession(session: TSession): Promise<void> {
      await storage.write([[SESSION, await seal(key, SESSION, session)]]);
    },
    async forgetSession(): Promise<void> {
      await storage.write([], [SESSION]);
    },
    token: () => read<string>(TOKEN),
    async saveToken(token: string): Promise<void> {
      await storage.write([[TOKEN, await seal(key, TOKEN, token)]]);
    },
    async forgetToken(): Promise<void> {
      await storage.write([], [TOKEN]);
    },
  };
}

export type Vault<TSession> = ReturnType<typeof createVault<TSession>>;
