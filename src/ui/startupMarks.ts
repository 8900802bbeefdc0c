// The page's start-up as performance marks (`aisle:<name>`), beside the store worker's (which
// the page records on arrival, at the time the worker measured). Only the first of each name is
// marked: the first visit's start-up is what they describe. `npm run bench` reads them.
const prefix = 'aisle:';

/** Marks `name` now, or at `startTime` (ms on this page's clock), unless it is marked already. */
export function markStartup(name: string, startTime?: number): void {
  if (typeof performance === 'undefined' || performance.getEntriesByName(prefix + name).length > 0) return;
  performance.mark(
    prefix + name,
    startTime === undefined ? undefined : { startTime: Math.max(0, startTime) },
  );
}
