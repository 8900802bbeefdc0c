// Upgrading keeps the shopper's data: for every version in the schema history, a database created
// at that version and filled in every table it has is opened with the current schema, and every
// row is still there under its key. (db.migrations.test.ts checks each version's layout and
// reshaped rows; this checks that nothing is lost on the way, from every starting point.)
import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import { AisleDb, schemaHistory } from './db';
import { openAtVersion, uniqueDbName } from './testSupport';

/** One row per table, in the shape every version so far stores. */
const rowsByTable: Record<string, Record<string, unknown>[]> = {
  events: [
    { kind: 'view', at: Date.UTC(2025, 0, 1), sessionId: 's1', itemId: 4 },
    { kind: 'purchase', at: Date.UTC(2025, 0, 2), sessionId: 's1', itemId: 9, price: 9.99 },
  ],
  cart: [{ itemId: 12, addedAt: Date.UTC(2025, 0, 1) }],
  settings: [{ key: 'diversity', value: 0.6 }],
  profile: [{ key: 'profileEdits', value: { excludedEventIds: [1] }, updatedAt: 5 }],
  models: [
    { name: 'mf', trainedAt: 7, snapshot: { name: 'mf', config: {}, arrays: { w: Float32Array.of(1, 2) } } },
  ],
  checkpoints: [{ name: 'gru', epoch: 1, epochs: 2, snapshot: { name: 'gru', config: {}, arrays: {} } }],
  evalRuns: [{ createdAt: 3, dataset: 'lastfm', model: 'popularity' }],
  datasets: [{ hash: 'abc', importedAt: 4 }],
  offers: [{ id: '5019e3c7308b2648', madeAt: 6, kind: 'discount', lines: [], reason: 'r', expiresAt: 9 }],
  cartLines: [{ itemId: 13, addedAt: Date.UTC(2025, 0, 3) }],
  importedModels: [
    {
      slot: 'store',
      factors: { format: 'spark-als', ids: ['730'], vectors: Float32Array.of(1, 2), rank: 2 },
      importedAt: 9,
      files: [],
    },
  ],
  // a passphrase set: the database opens locked, and the plain rows above are still all there
  keyring: [
    {
      id: 'dataKey',
      version: 1,
      kdf: { name: 'PBKDF2', hash: 'SHA-256', iterations: 1_000, salt: Uint8Array.of(1, 2) },
      wrappedKey: { iv: Uint8Array.of(3), data: Uint8Array.of(4, 5) },
      createdAt: 8,
    },
  ],
};

/** Tables a version's upgrade moved into another: their rows are counted there, under new keys. */
const movedTo: Record<string, { table: string; from: number }> = { cart: { table: 'cartLines', from: 3 } };

/** Whether the app still writes `table` at `version` (a moved table is only read by the upgrade). */
const written = (table: string, version: number) => (movedTo[table]?.from ?? Infinity) > version;

/** The tables a version has: every store declared up to it and not deleted (null) since. */
function tablesAt(version: number): string[] {
  const tables = new Set<string>();
  for (const step of schemaHistory.filter((s) => s.version <= version)) {
    for (const [name, spec] of Object.entries(step.stores)) {
      if (spec === null) tables.delete(name);
      else tables.add(name);
    }
  }
  return [...tables].sort();
}

const names: string[] = [];
afterEach(async () => {
  for (const name of names.splice(0)) await new AisleDb(name).delete();
});

describe('upgrading from every schema version keeps the data', () => {
  it('knows a sample row for every table of every version', () => {
    for (const { version } of schemaHistory) {
      for (const table of tablesAt(version))
        expect(rowsByTable, `v${version} ${table}`).toHaveProperty(table);
    }
  });

  for (const { version } of schemaHistory) {
    it(`opens a filled v${version} database with the current schema, every row kept under its key`, async () => {
      const name = uniqueDbName('aisle-upgrade');
      names.push(name);
      const old = openAtVersion(name, version);
      const expected: Record<string, unknown[]> = {};
      const moved: Record<string, number> = {};
      for (const table of tablesAt(version).filter((t) => written(t, version))) {
        await old.table(table).bulkAdd(rowsByTable[table]);
        const successor = movedTo[table]?.table;
        if (successor) moved[successor] = (moved[successor] ?? 0) + rowsByTable[table].length;
        else expected[table] = await old.table(table).toCollection().primaryKeys();
      }
      old.close();

      const current = new AisleDb(name);
      await current.open();
      try {
        // the keyring row came through: a passphrase is still set
        expect(current.vault.status).toBe(tablesAt(version).includes('keyring') ? 'locked' : 'off');
        for (const [table, keys] of Object.entries(expected)) {
          const stayed = await current.table(table).toCollection().primaryKeys();
          // a table that also received moved rows keeps its own keys first, then the moved ones
          expect(stayed.slice(0, keys.length), table).toEqual(keys);
          expect(await current.table(table).count(), table).toBe(keys.length + (moved[table] ?? 0));
        }
        for (const [table, count] of Object.entries(moved).filter(([t]) => !(t in expected)))
          expect(await current.table(table).count(), table).toBe(count);
      } finally {
        current.close();
      }
    });
  }
});
