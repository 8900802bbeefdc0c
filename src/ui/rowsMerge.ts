// A new answer's rows merged into the ones on screen: a row that did not change stays the same
// object, so Svelte neither re-renders nor re-announces it, and an answer that changed nothing
// (the worker's rows after the same rows were painted from the build) changes nothing at all.
import type { RankedRow } from '../worker/store/protocol';

const serialised = new WeakMap<RankedRow, string>();

function textOf(row: RankedRow): string {
  let text = serialised.get(row);
  if (text === undefined) {
    text = JSON.stringify(row);
    serialised.set(row, text);
  }
  return text;
}

/** `previous` itself when every row is unchanged; otherwise `next`, reusing each unchanged row. */
export function mergeRows(previous: readonly RankedRow[] | undefined, next: RankedRow[]): RankedRow[] {
  if (!previous) return next;
  const before = new Map(previous.map((row) => [textOf(row), row]));
  const merged = next.map((row) => before.get(textOf(row)) ?? row);
  const unchanged = merged.length === previous.length && merged.every((row, i) => row === previous[i]);
  return unchanged ? (previous as RankedRow[]) : merged;
}
