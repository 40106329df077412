/**
 * The tablet's on-device store for answers not yet synced (issue 8): every record is sealed with AES-GCM
 * under a key derived from the interviewer's PIN and (issue 18) a second factor the disk does not hold: the
 * server's half (kept on the tablet only for a bounded time) or the platform authenticator's PRF output.
 * The key is never stored; a wrong PIN simply fails to open anything. Storage is abstracted so the app can
 * use IndexedDB and tests a Map.
 */

import { base64url } from 'jose';

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

/** OWASP's 2023 floor for PBKDF2-SHA256: each guess costs the same on every try, online or not. */
export const PBKDF2_ITERATIONS = 600_000;

const encoder = new TextEncoder();
/** Copied into a plain ArrayBuffer-backed array, the only kind WebCrypto's types accept. */
const bytes = (text: string) => new Uint8Array(encoder.encode(text));
const decoder = new TextDecoder();

/** Bytes per `String.fromCharCode` call: well under any engine's limit on a call's arguments (Safari ~65k). */
const CHUNK = 0x8000;

/**
 * Standard base64 with padding: the format sealed records, the salt and the PRF credential id have always
 * been stored in on tablets, so it stays. Encoded a chunk at a time (issue 19): spreading a whole record
 * into one call threw a RangeError for a long interview.
 */
export function toBase64(data: Uint8Array): string {
  const parts: string[] = [];
  for (let start = 0; start < data.length; start += CHUNK) {
    parts.push(String.fromCharCode(...data.subarray(start, start + CHUNK)));
  }
  return btoa(parts.join(''));
}
export function fromBase64(text: string): Uint8Array<ArrayBuffer> {
  const binary = atob(text);
  const data = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i += 1) data[i] = binary.charCodeAt(i);
  return data;
}
/** Unpadded base64url (the server's half, the PIN verifier), through jose. */
export const toBase64Url = (data: Uint8Array): string => base64url.encode(data);
export const fromBase64Url = (text: string): Uint8Array<ArrayBuffer> =>
  new Uint8Array(base64url.decode(text));

export function newSalt(): Uint8Array<ArrayBuffer> {
  return crypto.getRandomValues(new Uint8Array(16));
}

/**
 * Issue 18: the PIN's part of the key: 32 bytes from PBKDF2. On its own it opens nothing: the vault's key
 * also needs the second factor (`deriveVaultKey`), which is not on the tablet's disk for long, or at all.
 */
export async function derivePinSecret(
  pin: string,
  salt: Uint8Array<ArrayBuffer>,
  iterations = PBKDF2_ITERATIONS,
): Promise<Uint8Array<ArrayBuffer>> {
  const material = await crypto.subtle.importKey('raw', bytes(pin), 'PBKDF2', false, ['deriveBits']);
  return new Uint8Array(
    await crypto.subtle.deriveBits({ name: 'PBKDF2', hash: 'SHA-256', salt, iterations }, material, 256),
  );
}

/**
 * What the server checks instead of the PIN: HMAC-SHA-256 of a fixed label under the PIN's secret, 43
 * base64url characters. The server keeps it sealed; the tablet never stores it.
 */
export async function pinVerifier(pinSecret: Uint8Array<ArrayBuffer>): Promise<string> {
  const key = await crypto.subtle.importKey('raw', pinSecret, { name: 'HMAC', hash: 'SHA-256' }, false, [
    'sign',
  ]);
  return toBase64Url(
    new Uint8Array(await crypto.subtle.sign('HMAC', key, bytes('screening-tablet/pin-verifier/v2'))),
  );
}

