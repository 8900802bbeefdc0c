import { describe, expect, it } from 'vitest';
import type { Game } from '../../data/types';
import {
  chooseOffers,
  discountedPrice,
  hesitationDiscount,
  offerCost,
  partnerFromNeighbours,
  profileHash,
  validateOffer,
  type OfferInputs,
  type OfferProfile,
} from './chooseOffers';
import { offerCatalog } from './testSupport';
import { defaultOfferPolicy, noMutedInterests, type Offer } from './types';

// 0: $20 Action, 1: $10 Strategy, 2: free, 3: $30 Horror-tagged, 4: $8, 5: $12
const catalog: Game[] = offerCatalog({ tags: ['Horror'] });

const sensitive: OfferProfile = { owned: [5], priceSensitivity: 0.6, muted: noMutedInterests };

const inputs = (overrides: Partial<OfferInputs> = {}): OfferInputs => ({
  profile: sensitive,
  candidates: [0, 1, 2, 3, 4].map((item, i) => ({ item, score: 5 - i })),
  partnerOf: (item) => (item === 1 ? 4 : null),
  catalog,
  policy: { ...defaultOfferPolicy, budgetPerShopper: 100 },
  now: 1000,
  ...overrides,
});

describe('offer prices', () => {
  it('rounds a discounted price down to the cent and refuses anything that is not lower', () => {
    expect(discountedPrice(19.99, 0.3)).toBe(13.99); // 13.993
    expect(discountedPrice(0.01, 0.05)).toBe(0); // 0.0095 → 0.00
    expect(discountedPrice(0, 0.3)).toBeNull();
    expect(discountedPrice(10, 0)).toBeNull();
    expect(discountedPrice(10, -0.2)).toBeNull();
  });

  it('scales the hesitation discount with price sensitivity in 5% steps', () => {
    expect(hesitationDiscount(0.6, defaultOfferPolicy)).toBeCloseTo(0.3); // 0.5 × 0.6
    expect(hesitationDiscount(0.5, defaultOfferPolicy)).toBeCloseTo(0.25);
    expect(hesitationDiscount(0.47, defaultOfferPolicy)).toBeCloseTo(0.2); // 0.235 → 0.20
    expect(hesitationDiscount(0.39, defaultOfferPolicy)).toBe(0); // under the 0.4 threshold
    expect(hesitationDiscount(1, defaultOfferPolicy)).toBeCloseTo(0.5);
  });

  it('rejects an offer that raises or keeps a price, or gives no reason', () => {
    const offer: Offer = {
      id: 'x',
      kind: 'discount',
      lines: [{ itemId: 0, originalPrice: 20, offeredPrice: 20 }],
      reason: 'why',
      madeAt: 0,
      expiresAt: 1,
    };
    expect(() => validateOffer(offer)).toThrow(/not below/);
    expect(() =>
      validateOffer({ ...offer, lines: [{ itemId: 0, originalPrice: 20, offeredPrice: 25 }] }),
    ).toThrow();
    expect(() =>
      validateOffer({ ...offer, lines: [{ itemId: 0, originalPrice: 20, offeredPrice: -1 }] }),
    ).toThrow();
    expect(() =>
      validateOffer({ ...offer, lines: [{ itemId: 0, originalPrice: 20, offeredPrice: 15 }], reason: ' ' }),
    ).toThrow(/why/);
    expect(() =>
      validateOffer({ ...offer, lines: [{ itemId: 0, originalPrice: 20, offeredPrice: 15 }] }),
    ).not.toThrow();
  });
});

