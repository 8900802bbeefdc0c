// "Recently viewed" on the home page: the last games viewed, newest first. Every event (an
// impression, a click's feedback) gives the page a new event list, and a new array of the same
// games would make Svelte diff the whole row again on the click's path: the same games give back
// the same array.
import type { ShopperEvent } from '../data/types';

/** The last `size` distinct games viewed, newest first. */
export function recentlyViewedIds(
  events: readonly Pick<ShopperEvent, 'kind' | 'itemId'>[],
  size: number,
): number[] {
  const seen: number[] = [];
  for (let i = events.length - 1; i >= 0 && seen.length < size; i--) {
    const { kind, itemId } = events[i];
    if (kind === 'view' && itemId !== undefined && !seen.includes(itemId)) seen.push(itemId);
  }
  return seen;
}

/** `previous` when it holds the same ids in the same order (by `idOf`), else `next`. */
export function keepWhenSame<T>(
  previous: readonly T[] | null,
  next: readonly T[],
  idOf: (entry: T) => number,
): readonly T[] {
  if (previous === null || previous.length !== next.length) return next;
  return previous.every((entry, i) => idOf(entry) === idOf(next[i])) ? previous : next;
}
