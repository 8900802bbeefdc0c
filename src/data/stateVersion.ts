// The shopper's state version: an opaque token in localStorage that changes BEFORE every write to
// the database that could change the store's home rows (an event that shows taste, the cart, a
// setting, the profile's edits, the keyring, an erase). The page reads it synchronously in its
// first milliseconds, long before IndexedDB has opened: no token means nothing was ever written
// that changes a row (a new shopper: the build's rows are theirs), and rows kept by the last visit
// are painted only under the token they were kept with (ui/firstPaint/). Bumped before the write,
// so a crash between the two leaves kept rows invalid, never stale. A token rather than a counter:
// two tabs bumping at once could both write the same next number, never the same fresh token.
//
// Only the page bumps it (a worker has no localStorage); the workers write no table that changes
// the store's first answer (models, checkpoints, the profile derived from the page's events).
import type { DBCore, DBCoreMutateRequest, Middleware } from 'dexie';
import { mutateMiddleware } from './mutateMiddleware';
import { keptMarkupStorageKey, keptRowsStorageKey, stateVersionKey } from './storageKeys';
import type { EventKind } from './types';

export { keptMarkupStorageKey, keptRowsStorageKey, stateVersionKey };

/**
 * Events that only record what was shown or opened: no signal reads them (recs/signals.ts), so no
 * home row changes, and every visit writes some. Bumping on them would refuse every kept row.
 */
export const rowNeutralEventKinds: ReadonlySet<EventKind> = new Set([
  'pageView',
  'impression',
  'satisfaction',
]);

/** Settings rows no ranking reads: where the tfjs backend runs, and this device's race. */
export const rowNeutralSettingKeys: ReadonlySet<string> = new Set(['preferredBackend', 'measuredBackend']);

/** Tables whose writes never change the worker's first answer (it ranks from the baselines). */
const rowNeutralTables: ReadonlySet<string> = new Set(['models', 'checkpoints', 'evalRuns', 'datasets']);

/** The token now, or null when none was ever written (or storage is refused: reading it may throw). */
export function readStateVersion(storage: Storage | null): string | null {
  try {
    return storage?.getItem(stateVersionKey) ?? null;
  } catch {
    return null;
  }
}

const freshToken = (): string => `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;

/**
 * Write a fresh token. Should storage be full, the kept rows and markup (the only large things this
 * app keeps there) make room first; should it still refuse, the write goes ahead: the page's own
 * check of the request key (recsClient's requestHome) still takes rows of another state down, and
 * the kept markup is gone (an early paint needs it, and checks the token too).
 */
export function bumpStateVersion(storage: Storage | null): void {
  if (!storage) return;
  const token = freshToken();
  try {
    storage.setItem(stateVersionKey, token);
  } catch {
    try {
      storage.removeItem(keptRowsStorageKey);
      storage.removeItem(keptMarkupStorageKey);
      storage.setItem(stateVersionKey, token);
    } catch {
      // storage refused: nothing can be kept either, and nothing kept can be painted
    }
  }
}

interface WrittenValue {
  kind?: unknown;
  key?: unknown;
}

/** Whether this write may change the home rows (true unless it provably cannot). */
export function writeMayChangeRows(table: string, request: DBCoreMutateRequest): boolean {
  if (rowNeutralTables.has(table)) return false;
  if (request.type !== 'add' && request.type !== 'put') return true;
  const values = request.values as readonly WrittenValue[];
  if (table === 'events') return !values.every((value) => rowNeutralEventKinds.has(value.kind as EventKind));
  if (table === 'settings') return !values.every((value) => rowNeutralSettingKeys.has(String(value.key)));
  return true;
}

/** Above the encryption layer (level -2): it sees the plain records, and bumps before sealing. */
const stateVersionLevel = -1.8;

/** Bumps the state version before each write that may change the home rows. */
export function stateVersionMiddleware(storage: () => Storage | null): Middleware<DBCore> {
  return mutateMiddleware('StateVersion', stateVersionLevel, (table, request, write) => {
    if (writeMayChangeRows(table, request)) bumpStateVersion(storage());
    return write(request);
  });
}

/** This realm's localStorage: null in a worker, or where the browser refuses it. */
export function realmLocalStorage(): Storage | null {
  try {
    return globalThis.localStorage ?? null;
  } catch {
    return null;
  }
}
