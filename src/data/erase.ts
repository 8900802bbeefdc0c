// "Erase everything": remove every trace of Aisle from this browser, Aisle's database and
// whatever else this origin stored (tfjs's model database, caches, web storage).
import { getDb, type AisleDb } from './db';
import { bumpStateVersion } from './stateVersion';

/** Where eraseEverything looks; the browser's own objects by default, fakes in tests. */
export interface ErasureEnvironment {
  db: AisleDb;
  indexedDB?: IDBFactory;
  caches?: CacheStorage;
  localStorage?: Storage;
  sessionStorage?: Storage;
}

export interface ErasureReport {
  /** IndexedDB databases deleted, Aisle's own first. */
  databases: string[];
  /** CacheStorage caches deleted. */
  caches: string[];
  localStorageKeys: string[];
  sessionStorageKeys: string[];
  /** Things that could not be removed, in words. */
  failures: string[];
}

/** Databases other code may leave behind, deleted when the browser cannot list databases. */
export const knownForeignDatabases = ['tensorflowjs'];

const blockedTimeoutMs = 5_000;

/**
 * Other tabs of the store hear of an erase here: a deleted database sends its open observers
 * nothing, so without this they would go on showing (and ranking from) what no longer exists.
 * One channel per tab, used both to tell and to listen: a BroadcastChannel never delivers a
 * message to the object that posted it, so a tab does not hear its own erase.
 */
const erasedChannelName = 'aisle-erased';
let erasedChannel: BroadcastChannel | null = null;
const erasedListeners = new Set<() => void>();

function channelOfThisTab(): BroadcastChannel | null {
  if (typeof BroadcastChannel !== 'function') return null;
  if (!erasedChannel) {
    erasedChannel = new BroadcastChannel(erasedChannelName);
    erasedChannel.onmessage = (message: MessageEvent<unknown>) => {
      const data = message.data as { kind?: unknown } | null;
      if (data?.kind !== 'erased') return;
      for (const listener of erasedListeners) listener();
    };
  }
  return erasedChannel;
}

/** Tells this origin's other tabs that everything was erased. */
export function announceErase(): void {
  channelOfThisTab()?.postMessage({ kind: 'erased', at: Date.now() });
}

/** Calls `listener` whenever another tab erased everything; returns the function that stops listening. */
export function onErasedElsewhere(listener: () => void): () => void {
  channelOfThisTab();
  erasedListeners.add(listener);
  return () => erasedListeners.delete(listener);
}

/**
 * Removes everything this site stored in the browser: Aisle's database, every other
 * IndexedDB database of this origin (e.g. tfjs's 'tensorflowjs'), CacheStorage caches,
 * and localStorage/sessionStorage. Reports what it removed. The Aisle database object
 * stays usable afterwards: it reopens empty on next use. Callers holding unsaved events
 * (EventLog) should discard them.
 */
export async function eraseEverything(env: Partial<ErasureEnvironment> = {}): Promise<ErasureReport> {
  const db = env.db ?? getDb();
  const idb = env.indexedDB ?? globalThis.indexedDB;
  const report: ErasureReport = {
    databases: [],
    caches: [],
    localStorageKeys: [],
    sessionStorageKeys: [],
    failures: [],
  };
  const localStorage = env.localStorage ?? safeGlobal(() => globalThis.localStorage);
  // before anything is deleted: should the erase stop half-way, rows kept for the old state are
  // no longer theirs (data/stateVersion.ts); once localStorage is cleared the shopper is new
  bumpStateVersion(localStorage ?? null);

  try {
    await db.delete({ disableAutoOpen: false });
    report.databases.push(db.name);
  } catch (error) {
    report.failures.push(`database ${db.name}: ${errorText(error)}`);
  }

  if (idb) {
    for (const name of await otherDatabaseNames(idb, db.name)) {
      try {
        await deleteRawDatabase(idb, name);
        report.databases.push(name);
      } catch (error) {
        report.failures.push(`database ${name}: ${errorText(error)}`);
      }
    }
  }

  const cacheStorage = env.caches ?? safeGlobal(() => globalThis.caches);
  if (cacheStorage) {
    try {
      for (const name of await cacheStorage.keys()) {
        if (await cacheStorage.delete(name)) report.caches.push(name);
      }
    } catch (error) {
      report.failures.push(`caches: ${errorText(error)}`);
    }
  }

  report.localStorageKeys = clearStorage(localStorage, report);
  report.sessionStorageKeys = clearStorage(
    env.sessionStorage ?? safeGlobal(() => globalThis.sessionStorage),
    report,
  );
  if (report.databases.length > 0) announceErase();
  return report;
}

async function otherDatabaseNames(idb: IDBFactory, ownName: string): Promise<string[]> {
  if (typeof idb.databases === 'function') {
    try {
      const infos = await idb.databases();
      return infos.map((info) => info.name).filter((name): name is string => !!name && name !== ownName);
    } catch {
      // fall back to the names we know about
    }
  }
  return knownForeignDatabases.filter((name) => name !== ownName);
}

function deleteRawDatabase(idb: IDBFactory, name: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const request = idb.deleteDatabase(name);
    // "blocked" means another tab still has it open; the delete completes once it closes,
    // but the shopper should not wait forever for that
    const timer = setTimeout(() => reject(new Error('still open in another tab')), blockedTimeoutMs);
    request.onsuccess = () => {
      clearTimeout(timer);
      resolve();
    };
    request.onerror = () => {
      clearTimeout(timer);
      reject(request.error ?? new Error('delete failed'));
    };
  });
}

function clearStorage(storage: Storage | undefined, report: ErasureReport): string[] {
  if (!storage) return [];
  try {
    const keys = Array.from({ length: storage.length }, (_, i) => storage.key(i)).filter(
      (key): key is string => key !== null,
    );
    storage.clear();
    return keys;
  } catch (error) {
    report.failures.push(`web storage: ${errorText(error)}`);
    return [];
  }
}

/** Reading some globals throws (e.g. localStorage with storage blocked). */
function safeGlobal<T>(read: () => T | undefined): T | undefined {
  try {
    return read();
  } catch {
    return undefined;
  }
}

const errorText = (error: unknown) => (error instanceof Error ? error.message : String(error));
