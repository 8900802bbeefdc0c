import { describe, expect, it } from 'vitest';
import { countAbove, poolOrder, rankDiscount } from './rankScale';

describe('rank discounts over a candidate pool', () => {
  const scores = Float32Array.from([0.5, 9, 3, 3, Number.NEGATIVE_INFINITY, 7]);
  const pool = [0, 1, 2, 3, 4];

  it("orders the pool's finite scores best first", () => {
    expect(Array.from(poolOrder(scores, pool))).toEqual([9, 3, 3, 0.5]);
  });

  it('counts the pool items strictly above a value, ties sharing a rank', () => {
    const order = poolOrder(scores, pool);
    expect([10, 9, 3, 2, 0.5, 0].map((value) => countAbove(order, value))).toEqual([0, 0, 1, 3, 3, 4]);
  });

  it('discounts like NDCG: 1, then 1/log2(3), tied items alike, outsiders by where they would fall', () => {
    const order = poolOrder(scores, pool);
    const discount = (item: number) => rankDiscount(order, scores[item]);
    expect(discount(1)).toBe(1);
    expect(discount(2)).toBeCloseTo(1 / Math.log2(3), 12);
    expect(discount(3)).toBe(discount(2));
    // 9, 3 and 3 are above 0.5: 1 / log2(5) = .4307
    expect(discount(0)).toBeCloseTo(0.4307, 4);
    // item 5 (7) is outside the pool: one pool item (9) is above it
    expect(discount(5)).toBeCloseTo(1 / Math.log2(3), 12);
    expect(discount(4)).toBe(0);
  });
});
