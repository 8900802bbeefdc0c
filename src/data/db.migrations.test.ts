// Schema migration harness. Versions covered: 1, 2, 3, 4, 5.
//
// Every version in db.ts's schemaHistory must have an entry in `migrationChecks`; the
// first test fails as soon as a version is added to db.ts without one. A check for
// version N > 1 should seed a database at N - 1 with openAtVersion(), write rows in the
// old shape, then open AisleDb and assert the rows were migrated.
import 'fake-indexeddb/auto';
import Dexie from 'dexie';
import { afterEach, describe, expect, it } from 'vitest';
import { AisleDb, schemaVersions } from './db';
import { openAtVersion, uniqueDbName } from './testSupport';

interface ExpectedStore {
  keyPath: string | string[];
  autoIncrement: boolean;
  /** index name -> key path */
  indexes: Record<string, string | string[]>;
}

/** The v1 layout, written out literally so that editing v1 in db.ts fails this test. */
const v1Layout: Record<string, ExpectedStore> = {
  events: {
    keyPath: 'id',
    autoIncrement: true,
    indexes: {
      kind: 'kind',
      at: 'at',
      itemId: 'itemId',
      sessionId: 'sessionId',
      '[kind+at]': ['kind', 'at'],
    },
  },
  cart: { keyPath: 'itemId', autoIncrement: false, indexes: {} },
  settings: { keyPath: 'key', autoIncrement: false, indexes: {} },
  profile: { keyPath: 'key', autoIncrement: false, indexes: {} },
  models: { keyPath: 'name', autoIncrement: false, indexes: { trainedAt: 'trainedAt' } },
  checkpoints: { keyPath: 'name', autoIncrement: false, indexes: {} },
  evalRuns: {
    keyPath: 'id',
    autoIncrement: true,
    indexes: { createdAt: 'createdAt', dataset: 'dataset', model: 'model' },
  },
  datasets: { keyPath: 'hash', autoIncrement: false, indexes: { importedAt: 'importedAt' } },
};

/** v2 adds the offers table and changes nothing else. */
const v2Layout: Record<string, ExpectedStore> = {
  ...v1Layout,
  offers: { keyPath: 'id', autoIncrement: false, indexes: { madeAt: 'madeAt' } },
};

/** v3: events index nothing that a sealed row hides; the cart gets a counter key; the keyring. */
const v3Layout: Record<string, ExpectedStore> = {
  ...v2Layout,
  events: {
    keyPath: 'id',
    autoIncrement: true,
    indexes: { kind: 'kind', at: 'at', '[kind+at]': ['kind', 'at'] },
  },
  cartLines: { keyPath: 'id', autoIncrement: true, indexes: {} },
  keyring: { keyPath: 'id', autoIncrement: false, indexes: {} },
};

const { cart: _removedInV4, ...v4Layout } = v3Layout;

/** v5 adds the imported community model's table and changes nothing else. */
const v5Layout: Record<string, ExpectedStore> = {
  ...v4Layout,
  importedModels: { keyPath: 'slot', autoIncrement: false, indexes: {} },
};

async function layoutAt(name: string, version: number) {
  const db = openAtVersion(name, version);
  await db.open();
  try {
    return readLayout(db.backendDB());
  } finally {
    db.close();
  }
}

