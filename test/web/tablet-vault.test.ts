import { describe, expect, it } from 'vitest';
import {
  createVault,
  derivePinSecret,
  deriveVaultKey,
  fromBase64,
  fromBase64Url,
  newSalt,
  open,
  type QueuedEvent,
  type SealedStorage,
  seal,
  toBase64,
  toBase64Url,
  VaultLockedError,
} from '../../web/tablet/vault.ts';

/** A Map behind the storage interface the tablet app backs with IndexedDB. */
function memoryStorage(): SealedStorage & { raw: Map<string, string> } {
  const raw = new Map<string, string>();
  return {
    raw,
    get: async (key) => raw.get(key),
    write: async (sets, deletes = []) => {
      for (const [key, value] of sets) raw.set(key, value);
      for (const key of deletes) raw.delete(key);
    },
    keys: async () => [...raw.keys()].sort(),
    clear: async () => raw.clear(),
  };
}

// Few iterations keep the tests quick; the app uses PBKDF2_ITERATIONS. The second factor (issue 18) is fixed.
const second = new Uint8Array(32).fill(7);
const keyFor = async (pin: string, salt: Uint8Array<ArrayBuffer>) =>
  deriveVaultKey(await derivePinSecret(pin, salt, 1000), second, salt);

interface Session {
  promptId: string;
  answers: string[];
}
const sessionAfter = (n: number): Session => ({
  promptId: `step-${n + 1}`,
  answers: Array.from({ length: n + 1 }, (_, i) => `Bus station on 7th, answer ${i}`),
});

const queued = (n: number): QueuedEvent => ({
  conversationId: '7f1d1a36-1b8c-4d0e-9d51-5a1f1f0e2a11',
  eventId: `tablet-event-${n}`,
  expectedVersion: n,
  event: { type: 'answer.given', promptId: 'place', value: `Bus station on 7th, answer ${n}` },
  answeredAt: `2026-11-28T17:0${n}:00.000Z`,
  deviceView: 'a'.repeat(64),
});

