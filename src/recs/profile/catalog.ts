// The catalog as the profile needs it, indexed once when the catalog loads so that
// applying one event is a lookup, never a scan.
import type { Game } from '../../data/types';

export interface ProfileCatalog {
  gameById: ReadonlyMap<number, Game>;
  /** Known prices of every game, ascending (free games count as 0). */
  sortedPrices: Float64Array;
  /** Median of sortedPrices; 0 for an empty catalog. */
  medianPrice: number;
  /** Distinct genres in the catalog: the most a shopper could spread their looks over. */
  genreCount: number;
}

export function profileCatalog(games: readonly Game[]): ProfileCatalog {
  const gameById = new Map<number, Game>();
  const prices: number[] = [];
  const genres = new Set<string>();
  for (const game of games) {
    gameById.set(game.id, game);
    if (game.price !== null && Number.isFinite(game.price)) prices.push(game.price);
    for (const genre of game.genres) genres.add(genre);
  }
  const sortedPrices = Float64Array.from(prices).sort();
  return { gameById, sortedPrices, medianPrice: median(sortedPrices), genreCount: genres.size };
}

/** The middle value of an ascending array (mean of the two middle ones when even); 0 when empty. */
export function median(sorted: ArrayLike<number>): number {
  const n = sorted.length;
  if (n === 0) return 0;
  const middle = Math.floor(n / 2);
  return n % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}
