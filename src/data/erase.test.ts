import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import type { AisleDb } from './db';
import { eraseEverything } from './erase';
import { cleanUpAfterEach, fakeStorage, freshDb } from './testSupport';

let db: AisleDb;
cleanUpAfterEach(() => db);

describe('eraseEverything', () => {
  it('removes other databases, caches and web storage, and reports them', async () => {
    db = freshDb();
    await db.events.add({ kind: 'view', at: 1_000, sessionId: 's1', itemId: 4 });
    await new Promise<void>((resolve, reject) => {
      const open = indexedDB.open('tensorflowjs');
      open.onsuccess = () => {
        open.result.close();
        resolve();
      };
      open.onerror = () => reject(open.error);
    });
    const caches = fakeCaches(['aisle-catalog-v1', 'images']);
    const local = fakeStorage({ 'aisle.theme': 'dark' });
    const session = fakeStorage({ 'aisle.session': '{}' });

    const report = await eraseEverything({ db, caches, localStorage: local, sessionStorage: session });

    expect(report.databases[0]).toBe(db.name);
    expect(report.databases).toContain('tensorflowjs');
    expect(report.caches).toEqual(['aisle-catalog-v1', 'images']);
    expect(report.localStorageKeys).toEqual(['aisle.theme']);
    expect(report.sessionStorageKeys).toEqual(['aisle.session']);
    expect(report.failures).toEqual([]);
    expect(local.length + session.length).toBe(0);
    expect(await caches.keys()).toEqual([]);
    const remaining = (await indexedDB.databases()).map((d) => d.name);
    expect(remaining).not.toContain('tensorflowjs');
    expect(await db.events.count()).toBe(0);
  });
});

function fakeCaches(names: string[]): CacheStorage {
  const live = new Set(names);
  return {
    keys: async () => [...live],
    delete: async (name: string) => live.delete(name),
  } as unknown as CacheStorage;
}