describe('the tablet’s sealed outbox (issue 8)', () => {
  it('keeps answers only sealed, in order, and gives them back with the right PIN', async () => {
    const storage = memoryStorage();
    const salt = newSalt();
    const outbox = createVault<Session>(storage, await keyFor('482913', salt));
    for (const n of [0, 1, 2]) await outbox.append(queued(n), sessionAfter(n));
    expect([...storage.raw.values()].join(' ')).not.toContain('Bus station');
    expect((await outbox.session())?.answers).toHaveLength(3);
    // A reload: a fresh outbox over the same storage, opened with the same PIN.
    const reopened = createVault<Session>(storage, await keyFor('482913', salt));
    expect((await reopened.pending()).map((event) => event.eventId)).toEqual([
      'tablet-event-0',
      'tablet-event-1',
      'tablet-event-2',
    ]);
  });

  it('a wrong PIN is told apart from an empty device and opens nothing', async () => {
    const storage = memoryStorage();
    const salt = newSalt();
    await createVault<Session>(storage, await keyFor('482913', salt)).initialise();
    await expect(
      createVault<Session>(storage, await keyFor('482913', salt)).verify(),
    ).resolves.toBeUndefined();
    await expect(createVault<Session>(storage, await keyFor('111111', salt)).verify()).rejects.toBeInstanceOf(
      VaultLockedError,
    );
  });

  it('a wrong PIN opens no answer', async () => {
    const storage = memoryStorage();
    const salt = newSalt();
    await createVault<Session>(storage, await keyFor('482913', salt)).append(queued(0), sessionAfter(0));
    await expect(
      createVault<Session>(storage, await keyFor('000000', salt)).pending(),
    ).rejects.toBeInstanceOf(VaultLockedError);
  });

  it('records are bound to their place: a record moved to another key does not open', async () => {
    const key = await keyFor('482913', newSalt());
    const sealed = await seal(key, 'q:000000000001', queued(1));
    expect(await open(key, 'q:000000000001', sealed)).toEqual(queued(1));
    await expect(open(key, 'q:000000000002', sealed)).rejects.toBeInstanceOf(VaultLockedError);
  });

  it('confirmed answers are wiped from the device; the state travels with each answer; quick wipe removes everything', async () => {
    const storage = memoryStorage();
    const outbox = createVault<Session>(storage, await keyFor('482913', newSalt()));
    for (const n of [0, 1, 2]) await outbox.append(queued(n), sessionAfter(n));
    await outbox.confirm(['tablet-event-0', 'tablet-event-1']);
    expect((await outbox.pending()).map((event) => event.eventId)).toEqual(['tablet-event-2']);
    await outbox.append(queued(3), sessionAfter(3));
    expect((await outbox.pending()).map((event) => event.eventId)).toEqual([
      'tablet-event-2',
      'tablet-event-3',
    ]);
    // The interview state went with the last answer, in the same write.
    expect((await outbox.session())?.promptId).toBe('step-4');
    await storage.clear();
    expect(storage.raw.size).toBe(0);
  });

  it('seals and reopens an interview of several megabytes (a long transcript) without running out of call arguments', async () => {
    const storage = memoryStorage();
    const salt = newSalt();
    // About 6 MB of transcript: far past the ~65k arguments Safari (and, further on, V8) allows one call.
    const answers = Array.from(
      { length: 60_000 },
      (_, i) => `Answer ${i}: she said the bus from 7th went past the school at ten, ñandú ✓`,
    );
    const long: Session = { promptId: 'step-60001', answers };
    await createVault<Session>(storage, await keyFor('482913', salt)).saveSession(long);
    expect(storage.raw.get('s:interview')?.length).toBeGreaterThan(6_000_000);
    expect(await createVault<Session>(storage, await keyFor('482913', salt)).session()).toEqual(long);
  });

  it('still opens a record sealed in the format tablets already hold (v1, standard base64 with padding)', async () => {
    const salt = newSalt();
    const key = await keyFor('482913', salt);
    // Sealed the way the vault always has, byte for byte, independently of its encoder.
    const iv = crypto.getRandomValues(new Uint8Array(12));
    const data = new Uint8Array(
      await crypto.subtle.encrypt(
        { name: 'AES-GCM', iv, additionalData: new TextEncoder().encode('s:interview') },
        key,
        new TextEncoder().encode(JSON.stringify(sessionAfter(2))),
      ),
    );
    const legacy = `v1.${Buffer.from(iv).toString('base64')}.${Buffer.from(data).toString('base64')}`;
    expect(legacy).toMatch(/[+/=]/);
    expect(await open(key, 's:interview', legacy)).toEqual(sessionAfter(2));
    // And what the vault seals now is the same format: standard base64, readable by the old decoder.
    const [version, ivText, dataText] = (await seal(key, 's:interview', sessionAfter(2))).split('.');
    expect(version).toBe('v1');
    expect(Buffer.from(ivText!, 'base64').toString('base64')).toBe(ivText);
    expect(Buffer.from(dataText!, 'base64').toString('base64')).toBe(dataText);
  });
});

describe('the vault’s base64 helpers', () => {
  it('match the platform’s encoding for every length, large ones included', () => {
    for (const length of [0, 1, 2, 3, 4, 5, 32_767, 32_768, 32_769, 100_000, 3_000_001]) {
      const data = crypto.getRandomValues(new Uint8Array(Math.min(length, 65_536)));
      const input = new Uint8Array(length);
      for (let i = 0; i < length; i += data.length) input.set(data.subarray(0, length - i), i);
      const standard = Buffer.from(input).toString('base64');
      expect(toBase64(input)).toBe(standard);
      expect(Buffer.from(fromBase64(standard)).equals(Buffer.from(input))).toBe(true);
      expect(toBase64Url(input)).toBe(Buffer.from(input).toString('base64url'));
      expect(Buffer.from(fromBase64Url(toBase64Url(input))).equals(Buffer.from(input))).toBe(true);
    }
  });
});
