// Encryption at rest as a Dexie middleware, the lowest layer above IndexedDB: every other layer
// (repositories, live queries, Dexie's own caches) sees plain records, and the database sees
// sealed ones. The rest of the app never knows whether encryption is on.
//
// WebCrypto is asynchronous and IndexedDB commits a transaction as soon as it has no request
// pending, so while a record is sealed or opened the transaction is kept alive with cheap
// reads (keepAlive), the way Dexie.waitFor does it.
import {
  cmp,
  type DBCore,
  type DBCoreCursor,
  type DBCoreMutateRequest,
  type DBCoreMutateResponse,
} from 'dexie';
import type { DBCoreTable, DBCoreTransaction, Middleware } from 'dexie';
import { isSealedRow, protectedTables, type TablePolicy } from './policy';
import { openRow, sealRow } from './seal';

/**
 * 'off': no passphrase, rows are stored as they are. 'locked': a passphrase is set and its key
 * is not in memory: sealed rows read as absent and the shopper's records are not written.
 * 'unlocked': the key is in memory; the shopper's records are sealed on write, opened on read.
 */
export type VaultStatus = 'off' | 'locked' | 'unlocked';

export interface VaultView {
  readonly status: VaultStatus;
  readonly key: CryptoKey | null;
}

/** Below Dexie's own middlewares (the lowest is at -1), so they all see plain records. */
const encryptionLevel = -2;

/**
 * `storedCore` is given the layer below, which reads and writes rows exactly as stored: the
 * vault seals and opens rows through it, unseen by Dexie's caches and live queries (the
 * records mean the same before and after).
 */
export function encryptionMiddleware(
  vault: () => VaultView,
  storedCore: (core: DBCore) => void,
  onUnreadable: (table: string, primaryKey: unknown) => void = () => undefined,
): Middleware<DBCore> {
  return {
    stack: 'dbcore',
    name: 'Encryption',
    level: encryptionLevel,
    create: (down) => {
      storedCore(down);
      return {
        ...down,
        table: (name) => {
          const table = down.table(name);
          const policy = protectedTables[name];
          return policy ? sealedTable(table, policy, vault, onUnreadable) : table;
        },
      };
    },
  };
}

/**
 * Resolves with `work`'s result from inside a request's success event, while `trans` is still
 * active, so the caller may go on using it; until then it keeps a read pending on the store.
 */
export function keepAlive<T>(trans: DBCoreTransaction, storeName: string, work: Promise<T>): Promise<T> {
  const store = (trans as unknown as IDBTransaction).objectStore(storeName);
  return new Promise<T>((resolve, reject) => {
    let outcome: { value: T } | { error: unknown } | null = null;
    work.then(
      (value) => (outcome = { value }),
      (error: unknown) => (outcome = { error }),
    );
    const spin = () => {
      if (outcome) return 'value' in outcome ? resolve(outcome.value) : reject(outcome.error);
      try {
        const request = store.get(-Infinity);
        request.onsuccess = spin;
        request.onerror = () => reject(request.error);
      } catch (error) {
        reject(error);
      }
    };
    spin();
  });
}

function sealedTable(
  down: DBCoreTable,
  policy: TablePolicy,
  vault: () => VaultView,
  onUnreadable: (table: string, primaryKey: unknown) => void,
): DBCoreTable {
  const name = down.name;
  const primaryKeyOf = (row: unknown) => down.schema.primaryKey.extractKey!(row);

  /**
   * A sealed row that does not open (its bytes damaged, or sealed with another key) reads as
   * absent, like a row while locked, and is reported: one bad row must not fail every read of its
   * table, and it stays stored as it is.
   */
  const skipUnreadable = (row: unknown) => {
    onUnreadable(name, primaryKeyOf(row));
    return undefined;
  };

  /** Rows as the layers above should see them: opened, or undefined where the key is missing or fails. */
  const readRows = (trans: DBCoreTransaction, rows: readonly unknown[]): Promise<unknown[]> => {
    const state = vault();
    if (!rows.some(isSealedRow)) return Promise.resolve([...rows]);
    const key = state.status === 'unlocked' ? state.key : null;
    if (!key) return Promise.resolve(rows.map((row) => (isSealedRow(row) ? undefined : row)));
    const opened = Promise.all(
      rows.map((row) =>
        isSealedRow(row) ? openRow(name, policy, row, key).catch(() => skipUnreadable(row)) : row,
      ),
    );
    return keepAlive(trans, name, opened);
  };

  const visibleRows = async (req: Parameters<DBCoreTable['query']>[0]) => {
    const { result } = await down.query({ ...req, values: true });
    return (await readRows(req.trans, result)).filter((row) => row !== undefined);
  };

  /** Locked: keys and counts must agree with reads, which do not show sealed rows. */
  const hidesRows = () => vault().status === 'locked';

  return {
    ...down,

    mutate(req) {
      const state = vault();
      if (state.status === 'off') return down.mutate(req);
      if (req.type === 'add' || req.type === 'put') {
        const rows = req.values as Record<string, unknown>[];
        if (state.status === 'unlocked' && state.key) {
          const key = state.key;
          const sealed = Promise.all(
            rows.map((row) => (policy.isShopperData(row) ? sealRow(name, policy, row, key) : row)),
          );
          return keepAlive(req.trans, name, sealed).then((values) => down.mutate({ ...req, values }));
        }
        // locked: what the shopper does now is not recorded; everything else is
        const kept = rows.map((row) => !policy.isShopperData(row));
        return writeOnly(down, req, kept);
      }
      // locked: nothing stored is deleted, so unlocking finds every row it left
      return state.status === 'locked' ? Promise.resolve(nothingDone) : down.mutate(req);
    },

    get(req) {
      return down.get(req).then((row) => readRows(req.trans, [row]).then(([opened]) => opened));
    },

    getMany(req) {
      return down.getMany(req).then((rows) => readRows(req.trans, rows));
    },

    async query(req) {
      if (!req.values) {
        if (!hidesRows()) return down.query(req);
        return { result: (await visibleRows(req)).map(primaryKeyOf) };
      }
      return { result: await visibleRows(req) };
    },

    async count(req) {
      if (!hidesRows()) return down.count(req);
      return (await visibleRows({ trans: req.trans, values: true, query: req.query })).length;
    },

    async openCursor(req) {
      const state = vault();
      if (state.status === 'off' || (!req.values && state.status === 'unlocked')) {
        return down.openCursor(req);
      }
      // a cursor hands out values synchronously, which a sealed row cannot do: open them all first
      const rows = await visibleRows({
        trans: req.trans,
        values: true,
        query: req.query,
        direction: req.reverse ? 'prev' : 'next',
      });
      const keyOf = req.query.index.extractKey ?? primaryKeyOf;
      const entries = rows.map((value) => ({ key: keyOf(value), primaryKey: primaryKeyOf(value), value }));
      const unique = req.unique
        ? entries.filter((entry, i) => i === 0 || cmp(entry.key, entries[i - 1].key) !== 0)
        : entries;
      return unique.length === 0 ? null : arrayCursor(req.trans, unique, req.reverse === true);
    },
  };
}

