// Shared by the data layer's tests only: a fresh, uniquely named database on
// fake-indexeddb, so tests never see each other's rows.
import 'fake-indexeddb/auto';
import Dexie from 'dexie';
import { afterEach, vi } from 'vitest';
import { AisleDb, schemaHistory } from './db';

let counter = 0;

export function uniqueDbName(prefix = 'aisle-test'): string {
  counter += 1;
  return `${prefix}-${Date.now()}-${counter}`;
}

/**
 * How long a test waits for something asynchronous to happen (a batch timer's write, a message
 * from another connection): Vitest's `vi.waitFor` and `expect.poll` give up after 1 s, which a
 * loaded CI machine can miss. Only a failing test waits this long; a passing one goes on as soon
 * as the condition holds.
 */
export const patience = { timeout: 10_000, interval: 10 } as const;

export function freshDb(): AisleDb {
  return new AisleDb(uniqueDbName());
}

/**
 * The clean-up every data test needs after each test: its mocks restored and the database it
 * opened (`current()`, if it opened one) deleted, so that no test sees another's rows or spies.
 */
export function cleanUpAfterEach(current: () => Dexie | undefined): void {
  afterEach(async () => {
    vi.restoreAllMocks();
    await current()?.delete();
  });
}

/** A plain Dexie declaring only the history up to `version`, to seed data in an old shape. */
export function openAtVersion(name: string, version: number): Dexie {
  const db = new Dexie(name);
  for (const step of schemaHistory.filter((s) => s.version <= version)) {
    const declared = db.version(step.version).stores(step.stores);
    if (step.upgrade) declared.upgrade(step.upgrade);
  }
  return db;
}

/** A Storage (localStorage, sessionStorage) in memory, holding `initial`. */
export function fakeStorage(initial: Record<string, string>): Storage {
  const values = new Map(Object.entries(initial));
  return {
    get length() {
      return values.size;
    },
    key: (i: number) => [...values.keys()][i] ?? null,
    getItem: (k: string) => values.get(k) ?? null,
    setItem: (k: string, v: string) => void values.set(k, v),
    removeItem: (k: string) => void values.delete(k),
    clear: () => values.clear(),
  };
}
