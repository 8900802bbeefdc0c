// Browse filters and sort orders over the catalog: pure, so they are tested directly.
import type { Game } from '../data/types';

export interface BrowseFilters {
  genre?: string;
  tag?: string;
  minPrice?: number;
  maxPrice?: number;
  freeOnly?: boolean;
  fromYear?: number;
  toYear?: number;
}

export type SortKey = 'popular' | 'newest' | 'priceAsc' | 'priceDesc' | 'title';

const yearOf = (game: Game): number | undefined =>
  game.released ? Number(game.released.slice(0, 4)) : undefined;

export function filterGames(games: readonly Game[], f: BrowseFilters): Game[] {
  const byPrice = f.minPrice !== undefined || f.maxPrice !== undefined || f.freeOnly;
  const byYear = f.fromYear !== undefined || f.toYear !== undefined;
  return games.filter((game) => {
    if (f.genre && !game.genres.includes(f.genre)) return false;
    if (f.tag && !game.tags.includes(f.tag)) return false;
    // an unknown price or date cannot satisfy a price or date filter
    if (byPrice && game.price === null) return false;
    if (f.freeOnly && game.price !== 0) return false;
    if (f.minPrice !== undefined && (game.price ?? 0) < f.minPrice) return false;
    if (f.maxPrice !== undefined && (game.price ?? 0) > f.maxPrice) return false;
    const year = yearOf(game);
    if (byYear && year === undefined) return false;
    if (f.fromYear !== undefined && year! < f.fromYear) return false;
    if (f.toYear !== undefined && year! > f.toYear) return false;
    return true;
  });
}

/** Catalog ids are ordered by how many players own or reviewed a game, so 'popular' is id order. */
export function sortGames(games: readonly Game[], sort: SortKey): Game[] {
  const sorted = [...games];
  const unknownLast = (value: number | null | undefined, fallback: number) => value ?? fallback;
  switch (sort) {
    case 'popular':
      return sorted.sort((a, b) => a.id - b.id);
    case 'newest':
      return sorted.sort((a, b) => (b.released ?? '').localeCompare(a.released ?? '') || a.id - b.id);
    case 'priceAsc':
      return sorted.sort(
        (a, b) => unknownLast(a.price, Infinity) - unknownLast(b.price, Infinity) || a.id - b.id,
      );
    case 'priceDesc':
      return sorted.sort(
        (a, b) => unknownLast(b.price, -Infinity) - unknownLast(a.price, -Infinity) || a.id - b.id,
      );
    case 'title':
      return sorted.sort((a, b) => a.title.localeCompare(b.title) || a.id - b.id);
  }
}
