import { describe, expect, it } from 'vitest';
import { hashText } from '../../ml/io/hash';
import type { Game } from '../../data/types';
import type { ShopperSignals } from '../types';
import {
  decideStoreOffers,
  offerProfileFromSignals,
  standingOffers,
  type StoreOfferInputs,
} from './storeOffers';
import { offerCatalog, offerSignals } from './testSupport';
import { defaultOfferPolicy, type StoredOffer } from './types';

// paid games cost 20, 10, 30, 8 and 12: their mean is $16
const catalog: Game[] = offerCatalog({ developer: 'Big Studio' });
const prices = catalog.map((g) => g.price ?? 0);

const signals = (overrides: Partial<ShopperSignals> = {}) => offerSignals([5], overrides);

const inputs = (overrides: Partial<StoreOfferInputs> = {}): StoreOfferInputs => ({
  standing: [],
  profile: offerProfileFromSignals(signals(), prices),
  candidates: [3, 0, 1, 4].map((item, i) => ({ item, score: 4 - i })),
  partnerOf: (item) => (item === 0 ? 4 : null),
  catalog,
  policy: defaultOfferPolicy,
  now: 1_000,
  ...overrides,
});

describe('offerProfileFromSignals', () => {
  it('takes purchases, the simulator’s price sensitivity, mutes and the ceiling from the signals', () => {
    // bought game 4 ($8): r = 8 / 16 = 0.5, sensitivity 1 − 0.5 / 2 = 0.75
    const profile = offerProfileFromSignals(
      signals({
        owned: [4],
        preferences: {
          muted: { genre: ['Strategy'], tag: [], developer: ['Big Studio'] },
          boosted: { genre: [], tag: [], developer: [] },
          priceCeiling: 25,
          popularity: 0.5,
        },
      }),
      prices,
    );
    expect(profile.owned).toEqual([4]);
    expect(profile.priceSensitivity).toBeCloseTo(0.75);
    expect([...profile.muted.genres]).toEqual(['Strategy']);
    expect([...profile.muted.developers]).toEqual(['Big Studio']);
    expect(profile.priceCeiling).toBe(25);
    // nothing bought yet: 0.5, for lack of evidence
    expect(offerProfileFromSignals(signals(), prices).priceSensitivity).toBe(0.5);
  });
});

describe('decideStoreOffers', () => {
  it('makes offers for a new profile: 25% off the best paid candidate, a bundle within the $10 budget', () => {
    const decision = decideStoreOffers(inputs());
    expect(decision.remade).toBe(true);
    // sensitivity 0.5 → 25% off game 3 ($30 → $22.50, costs $7.50); the bundle 0 + 4 would cost
    // $3 + $1.20 = $4.20 more, over the $10 budget: left out
    expect(decision.offers.map((o) => [o.kind, o.lines])).toEqual([
      ['discount', [{ itemId: 3, originalPrice: 30, offeredPrice: 22.5 }]],
    ]);
    expect(decision.offers[0].withdrawnAt).toBeNull();
    // the id hides the games (it is the offers table's readable key): a hash of profile, kind and games
    expect(decision.offers[0].id).toBe(hashText(`${decision.offers[0].profileHash}-discount-3`));
    expect(decision.offers[0].id).toMatch(/^[0-9a-f]{16}$/);
  });

  it('keeps the standing offers for the same profile, even when the candidates moved', () => {
    const first = decideStoreOffers(inputs()).offers;
    const again = decideStoreOffers(
      inputs({ standing: first, candidates: [{ item: 1, score: 1 }], now: 5_000 }),
    );
    expect(again).toEqual({ offers: first, remade: false });
  });

  it('remakes the offers when the profile changes, and never offers a muted game or one above the ceiling', () => {
    const first = decideStoreOffers(inputs()).offers;
    const muted = offerProfileFromSignals(
      signals({
        preferences: {
          muted: { genre: [], tag: [], developer: ['Big Studio'] },
          boosted: { genre: [], tag: [], developer: [] },
          priceCeiling: null,
          popularity: 0.5,
        },
      }),
      prices,
    );
    const remade = decideStoreOffers(inputs({ standing: first, profile: muted }));
    expect(remade.remade).toBe(true);
    // game 3 is muted: 25% off game 0 ($20 → $15, $5); the bundle 1 has no partner, 4 neither
    expect(remade.offers.flatMap((o) => o.lines.map((l) => l.itemId))).toEqual([0]);
    const ceiling = decideStoreOffers(
      inputs({ standing: first, profile: { ...inputs().profile, priceCeiling: 15 } }),
    );
    for (const offer of ceiling.offers) {
      for (const line of offer.lines) expect(line.originalPrice).toBeLessThanOrEqual(15);
    }
    expect(ceiling.offers.map((o) => o.lines[0].itemId)).toEqual([1]);
  });

  it('never raises a price, over every candidate order', () => {
    for (let shift = 0; shift < 6; shift++) {
      const candidates = catalog.map((g, i) => ({ item: (i + shift) % 6, score: 6 - i }));
      for (const offer of decideStoreOffers(inputs({ candidates })).offers) {
        for (const line of offer.lines) {
          expect(line.offeredPrice).toBeLessThan(line.originalPrice);
          expect(line.originalPrice).toBe(catalog[line.itemId].price);
        }
      }
    }
  });
});

describe('standingOffers', () => {
  it('leaves out replaced and expired offers', () => {
    const base = decideStoreOffers(inputs()).offers[0];
    const offers: StoredOffer[] = [
      base,
      { ...base, id: 'replaced', withdrawnAt: 2_000 },
      { ...base, id: 'expired', expiresAt: 3_000 },
    ];
    expect(standingOffers(offers, 3_000).map((o) => o.id)).toEqual([base.id]);
    expect(standingOffers(offers, 2_999).map((o) => o.id)).toEqual([base.id, 'expired']);
  });
});
