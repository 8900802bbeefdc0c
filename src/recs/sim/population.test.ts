import { describe, expect, it } from 'vitest';
import { fromSequences } from '../../ml/interactions';
import { buildPopulation, catalogMeanPrice, heldOutCount, priceSensitivity } from './population';

// prices: items 0..5; item 5 has no price
const prices = Float32Array.from([10, 20, 30, 0, 40, Number.NaN]);

describe('price sensitivity', () => {
  it('compares the mean price of paid games owned with the catalog mean of paid games', () => {
    expect(catalogMeanPrice(prices)).toBe(25); // (10+20+30+40)/4
    expect(priceSensitivity([0, 3], prices, 25)).toBeCloseTo(1 - 10 / 25 / 2); // 0.8
    expect(priceSensitivity([1, 2], prices, 25)).toBeCloseTo(0.5); // owns at the mean
    expect(priceSensitivity([4, 4, 4], prices, 15)).toBe(0); // 40/15 > 2
    expect(priceSensitivity([3, 5], prices, 25)).toBe(0.5); // no paid game: no evidence
  });
});

describe('buildPopulation', () => {
  // users 0 and 2 have 5 games, user 1 has 2, user 3 has 10
  const community = fromSequences(
    [
      [0, 1, 2, 3, 4],
      [0, 1],
      [4, 3, 2, 1, 0],
      [0, 1, 2, 3, 4, 5, 0, 1, 2, 3],
    ],
    6,
  );
  const settings = { shoppers: 10, seed: 3, heldOutFraction: 0.3, minGames: 5 };

  it('holds out the latest 30% of each drawn player, at least one game', () => {
    expect(heldOutCount(5, 0.3)).toBe(1);
    expect(heldOutCount(10, 0.3)).toBe(3);
    expect(heldOutCount(2, 0.3)).toBe(1);
    const { shoppers } = buildPopulation(community, prices, settings);
    expect(shoppers.map((s) => s.user)).toEqual([0, 2, 3]); // user 1 has too few games
    expect(shoppers[0]).toMatchObject({ history: [0, 1, 2, 3], heldOut: [4], weights: [1, 1, 1, 1] });
    expect(shoppers[2]).toMatchObject({ history: [0, 1, 2, 3, 4, 5, 0], heldOut: [1, 2, 3] });
    expect(shoppers[0].priceSensitivity).toBeCloseTo(1 - 20 / 25 / 2); // owns 10, 20, 30
  });

  it('takes the held-out games out of the training data and nothing else', () => {
    const { train } = buildPopulation(community, prices, settings);
    expect(Array.from(train.userOffsets)).toEqual([0, 4, 6, 10, 17]);
    expect(Array.from(train.items.subarray(4, 6))).toEqual([0, 1]);
  });

  it('draws the same shoppers with the same seeds for the same seed, and others for another', () => {
    const big = fromSequences(
      Array.from({ length: 50 }, (_, u) => [0, 1, 2, 3, 4].map((i) => (i + u) % 6)),
      6,
    );
    const a = buildPopulation(big, prices, { ...settings, shoppers: 5 });
    const b = buildPopulation(big, prices, { ...settings, shoppers: 5 });
    const c = buildPopulation(big, prices, { ...settings, shoppers: 5, seed: 4 });
    expect(b.shoppers).toEqual(a.shoppers);
    expect(c.shoppers.map((s) => s.user)).not.toEqual(a.shoppers.map((s) => s.user));
    expect(new Set(a.shoppers.map((s) => s.seed)).size).toBe(5);
  });
});
