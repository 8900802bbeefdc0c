// How much a shopper's history leans towards each genre: a score source of "For you" and
// the ground of its "Matches your interest in Strategy" reason.
import type { CatalogIndex } from './catalogIndex';
import type { ShopperSignals } from './types';

/** The shopper's weight on each genre relative to their strongest one, e.g. [Strategy: 1, Indie: 0.4]. */
export function genreAffinity(index: CatalogIndex, signals: ShopperSignals): Float32Array {
  const affinity = new Float32Array(index.genres.length);
  let total = 0;
  signals.history.forEach((item, i) => {
    for (const g of index.itemGenres[item] ?? []) {
      affinity[g] += signals.weights[i];
      total += signals.weights[i];
    }
  });
  // relative to the shopper's strongest genre, so their main interest counts fully
  const strongest = Math.max(0, ...affinity);
  return total > 0 && strongest > 0 ? affinity.map((a) => a / strongest) : affinity;
}

/** An item's affinity is that of its best-liked genre (0 for an item without genres). */
export function affinityOf(index: CatalogIndex, item: number, affinity: Float32Array): number {
  let best = 0;
  for (const g of index.itemGenres[item]) best = Math.max(best, affinity[g]);
  return best;
}
