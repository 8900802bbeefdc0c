import { describe, expect, it } from 'vitest';
import { median, profileCatalog } from './catalog';
import { game } from './testSupport';

describe('profile catalog', () => {
  it('indexes games and sorts the known prices once', () => {
    const catalog = profileCatalog([
      game(3, { price: 40, genres: ['Strategy'] }),
      game(1, { price: 0, genres: ['Action'] }),
      game(2, { price: null, genres: ['Action', 'RPG'] }),
      game(4, { price: 10 }),
    ]);
    expect(catalog.gameById.get(2)?.title).toBe('Game 2');
    expect([...catalog.sortedPrices]).toEqual([0, 10, 40]);
    expect(catalog.medianPrice).toBe(10);
    expect(catalog.genreCount).toBe(3);
  });

  it('takes the median of an even count as the mean of the middle two', () => {
    expect(median([1, 2, 4, 9])).toBe(3);
    expect(median([])).toBe(0);
  });
});
