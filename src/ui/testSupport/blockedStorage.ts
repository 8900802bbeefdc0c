// For tests of the shopper in a browser that gives no storage: IndexedDB refuses to open, as
// Firefox's private windows and some locked-down profiles do, so every table lives in memory.
import type * as DbModule from '../../data/db';

/** The data/db module with getDb() returning a database whose every open throws SecurityError. */
export async function blockedDbModule(
  importOriginal: () => Promise<typeof DbModule>,
  name: string,
): Promise<typeof DbModule> {
  const actual = await importOriginal();
  const blocked = {
    open() {
      throw new DOMException('The operation is insecure.', 'SecurityError');
    },
  } as unknown as IDBFactory;
  const db = new actual.AisleDb(name, { indexedDB: blocked, IDBKeyRange: class {} as never });
  return { ...actual, getDb: () => db };
}
