import 'fake-indexeddb/auto';
import { describe, expect, it, vi } from 'vitest';
import type { AisleDb } from './db';
import { announceErase, eraseEverything, onErasedElsewhere } from './erase';
import { cleanUpAfterEach, fakeStorage, freshDb, patience } from './testSupport';

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
    // the state version is bumped before anything is deleted, then cleared with the rest
    expect(report.localStorageKeys).toEqual(['aisle.theme', 'aisle:state-version']);
    expect(report.sessionStorageKeys).toEqual(['aisle.session']);
    expect(report.failures).toEqual([]);
    expect(local.length + session.length).toBe(0);
    expect(await caches.keys()).toEqual([]);
    const remaining = (await indexedDB.databases()).map((d) => d.name);
    expect(remaining).not.toContain('tensorflowjs');
    expect(await db.events.count()).toBe(0);
  });
});

describe('an erase heard by other tabs', () => {
  // another tab is another BroadcastChannel object on the same name (Node delivers between them too)
  const otherTab = () => new BroadcastChannel('aisle-erased');
  const nextMessage = (channel: BroadcastChannel) =>
    new Promise<unknown>((resolve) => (channel.onmessage = (message) => resolve(message.data)));

  it('tells other tabs once the erase removed the database', async () => {
    db = freshDb();
    await db.events.add({ kind: 'view', at: 1_000, sessionId: 's1', itemId: 4 });
    const other = otherTab();
    const heard = nextMessage(other);
    await eraseEverything({ db, caches: fakeCaches([]), localStorage: fakeStorage({}) });
    expect(await heard).toMatchObject({ kind: 'erased' });
    other.close();
  });

  it("calls this tab's listeners for another tab's erase, not for its own, and stops when asked", async () => {
    // a witness that never stops listening says when a message has been delivered, so the checks
    // of what was not heard wait for delivery rather than for a fixed time a busy machine can miss
    let witnessed = 0;
    const stopWitness = onErasedElsewhere(() => witnessed++);
    const calls: string[] = [];
    const stop = onErasedElsewhere(() => calls.push('erased elsewhere'));
    announceErase(); // a BroadcastChannel does not deliver to its own sender: never heard here

    const other = otherTab();
    other.postMessage({ kind: 'erased', at: 5 });
    await vi.waitFor(() => expect(witnessed).toBe(1), patience);
    expect(calls).toEqual(['erased elsewhere']);

    // one sender's messages arrive in order: once the witness hears the second erase, the other
    // message and the erase after stop() have both been delivered
    other.postMessage({ kind: 'something else' });
    stop();
    other.postMessage({ kind: 'erased', at: 6 });
    await vi.waitFor(() => expect(witnessed).toBe(2), patience);
    expect(calls).toEqual(['erased elsewhere']);
    stopWitness();
    other.close();
  });
});

function fakeCaches(names: string[]): CacheStorage {
  const live = new Set(names);
  return {
    keys: async () => [...live],
    delete: async (name: string) => live.delete(name),
  } as unknown as CacheStorage;
}
