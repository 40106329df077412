import { describe, expect, it } from 'vitest';
import {
  createOutbox,
  deriveKey,
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
    set: async (key, value) => {
      raw.set(key, value);
    },
    delete: async (key) => {
      raw.delete(key);
    },
    keys: async () => [...raw.keys()].sort(),
  };
}

// Few iterations keep the tests quick; the app uses PBKDF2_ITERATIONS.
const keyFor = (pin: string, salt: Uint8Array<ArrayBuffer>) => deriveKey(pin, salt, 1000);

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
    const outbox = createOutbox(storage, await keyFor('482913', salt));
    for (const n of [0, 1, 2]) await outbox.append(queued(n));
    expect([...storage.raw.values()].join(' ')).not.toContain('Bus station');
    // A reload: a fresh outbox over the same storage, opened with the same PIN.
    const reopened = createOutbox(storage, await keyFor('482913', salt));
    expect((await reopened.pending()).map((event) => event.eventId)).toEqual([
      'tablet-event-0',
      'tablet-event-1',
      'tablet-event-2',
    ]);
  });

  it('a wrong PIN opens nothing', async () => {
    const storage = memoryStorage();
    const salt = newSalt();
    await createOutbox(storage, await keyFor('482913', salt)).append(queued(0));
    await expect(createOutbox(storage, await keyFor('000000', salt)).pending()).rejects.toBeInstanceOf(
      VaultLockedError,
    );
  });

  it('records are bound to their place: a record moved to another key does not open', async () => {
    const key = await keyFor('482913', newSalt());
    const sealed = await seal(key, 'q:000000000001', queued(1));
    expect(await open(key, 'q:000000000001', sealed)).toEqual(queued(1));
    await expect(open(key, 'q:000000000002', sealed)).rejects.toBeInstanceOf(VaultLockedError);
  });

  it('confirmed answers are wiped from the device; quick wipe removes everything', async () => {
    const storage = memoryStorage();
    const outbox = createOutbox(storage, await keyFor('482913', newSalt()));
    for (const n of [0, 1, 2]) await outbox.append(queued(n));
    await outbox.confirm(['tablet-event-0', 'tablet-event-1']);
    expect((await outbox.pending()).map((event) => event.eventId)).toEqual(['tablet-event-2']);
    await outbox.append(queued(3));
    expect((await outbox.pending()).map((event) => event.eventId)).toEqual([
      'tablet-event-2',
      'tablet-event-3',
    ]);
    await outbox.wipe();
    expect(storage.raw.size).toBe(0);
  });
});
