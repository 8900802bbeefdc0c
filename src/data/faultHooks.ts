// Faults on demand, for the end-to-end tests. A browser whose disk is full cannot be made inside a
// test, so a test sets `globalThis.__aisleTest = { quotaFull: true }` in the realm it means (the
// page through page.evaluate, a worker through its own evaluate) and every write of that realm's
// database connection then fails the way the browser's does: a QuotaExceededError DOMException.
// Inert unless set: nothing in the app sets it, no URL or setting reaches it (a person would have
// to type it into the developer console), and when unset a write costs one property read.
import type { DBCore, Middleware } from 'dexie';
import { mutateMiddleware } from './mutateMiddleware';

/** The faults a test can switch on; each is off when absent. */
export interface FaultHooks {
  /** Every write (add, put, delete) rejects with QuotaExceededError until set back to false. */
  quotaFull?: boolean;
}

declare global {
  // a global on purpose: a test reaches it without importing anything from the app
  var __aisleTest: FaultHooks | undefined;
}

export const quotaExceeded = (): DOMException =>
  new DOMException('The quota has been exceeded (Aisle test hook quotaFull).', 'QuotaExceededError');

/** Above the encryption layer (level -2), so a refused write is never sealed in vain. */
const faultHooksLevel = -1.5;

export function faultHooksMiddleware(
  hooks: () => FaultHooks | undefined = () => globalThis.__aisleTest,
): Middleware<DBCore> {
  return mutateMiddleware('FaultHooks', faultHooksLevel, (_table, request, write) =>
    hooks()?.quotaFull === true ? Promise.reject(quotaExceeded()) : write(request),
  );
}
