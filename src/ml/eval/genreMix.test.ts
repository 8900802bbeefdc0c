import { describe, expect, it } from 'vitest';
import {
  countedGenreProfile,
  genreAuc,
  genreIndicator,
  genreLogLoss,
  genreShares,
  logLossEpsilon,
  type ItemGenres,
} from './genreMix';

// three genres; item 0: {0}, item 1: {0, 1}, item 2: none, item 3: {2}
const genres: ItemGenres = {
  genreCount: 3,
  offsets: Uint32Array.from([0, 1, 3, 3, 4]),
  ids: Int32Array.from([0, 0, 1, 2]),
};

describe('genre mix measures', () => {
  it('reads an item as a multi-hot of its genres', () => {
    expect(Array.from(genreIndicator(1, genres))).toEqual([1, 1, 0]);
    expect(Array.from(genreIndicator(2, genres))).toEqual([0, 0, 0]);
  });

  it('counts genre shares over the items that have a genre, repeats included', () => {
    // items 0, 1, 1, 3 (2 has none): genre 0 in 3 of 4, genre 1 in 2 of 4, genre 2 in 1 of 4
    expect(Array.from(genreShares([0, 1, 2, 1, 3], genres))).toEqual([0.75, 0.5, 0.25]);
    expect(Array.from(genreShares([2], genres))).toEqual([0, 0, 0]);
  });

  it('smooths the counted profile towards the prior by pseudo-games', () => {
    // history 0, 1, 2: two games with genres; k = (2, 1, 0); prior (0.5, 0.25, 0.25), s = 2
    // → ((2 + 1) / 4, (1 + 0.5) / 4, (0 + 0.5) / 4)
    const profile = countedGenreProfile([0, 1, 2], genres, [0.5, 0.25, 0.25], 2);
    expect(Array.from(profile)).toEqual([0.75, 0.375, 0.125]);
    // nothing known: the prior itself
    expect(Array.from(countedGenreProfile([2], genres, [0.5, 0.25, 0.25], 2))).toEqual([0.5, 0.25, 0.25]);
  });

  it('log-loss is the mean binary cross-entropy over genres, clipped', () => {
    // p = (0.8, 0.5, 0.1), y = (1, 0, 0): (−ln 0.8 − ln 0.5 − ln 0.9) / 3
    expect(genreLogLoss([0.8, 0.5, 0.1], [1, 0, 0])).toBeCloseTo(
      -(Math.log(0.8) + Math.log(0.5) + Math.log(0.9)) / 3,
      12,
    );
    // a certain miss costs −ln ε, not infinity
    expect(genreLogLoss([0, 1], [1, 0])).toBeCloseTo(-Math.log(logLossEpsilon), 6);
    expect(() => genreLogLoss([0.5], [1, 0])).toThrow('same');
  });

  it('AUC orders positive genres above negative ones, ties counting half', () => {
    // positives 0 and 2 (0.9, 0.3), negatives 1 and 3 (0.3, 0.1):
    // 0.9 beats both; 0.3 ties 0.3 and beats 0.1 → (2 + 1.5) / 4
    expect(genreAuc([0.9, 0.3, 0.3, 0.1], [1, 0, 1, 0])).toBe(0.875);
    expect(genreAuc([0.1, 0.9], [1, 0])).toBe(0);
    expect(genreAuc([0.1, 0.9], [1, 1])).toBeNull();
    expect(genreAuc([0.1, 0.9], [0, 0])).toBeNull();
  });
});
