// Whether this browser lets the page store anything. Private modes and blocked site data remove
// IndexedDB or make opening it fail; then every later call fails with DatabaseClosedError, which
// must not read as "your database is damaged, erase it". The page checks once at start-up and,
// without storage, keeps the shopper's cart and session in memory for the visit.
import type { AisleDb } from './db';

export type StorageCheck = { ok: true } | { ok: false; message: string; error: unknown };

/** Names of an error and of the errors Dexie wrapped inside it (inner, failures). */
export function errorNames(error: unknown, depth = 0): string[] {
  if (typeof error !== 'object' || error === null || depth > 3) return [];
  const e = error as { name?: unknown; inner?: unknown; failures?: unknown };
  const names = typeof e.name === 'string' ? [e.name] : [];
  names.push(...errorNames(e.inner, depth + 1));
  if (Array.isArray(e.failures)) for (const f of e.failures) names.push(...errorNames(f, depth + 1));
  return names;
}

/**
 * The browser offers no IndexedDB (MissingAPIError), refuses it to this page (SecurityError),
 * or cannot write in this mode (InvalidStateError on open, older private modes).
 */
const unavailableNames = new Set(['MissingAPIError', 'SecurityError', 'InvalidStateError']);

export const isStorageUnavailable = (error: unknown): boolean =>
  errorNames(error).some((name) => unavailableNames.has(name));

export const memoryOnlyNotice =
  'This browser is not letting Aisle store anything (private browsing or blocked site data). The store and your cart work for this visit, but nothing will be remembered after you close this tab.';

/** Opens the database once, to learn whether anything can be stored; never rejects. */
export async function openStorage(db: AisleDb): Promise<StorageCheck> {
  try {
    await db.open();
    return { ok: true };
  } catch (error) {
    const message = isStorageUnavailable(error)
      ? memoryOnlyNotice
      : `The on-device database could not be opened (${error instanceof Error ? error.message : String(error)}). The store and your cart work for this visit, but nothing will be remembered after you close this tab.`;
    return { ok: false, message, error };
  }
}