const migrationChecks: Record<number, { description: string; check: (name: string) => Promise<void> }> = {
  1: {
    description: 'opening v1 on an empty database creates every table with its indexes',
    async check(name) {
      expect(await layoutAt(name, 1)).toEqual(v1Layout);
    },
  },
  2: {
    description: 'v1 -> v2 adds the offers table and keeps every v1 row',
    async check(name) {
      const old = openAtVersion(name, 1);
      await old.open();
      await old.table('events').add({ kind: 'purchase', at: 5, sessionId: 's', itemId: 3, price: 9.99 });
      await old.table('cart').add({ itemId: 7, addedAt: 6 });
      await old.table('settings').put({ key: 'diversity', value: 0.8 });
      await old.table('profile').put({ key: 'edits', value: { priceCeiling: 20 }, updatedAt: 7 });
      old.close();
      const v2 = openAtVersion(name, 2);
      await v2.open();
      try {
        expect(readLayout(v2.backendDB())).toEqual(v2Layout);
        expect(await v2.table('events').toArray()).toEqual([
          { id: 1, kind: 'purchase', at: 5, sessionId: 's', itemId: 3, price: 9.99 },
        ]);
        expect(await v2.table('cart').toArray()).toEqual([{ itemId: 7, addedAt: 6 }]);
        expect(await v2.table('settings').get('diversity')).toEqual({ key: 'diversity', value: 0.8 });
        expect((await v2.table('profile').get('edits'))?.value).toEqual({ priceCeiling: 20 });
        expect(await v2.table('offers').count()).toBe(0);
      } finally {
        v2.close();
      }
    },
  },
  3: {
    description: 'v2 -> v3 copies every cart line into cartLines and keeps the events and offers',
    async check(name) {
      const v2 = openAtVersion(name, 2);
      await v2.table('cart').bulkAdd([
        { itemId: 7, addedAt: 300 },
        { itemId: 3, addedAt: 100 },
      ]);
      await v2.table('events').add({ kind: 'view', at: 5, sessionId: 's', itemId: 7 });
      await v2.table('offers').put({ id: 'o1', madeAt: 4 });
      v2.close();

      const v3 = openAtVersion(name, 3);
      await v3.open();
      try {
        expect(readLayout(v3.backendDB())).toEqual(v3Layout);
        const lines = await v3.table('cartLines').toArray();
        expect(lines.map(({ itemId, addedAt }) => ({ itemId, addedAt }))).toEqual([
          { itemId: 3, addedAt: 100 },
          { itemId: 7, addedAt: 300 },
        ]);
        expect(await v3.table('events').toArray()).toEqual([
          { id: 1, kind: 'view', at: 5, sessionId: 's', itemId: 7 },
        ]);
        expect(await v3.table('offers').toArray()).toEqual([{ id: 'o1', madeAt: 4 }]);
      } finally {
        v3.close();
      }
    },
  },
  4: {
    description: 'v3 -> v4 drops the old cart table and keeps cartLines',
    async check(name) {
      const v3 = openAtVersion(name, 3);
      await v3.table('cartLines').add({ itemId: 4, addedAt: 9 });
      v3.close();
      const v4 = openAtVersion(name, 4);
      await v4.open();
      try {
        expect(readLayout(v4.backendDB())).toEqual(v4Layout);
        expect(await v4.table('cartLines').toArray()).toEqual([{ id: 1, itemId: 4, addedAt: 9 }]);
      } finally {
        v4.close();
      }
    },
  },
  5: {
    description: 'v4 -> v5 adds the importedModels table, empty, and keeps the cart and models',
    async check(name) {
      const v4 = openAtVersion(name, 4);
      await v4.table('cartLines').add({ itemId: 4, addedAt: 9 });
      await v4.table('models').put({ name: 'mf', trainedAt: 7 });
      v4.close();
      const db = new AisleDb(name);
      await db.open();
      try {
        expect(readLayout(db.backendDB())).toEqual(v5Layout);
        expect(await db.cartLines.toArray()).toEqual([{ id: 1, itemId: 4, addedAt: 9 }]);
        expect(await db.table('models').toArray()).toEqual([{ name: 'mf', trainedAt: 7 }]);
        expect(await db.importedModels.count()).toBe(0);
      } finally {
        db.close();
      }
    },
  },
};

/** What the browser actually created, read from IndexedDB itself rather than from Dexie. */
function readLayout(idb: IDBDatabase): Record<string, ExpectedStore> {
  const storeNames = Array.from(idb.objectStoreNames);
  const tx = idb.transaction(storeNames, 'readonly');
  const layout: Record<string, ExpectedStore> = {};
  for (const storeName of storeNames) {
    const store = tx.objectStore(storeName);
    const indexes: Record<string, string | string[]> = {};
    for (const indexName of Array.from(store.indexNames)) {
      const keyPath = store.index(indexName).keyPath;
      indexes[indexName] = Array.isArray(keyPath) ? [...keyPath] : keyPath;
    }
    const keyPath = store.keyPath;
    layout[storeName] = {
      keyPath: Array.isArray(keyPath) ? [...keyPath] : (keyPath as string),
      autoIncrement: store.autoIncrement,
      indexes,
    };
  }
  return layout;
}

const openedNames: string[] = [];
afterEach(async () => {
  await Promise.all(openedNames.splice(0).map((name) => Dexie.delete(name)));
});

describe('schema migrations', () => {
  it('has a migration check for every schema version declared in db.ts', () => {
    const untested = schemaVersions.filter((version) => !(version in migrationChecks));
    expect(untested, 'add a migrationChecks entry for these versions').toEqual([]);
    const stale = Object.keys(migrationChecks)
      .map(Number)
      .filter((version) => !schemaVersions.includes(version));
    expect(stale, 'these checks name versions db.ts does not declare').toEqual([]);
  });

  it('declares versions in increasing order', () => {
    expect([...schemaVersions].sort((a, b) => a - b)).toEqual(schemaVersions);
    expect(new Set(schemaVersions).size).toBe(schemaVersions.length);
  });

  for (const version of schemaVersions) {
    const entry = migrationChecks[version];
    it(`v${version}: ${entry?.description ?? 'MISSING CHECK'}`, async () => {
      expect(entry).toBeDefined();
      const name = uniqueDbName('aisle-migration');
      openedNames.push(name);
      await entry.check(name);
    });
  }

  it('the latest version opens over a database seeded at the previous one', async () => {
    const latest = schemaVersions[schemaVersions.length - 1];
    const name = uniqueDbName('aisle-migration');
    openedNames.push(name);
    const previous = schemaVersions.filter((v) => v < latest).pop();
    if (previous !== undefined) {
      const old = openAtVersion(name, previous);
      await old.open();
      old.close();
    }
    const db = new AisleDb(name);
    await db.open();
    expect(db.verno).toBe(latest);
    db.close();
  });
});
