import { describe, expect, it } from 'vitest';
import {
  choiceModelAssumptions,
  clickProbability,
  defaultChoiceModel,
  drawsPerSession,
  examineProbability,
  purchaseProbability,
  relevanceOf,
  simulateSession,
  type ChoiceCatalog,
} from './choiceModel';

const params = defaultChoiceModel;
// features: 0 = {1,2}, 1 = {1,2} (same as 0), 2 = {1,3}, 3 = {4}
const catalog: ChoiceCatalog = {
  itemFeatures: [[1, 2], [1, 2], [1, 3], [4]].map((f) => Int32Array.from(f)),
  prices: Float32Array.from([10, 20, Number.NaN, 0]),
  meanPrice: 20,
};
const shopper = { heldOut: [0], priceSensitivity: 0.5 };
const listPrice = (item: number) => (catalog.prices[item] > 0 ? catalog.prices[item] : 0);

describe('choice model probabilities', () => {
  it('examines card i with probability 0.85^i', () => {
    expect(examineProbability(0, params)).toBe(1);
    expect(examineProbability(2, params)).toBeCloseTo(0.7225);
  });

  it('scores a held-out game 1 and a similar one by half its best Jaccard', () => {
    expect(relevanceOf(0, shopper, catalog, params)).toBe(1);
    expect(relevanceOf(1, shopper, catalog, params)).toBe(0.5); // Jaccard 1
    expect(relevanceOf(2, shopper, catalog, params)).toBeCloseTo(0.5 / 3); // {1,2} vs {1,3}: 1/3
    expect(relevanceOf(3, shopper, catalog, params)).toBe(0);
  });

  it('clicks from 2% (irrelevant) to 60% (relevant)', () => {
    expect(clickProbability(0, params)).toBeCloseTo(0.02);
    expect(clickProbability(1, params)).toBeCloseTo(0.6);
    expect(clickProbability(0.5, params)).toBeCloseTo(0.31);
  });

  it('buys less the more a price is felt, and a discount raises the chance by the price it removes', () => {
    // relevant, $20 at sensitivity 0.5 on a $20 mean: 0.7 · e^(−0.5)
    expect(purchaseProbability(1, 20, 0.5, 20, params)).toBeCloseTo(0.7 * Math.exp(-0.5));
    // half price: 0.7 · e^(−0.25)
    expect(purchaseProbability(1, 10, 0.5, 20, params)).toBeCloseTo(0.7 * Math.exp(-0.25));
    expect(purchaseProbability(0, 0, 0.9, 20, params)).toBeCloseTo(0.05); // free: price plays no part
    expect(purchaseProbability(1, 20, 0, 20, params)).toBeCloseTo(0.7); // insensitive shopper
  });
});

describe('simulateSession (a cascade)', () => {
  const row = [3, 1, 0];
  const draws = (values: number[]) => {
    expect(values).toHaveLength(drawsPerSession(row.length));
    return values;
  };

  it('stops at the first click and buys at the list price when the purchase draw is under the chance', () => {
    // card 0 (item 3): examined (0 < 1), not clicked (0.5 ≥ 0.02); card 1 (item 1): examined
    // (0.8 < 0.85), clicked (0.1 < 0.31); purchase: 0.2 < (0.05 + 0.65·0.5)·e^(−0.5·20/20) = 0.2274
    const outcome = simulateSession(row, shopper, catalog, draws([0, 0.5, 0.8, 0.1, 0, 0, 0.2]), listPrice);
    expect(outcome).toEqual({ examined: [3, 1], clicked: 1, purchased: true, revenue: 20, discountGiven: 0 });
  });

  it('skips an unexamined card, and a purchase draw above the chance buys nothing', () => {
    // card 1 not examined (0.9 ≥ 0.85); card 2 (item 0) examined (0.5 < 0.7225), clicked (0.5 < 0.6);
    // purchase chance 0.7 · e^(−0.5·10/20) = 0.5451 < 0.6
    const outcome = simulateSession(row, shopper, catalog, draws([0, 0.5, 0.9, 0, 0.5, 0.5, 0.6]), listPrice);
    expect(outcome).toEqual({ examined: [3, 0], clicked: 0, purchased: false, revenue: 0, discountGiven: 0 });
  });

  it('charges the offered price and counts the discount given', () => {
    // same luck as above, but item 0 offered at $5: chance 0.7 · e^(−0.125) = 0.6177 > 0.6
    const offered = (item: number) => (item === 0 ? 5 : listPrice(item));
    const outcome = simulateSession(row, shopper, catalog, draws([0, 0.5, 0.9, 0, 0.5, 0.5, 0.6]), offered);
    expect(outcome).toEqual({ examined: [3, 0], clicked: 0, purchased: true, revenue: 5, discountGiven: 5 });
  });

  it('examines the whole row without a click when no click draw is low enough', () => {
    const outcome = simulateSession(row, shopper, catalog, draws([0, 0.99, 0, 0.99, 0, 0.99, 0]), listPrice);
    expect(outcome).toEqual({
      examined: [3, 1, 0],
      clicked: null,
      purchased: false,
      revenue: 0,
      discountGiven: 0,
    });
  });

  it('refuses too few draws', () => {
    expect(() => simulateSession(row, shopper, catalog, [0, 0], listPrice)).toThrow(/too few/);
  });
});

describe('choiceModelAssumptions', () => {
  it('states the parameters it runs with', () => {
    const text = choiceModelAssumptions({ ...params, examineDecay: 0.7 }).join(' ');
    expect(text).toContain('0.7^i');
    expect(text).toContain('2% when irrelevant, rising linearly to 60%');
  });
});
