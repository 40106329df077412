import { describe, expect, it } from 'vitest';
import {
  createVault,
  derivePinSecret,
  deriveVaultKey,
  newSalt,
  open,
  type QueuedEvent,
  type SealedStorage,
  seal,
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
});
