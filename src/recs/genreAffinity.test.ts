import { describe, expect, it } from 'vitest';
import type { Game } from '../data/types';
import { buildCatalogIndex } from './catalogIndex';
import { affinityOf, genreAffinity } from './genreAffinity';
import type { ShopperSignals } from './types';
import { viewedSignals } from './signals';

const game = (id: number, genres: string[]): Game => ({
  id,
  appId: String(id),
  title: `Game ${id}`,
  price: 10,
  genres,
  tags: [],
  developer: '',
  released: null,
  earlyAccess: false,
});

// genre ids in order of first appearance: Strategy 0, Indie 1, Racing 2
const index = buildCatalogIndex([
  game(0, ['Strategy']),
  game(1, ['Strategy', 'Indie']),
  game(2, ['Racing']),
  game(3, []),
]);

const signals = (history: number[], weights: number[]): ShopperSignals => viewedSignals(history, weights);

describe('genreAffinity', () => {
  it("weighs each genre by the history's confidence, relative to the strongest genre", () => {
    // Strategy 2 + 1 = 3, Indie 1, Racing 1.5: divided by 3
    const affinity = genreAffinity(index, signals([0, 1, 2], [2, 1, 1.5]));
    expect(Array.from(affinity)).toEqual([1, 1 / 3, 0.5].map(Math.fround));
  });

  it('is all zeros for an empty history or one without genres', () => {
    expect(Array.from(genreAffinity(index, signals([], [])))).toEqual([0, 0, 0]);
    expect(Array.from(genreAffinity(index, signals([3], [1])))).toEqual([0, 0, 0]);
  });
});

describe('affinityOf', () => {
  it("is the affinity of the item's best-liked genre, 0 without genres", () => {
    const affinity = Float32Array.from([0.25, 0.75, 0]);
    expect(affinityOf(index, 1, affinity)).toBe(0.75);
    expect(affinityOf(index, 2, affinity)).toBe(0);
    expect(affinityOf(index, 3, affinity)).toBe(0);
  });
});