const nothingDone: DBCoreMutateResponse = {
  numFailures: 0,
  failures: {},
  results: [],
  lastResult: undefined,
};

/** Writes only the rows marked `kept`; the others answer as if written, without a key. */
async function writeOnly(
  down: DBCoreTable,
  req: Extract<DBCoreMutateRequest, { type: 'add' | 'put' }>,
  kept: readonly boolean[],
): Promise<DBCoreMutateResponse> {
  const positions = kept.flatMap((keep, i) => (keep ? [i] : []));
  if (positions.length === 0) return nothingDone;
  const response = await down.mutate({
    ...req,
    values: positions.map((i) => req.values[i]),
    keys: req.keys && positions.map((i) => req.keys![i]),
    updates: undefined,
  } as DBCoreMutateRequest);
  const results: unknown[] = new Array(kept.length).fill(undefined);
  positions.forEach((position, i) => (results[position] = response.results?.[i]));
  return { ...response, results };
}

interface CursorEntry {
  key: unknown;
  primaryKey: unknown;
  value: unknown;
}

/** A cursor over rows already read, for the few reads that go through a cursor (offset, each). */
function arrayCursor(
  trans: DBCoreTransaction,
  entries: readonly CursorEntry[],
  reverse: boolean,
): DBCoreCursor {
  let position = 0;
  let moved = false;
  let running = false;
  let settle: ((value?: unknown) => void) | null = null;
  let failWith: ((error: unknown) => void) | null = null;
  let onNext: () => void = () => undefined;
  const ahead = (key: unknown, target: unknown) => (reverse ? cmp(key, target) > 0 : cmp(key, target) < 0);

  const run = () => {
    if (running || !settle) return;
    running = true;
    try {
      while (settle) {
        if (position >= entries.length) return settle(undefined);
        moved = false;
        onNext();
        if (!moved) return; // the caller continues later, or stopped
      }
    } catch (error) {
      failWith?.(error);
    } finally {
      running = false;
    }
  };
  const move = (to: number) => {
    moved = true;
    position = to;
    run();
  };

  const cursor: DBCoreCursor = {
    trans,
    get key() {
      return entries[position]?.key;
    },
    get primaryKey() {
      return entries[position]?.primaryKey;
    },
    get value() {
      return entries[position]?.value;
    },
    get done() {
      return position >= entries.length;
    },
    continue(key?: unknown) {
      let to = position + 1;
      if (key !== undefined) while (to < entries.length && ahead(entries[to].key, key)) to += 1;
      move(to);
    },
    continuePrimaryKey(key: unknown) {
      cursor.continue(key);
    },
    advance(count: number) {
      move(position + count);
    },
    start(next) {
      onNext = next;
      return new Promise((resolve, reject) => {
        const finish = (outcome: () => void) => {
          settle = null;
          failWith = null;
          outcome();
        };
        settle = (value) => finish(() => resolve(value));
        failWith = (error) => finish(() => reject(error));
        run();
      });
    },
    stop(value?: unknown) {
      settle?.(value);
    },
    next() {
      move(position + 1);
      return Promise.resolve(cursor);
    },
    fail(error: Error) {
      failWith?.(error);
    },
  };
  return cursor;
}