describe('chooseOffers', () => {
  it('discounts the best paid candidate and bundles the next one with its co-owned partner', () => {
    const offers = chooseOffers(inputs());
    expect(offers.map((o) => o.kind)).toEqual(['discount', 'bundle']);
    const [discount, bundle] = offers;
    // 30% off $20 = $14; 15% off $10 = $8.50 and off $8 = $6.80
    expect(discount.lines).toEqual([{ itemId: 0, originalPrice: 20, offeredPrice: 14 }]);
    expect(bundle.lines).toEqual([
      { itemId: 1, originalPrice: 10, offeredPrice: 8.5 },
      { itemId: 4, originalPrice: 8, offeredPrice: 6.8 },
    ]);
    expect(discount.reason).toMatch(/^30% off Game 0/);
    expect(bundle.reason).toMatch(/Game 1 and Game 4 are often owned together: 15% off each/);
    expect(discount.expiresAt - discount.madeAt).toBe(defaultOfferPolicy.lifetimeMs);
    expect(offerCost(discount) + offerCost(bundle)).toBeCloseTo(6 + 1.5 + 1.2);
  });

  it('only ever lowers prices, over many profiles and candidate orders', () => {
    for (let s = 0; s <= 20; s++) {
      for (let shift = 0; shift < 6; shift++) {
        const candidates = catalog.map((g, i) => ({ item: (i + shift) % 6, score: 6 - i }));
        const offers = chooseOffers(
          inputs({
            candidates,
            profile: { ...sensitive, priceSensitivity: s / 20 },
            partnerOf: (i) => (i + 1) % 6,
          }),
        );
        for (const offer of offers) {
          for (const line of offer.lines) {
            expect(line.offeredPrice).toBeLessThan(line.originalPrice);
            expect(line.offeredPrice).toBeGreaterThanOrEqual(0);
            expect(line.originalPrice).toBe(catalog[line.itemId].price);
          }
          expect(offer.reason.length).toBeGreaterThan(10);
        }
      }
    }
  });

  it('gives two shoppers with the same profile the same offers, whatever order their sets were built in', () => {
    const a = chooseOffers(inputs({ profile: { ...sensitive, owned: [5, 2] } }));
    const b = chooseOffers(inputs({ profile: { ...sensitive, owned: [2, 5] } }));
    expect(b).toEqual(a);
    expect(profileHash({ ...sensitive, owned: [5, 2] })).toBe(profileHash({ ...sensitive, owned: [2, 5] }));
    expect(profileHash({ ...sensitive, priceSensitivity: 0.7 })).not.toBe(profileHash(sensitive));
  });

  it('never offers a game with a muted genre, tag or developer', () => {
    const muted = { genres: new Set(['Action']), tags: new Set<string>(), developers: new Set<string>() };
    // every Action game is muted: only game 1 (Strategy) is left, and its partner 4 is Action
    const offers = chooseOffers(inputs({ profile: { ...sensitive, muted } }));
    expect(offers).toHaveLength(1);
    expect(offers[0].lines.map((l) => l.itemId)).toEqual([1]);
    const byTag = chooseOffers(
      inputs({
        candidates: [{ item: 3, score: 1 }],
        profile: { ...sensitive, muted: { ...muted, genres: new Set(), tags: new Set(['Horror']) } },
      }),
    );
    expect(byTag).toEqual([]);
    const byDeveloper = chooseOffers(
      inputs({
        profile: { ...sensitive, muted: { ...muted, genres: new Set(), developers: new Set(['Dev 0']) } },
      }),
    );
    expect(byDeveloper.flatMap((o) => o.lines.map((l) => l.itemId))).not.toContain(0);
  });

  it('makes no discount offer to a shopper who does not hesitate over price, and skips free and owned games', () => {
    const relaxed = chooseOffers(inputs({ profile: { ...sensitive, priceSensitivity: 0.2 } }));
    expect(relaxed.map((o) => o.kind)).toEqual(['bundle']);
    const offers = chooseOffers(
      inputs({
        profile: { ...sensitive, owned: [0] },
        candidates: [2, 0, 1].map((item) => ({ item, score: 1 })),
      }),
    );
    // 2 is free and 0 owned: the discount goes to 1, which leaves no bundle
    expect(offers.map((o) => o.lines[0].itemId)).toEqual([1]);
  });

  it('keeps the offers within the budget', () => {
    // the discount costs $6, the bundle $2.70
    expect(
      chooseOffers(inputs({ policy: { ...defaultOfferPolicy, budgetPerShopper: 5 } })).map((o) => o.kind),
    ).toEqual(['bundle']);
    expect(
      chooseOffers(inputs({ policy: { ...defaultOfferPolicy, budgetPerShopper: 8 } })).map((o) => o.kind),
    ).toEqual(['discount']);
    expect(chooseOffers(inputs({ policy: { ...defaultOfferPolicy, budgetPerShopper: 2 } }))).toEqual([]);
  });

  it('never offers a game listed above the price ceiling, and a ceiling changes the hash', () => {
    // ceiling $15: games 0 ($20) and 3 ($30) leave, so the discount goes to 1 ($10, 30% off =
    // $7); 1 is then taken and 4 has no partner: no bundle
    const offers = chooseOffers(inputs({ profile: { ...sensitive, priceCeiling: 15 } }));
    expect(offers.map((o) => o.lines.map((l) => l.itemId))).toEqual([[1]]);
    expect(offers[0].lines[0].offeredPrice).toBe(7);
    expect(profileHash({ ...sensitive, priceCeiling: 15 })).not.toBe(profileHash(sensitive));
    expect(profileHash({ ...sensitive, priceCeiling: null })).toBe(profileHash(sensitive));
  });
});

describe('partnerFromNeighbours', () => {
  it('takes the strongest neighbour that is neither the game itself nor excluded', () => {
    const neighbours = [
      { item: 7, score: 0.9 },
      { item: 3, score: 0.8 },
      { item: 4, score: 0.5 },
    ];
    expect(partnerFromNeighbours(7, neighbours, new Set())).toBe(3);
    expect(partnerFromNeighbours(1, neighbours, new Set([7, 3]))).toBe(4);
    expect(partnerFromNeighbours(1, neighbours, new Set([7, 3, 4]))).toBeNull();
  });
});
