// Business rules applied after scoring: what must never be shown, whatever a model says.
import type { CatalogIndex } from './catalogIndex';
import type { ShopperSignals } from './types';

/** Owned, in the cart, or marked "not interested": never recommend these. */
export function excludedItems(signals: ShopperSignals): Set<number> {
  return new Set([...signals.owned, ...signals.inCart, ...signals.hidden]);
}

/** The shopper's optional genre and price filters as an item predicate. */
export function filterPredicate(
  index: CatalogIndex,
  signals: ShopperSignals,
): ((item: number) => boolean) | undefined {
  const genreId = signals.genre === undefined ? -1 : index.genres.indexOf(signals.genre);
  const maxPrice = signals.maxPrice;
  if (signals.genre === undefined && maxPrice === undefined) return undefined;
  return (item) =>
    (signals.genre === undefined || index.itemGenres[item].includes(genreId)) &&
    (maxPrice === undefined || (Number.isFinite(index.prices[item]) && index.prices[item] <= maxPrice));
}
