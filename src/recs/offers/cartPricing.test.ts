import { describe, expect, it } from 'vitest';
import { bundlesWith, discountOn, priceCart } from './cartPricing';
import type { Offer } from './types';

const offer = (id: string, lines: [number, number, number][], expiresAt = 100): Offer => ({
  id,
  kind: lines.length === 1 ? 'discount' : 'bundle',
  lines: lines.map(([itemId, originalPrice, offeredPrice]) => ({ itemId, originalPrice, offeredPrice })),
  reason: `because ${id}`,
  madeAt: 0,
  expiresAt,
});

// list prices: 0 → $19.99, 1 → $10, 2 → $8, 3 → unknown
const listPrices: Record<number, number | null> = { 0: 19.99, 1: 10, 2: 8, 3: null };
const listPriceOf = (id: number) => listPrices[id];
const discount = offer('d', [[0, 19.99, 13.99]]); // 30% off, rounded down to the cent
const bundle = offer('b', [
  [1, 10, 8.5],
  [2, 8, 6.8],
]);

describe('priceCart', () => {
  it('charges a discount and a complete bundle, and sums in cents', () => {
    const cart = priceCart([0, 1, 2], listPriceOf, [discount, bundle], 50);
    expect(cart.lines.map((l) => [l.itemId, l.paid, l.offer?.id ?? null])).toEqual([
      [0, 13.99, 'd'],
      [1, 8.5, 'b'],
      [2, 6.8, 'b'],
    ]);
    // 13.99 + 8.50 + 6.80 = 29.29 against 19.99 + 10 + 8 = 37.99
    expect(cart.total).toBe(29.29);
    expect(cart.listTotal).toBe(37.99);
    expect(cart.lines[0].offer?.reason).toBe('because d');
  });

  it('charges a bundle game its list price while the other game is not in the cart', () => {
    const cart = priceCart([1, 0], listPriceOf, [discount, bundle], 50);
    expect(cart.lines.map((l) => l.paid)).toEqual([10, 13.99]);
    expect(cart.lines[0].offer).toBeNull();
    expect(cart.total).toBe(23.99);
  });

  it('charges list prices with no offers (offers off) or after they expire', () => {
    expect(priceCart([0, 1, 2], listPriceOf, [], 50).total).toBe(37.99);
    const expired = priceCart([0, 1, 2], listPriceOf, [discount, bundle], 100);
    expect(expired.total).toBe(37.99);
    expect(expired.lines.every((l) => l.offer === null)).toBe(true);
  });

  it('gives a game at most one offer, the one that saves most', () => {
    // game 1 is in both a $3 discount and the $2.70 bundle: the discount wins, the bundle cannot apply
    const deeper = offer('d1', [[1, 10, 7]]);
    const cart = priceCart([1, 2], listPriceOf, [bundle, deeper], 50);
    expect(cart.lines.map((l) => [l.paid, l.offer?.id ?? null])).toEqual([
      [7, 'd1'],
      [8, null],
    ]);
    expect(cart.total).toBe(15);
  });

  it('charges an unknown price as 0 and never more than the list price', () => {
    const cart = priceCart([3, 0], listPriceOf, [discount], 0);
    expect(cart.lines[0]).toEqual({ itemId: 3, listPrice: null, paid: 0, offer: null });
    for (const line of cart.lines) expect(line.paid).toBeLessThanOrEqual(line.listPrice ?? 0);
    expect(cart.total).toBe(13.99);
  });
});

describe('what a card shows', () => {
  it('finds the standing discount on a game and the bundles it is in', () => {
    expect(discountOn(0, [bundle, discount], 50)).toBe(discount);
    expect(discountOn(1, [bundle, discount], 50)).toBeNull();
    expect(discountOn(0, [discount], 100)).toBeNull(); // expired
    expect(bundlesWith(2, [bundle, discount], 50)).toEqual([bundle]);
    expect(bundlesWith(0, [bundle, discount], 50)).toEqual([]);
  });
});
