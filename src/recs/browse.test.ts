import { describe, expect, it } from 'vitest';
import { filterGames, sortGames } from './browse';
import { sampleGames as games } from './testSupport';

describe('browse', () => {
  it('filters by genre, free only, price range and year; unknown values never pass a filter', () => {
    expect(filterGames(games, { genre: 'Action' }).map((g) => g.id)).toEqual([0, 2]);
    expect(filterGames(games, { freeOnly: true }).map((g) => g.id)).toEqual([2]);
    expect(filterGames(games, { minPrice: 5, maxPrice: 10 }).map((g) => g.id)).toEqual([0]);
    expect(filterGames(games, { fromYear: 2010 }).map((g) => g.id)).toEqual([0, 1]);
    expect(filterGames(games, { tag: 'FPS' }).map((g) => g.id)).toEqual([2]);
  });

  it('sorts with unknown prices and dates last', () => {
    expect(sortGames(games, 'priceAsc').map((g) => g.id)).toEqual([2, 0, 1, 3]);
    expect(sortGames(games, 'priceDesc').map((g) => g.id)).toEqual([1, 0, 2, 3]);
    expect(sortGames(games, 'newest').map((g) => g.id)).toEqual([0, 1, 2, 3]);
    expect(sortGames(games, 'title').map((g) => g.title)[0]).toBe('Sid Meier’s Civilization V');
  });
});
