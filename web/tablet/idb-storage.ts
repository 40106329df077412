import type { SealedStorage } from './vault.ts';

/**
 * The vault's records in IndexedDB: one object store of strings. Every `write` is one readwrite
 * transaction, which IndexedDB commits whole or not at all, so an answer never lands without its state.
 */
const DATABASE = 'screening-tablet';
const STORE = 'records';

function promised<T>(request: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

function openDatabase(): Promise<IDBDatabase> {
  const request = indexedDB.open(DATABASE, 1);
  request.onupgradeneeded = () => request.result.createObjectStore(STORE);
  return promised(request);
}

function finished(transaction: IDBTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    transaction.oncomplete = () => resolve();
    transaction.onerror = () => reject(transaction.error);
    transaction.onabort = () => reject(transaction.error ?? new Error('transaction aborted'));
  });
}

export function indexedDbStorage(): SealedStorage {
  let database: Promise<IDBDatabase> | undefined;
  const store = async (mode: IDBTransactionMode) => {
    database ??= openDatabase();
    const transaction = (await database).transaction(STORE, mode, { durability: 'strict' });
    return { transaction, records: transaction.objectStore(STORE) };
  };
  return {
    async get(key) {
      const { records } = await store('readonly');
      return (await promised(records.get(key))) as string | undefined;
    },
    async write(sets, deletes = []) {
      const { transaction, records } = await store('readwrite');
      for (const [key, value] of sets) records.put(value, key);
      for (const key of deletes) records.delete(key);
      await finished(transaction);
    },
    async keys() {
      const { records } = await store('readonly');
      return ((await promised(records.getAllKeys())) as string[]).sort();
    },
    async clear() {
      const { transaction, records } = await store('readwrite');
      records.clear();
      await finished(transaction);
    },
  };
}