/** The vault's key: HKDF-SHA-256 over the PIN's secret and the second factor (32 bytes each). */
export async function deriveVaultKey(
  pinSecret: Uint8Array<ArrayBuffer>,
  second: Uint8Array<ArrayBuffer>,
  salt: Uint8Array<ArrayBuffer>,
): Promise<CryptoKey> {
  const ikm = new Uint8Array(pinSecret.length + second.length);
  ikm.set(pinSecret);
  ikm.set(second, pinSecret.length);
  const material = await crypto.subtle.importKey('raw', ikm, 'HKDF', false, ['deriveKey']);
  return crypto.subtle.deriveKey(
    { name: 'HKDF', hash: 'SHA-256', salt, info: bytes('screening-tablet/vault/v2') },
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

/**
 * Issue 20: an interview the tablet started itself, queued ahead of its answers: the server creates the
 * conversation from it on the first sync. Its `eventId` names it in `confirm` like any answer.
 */
export interface QueuedStart {
  kind: 'start';
  conversationId: string;
  eventId: string;
  start: {
    flow: string;
    flowVersion: string;
    instrument: { id: string; version: string };
    locale: string;
    subjectRef: string;
    startedAt: string;
    deviceView: string;
    /** Interviews the server reported as likely the same meeting, which the interviewer says are separate. */
    separateFrom?: string[];
  };
}

/** What waits to be sent, in order; records saved before issue 20 have no `kind` and are answers. */
export type Queued = QueuedEvent | QueuedStart;
export const isStart = (queued: Queued): queued is QueuedStart => 'kind' in queued && queued.kind === 'start';

const QUEUE = 'q:';
const SESSION = 's:interview';
const TOKEN = 's:token';
/** Issue 18: the refresh token of the code flow, sealed like the ID token, never kept plain. */
const REFRESH = 's:refresh';
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
    /**
     * Marks the storage as opened by this key, so a later wrong PIN is told apart from an empty device. It
     * answers only under the whole key (PIN and second factor): with the PIN alone it tells nothing.
     */
    async initialise(): Promise<void> {
      await storage.write([[CHECK, await seal(key, CHECK, 'ok')]]);
    },
    /** Whether this key is the one the device was set up with; throws VaultLockedError when it is not. */
    async verify(): Promise<void> {
      if ((await read<string>(CHECK)) !== 'ok') throw new VaultLockedError();
    },
    /** Saves an answer (or a start) to the outbox and, in the same write, the interview state it leads to. */
    async append(event: Queued, session: TSession): Promise<void> {
      const recordKey = keyOf(((await sequences()).at(-1) ?? 0) + 1);
      await storage.write([
        [recordKey, await seal(key, recordKey, event)],
        [SESSION, await seal(key, SESSION, session)],
      ]);
    },
    async pending(): Promise<Queued[]> {
      const events: Queued[] = [];
      for (const sequence of await sequences()) {
        const event = await read<Queued>(keyOf(sequence));
        if (event) events.push(event);
      }
      return events;
    },
    /** Issue 20: the interviewer called the reported interviews separate: the queued start says so. */
    async markSeparate(conversationId: string, others: readonly string[]): Promise<boolean> {
      for (const sequence of await sequences()) {
        const recordKey = keyOf(sequence);
        const queued = await read<Queued>(recordKey);
        if (!queued || !isStart(queued) || queued.conversationId !== conversationId) continue;
        const separateFrom = [...new Set([...(queued.start.separateFrom ?? []), ...others])];
        const amended: QueuedStart = { ...queued, start: { ...queued.start, separateFrom } };
        await storage.write([[recordKey, await seal(key, recordKey, amended)]]);
        return true;
      }
      return false;
    },
    /** The server confirmed these event ids (applied or already on record): their device copies go. */
    async confirm(eventIds: readonly string[]): Promise<void> {
      const confirmed = new Set(eventIds);
      const gone: string[] = [];
      for (const sequence of await sequences()) {
        const event = await read<Queued>(keyOf(sequence));
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
    refreshToken: () => read<string>(REFRESH),
    /** The ID token and (when there is one) the refresh token it came with, sealed in one write. */
    async saveTokens(idToken: string, refreshToken?: string): Promise<void> {
      await storage.write(
        [
          [TOKEN, await seal(key, TOKEN, idToken)],
          ...(refreshToken ? [[REFRESH, await seal(key, REFRESH, refreshToken)] as [string, string]] : []),
        ],
        refreshToken ? [] : [REFRESH],
      );
    },
    async forgetToken(): Promise<void> {
      await storage.write([], [TOKEN, REFRESH]);
    },
  };
}

export type Vault<TSession> = ReturnType<typeof createVault<TSession>>;
