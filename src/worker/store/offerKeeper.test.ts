import { describe, expect, it } from 'vitest';
import { offerGame, offerSignals } from '../../recs/offers/testSupport';
import type { StoredOffer } from '../../recs/offers/types';
import type { ShopperSignals } from '../../recs/types';
import { OfferKeeper, type OfferStore } from './offerKeeper';

const game = (id: number, price: number, genres = ['Action']) => offerGame(id, price, { genres });

// paid prices 40, 20, 10, 10: mean $20
const catalog = [game(0, 40), game(1, 20, ['Puzzle']), game(2, 10), game(3, 10)];

const signals = (overrides: Partial<ShopperSignals> = {}) => offerSignals([3], overrides);

/** An in-memory offers table, or one that fails every call. */
function memoryStore(failing = false) {
  const rows = new Map<string, StoredOffer>();
  let writes = 0;
  const store: OfferStore = {
    unreplaced: async () => {
      if (failing) throw new Error('IndexedDB is not available');
      return [...rows.values()].filter((o) => o.withdrawnAt === null).map((o) => ({ ...o }));
    },
    replace: async (offers, now) => {
      writes++;
      for (const row of rows.values()) if (row.withdrawnAt === null) row.withdrawnAt = now;
      for (const offer of offers) rows.set(offer.id, { ...offer });
    },
  };
  return { store, rows, writes: () => writes };
}

function keeper(store: OfferStore, clock = { now: 1_000 }) {
  return new OfferKeeper({
    catalog,
    // "For you" ranks 1, 0, 2 whatever the signals; 2 is most often owned with 0
    sources: {
      forYou: () => [1, 0, 2].map((item, i) => ({ item, score: 3 - i })),
      neighboursOf: (item) => (item === 0 ? [{ item: 2, score: 1 }] : []),
    },
    store,
    now: () => clock.now,
  });
}

describe('OfferKeeper', () => {
  it('makes offers once, stores them, and answers the same ones on the next visit', async () => {
    const memory = memoryStore();
    const first = await keeper(memory.store).offersFor(signals(), 0.3);
    // no purchase: sensitivity 0.5 → 25% off game 1 ($20 → $15, $5); bundle 0 + 2 at 15% off
    // each costs $6 + $1.50 = $7.50 more: over the $10 budget
    expect(first.problem).toBeUndefined();
    expect(first.offers.map((o) => o.lines)).toEqual([[{ itemId: 1, originalPrice: 20, offeredPrice: 15 }]]);
    expect(memory.writes()).toBe(1);
    // a new tab (a new keeper), a day later, having looked at another game: the same offers, not written again
    const again = await keeper(memory.store, { now: 86_400_000 }).offersFor(
      signals({ history: [3, 2] }),
      0.3,
    );
    expect(again.offers).toEqual(first.offers);
    expect(memory.writes()).toBe(1);
  });

  it('remakes the offers when a mute changes the profile, and never offers the muted game', async () => {
    const memory = memoryStore();
    const shop = keeper(memory.store);
    const first = await shop.offersFor(signals(), 0.3);
    const muted = await shop.offersFor(
      signals({
        preferences: {
          muted: { genre: ['Puzzle'], tag: [], developer: [] },
          boosted: { genre: [], tag: [], developer: [] },
          priceCeiling: null,
          popularity: 0.5,
        },
      }),
      0.3,
    );
    // game 1 is a Puzzle: 25% off game 0 ($40 → $30, $10) uses the whole budget
    expect(muted.offers.map((o) => o.lines.map((l) => [l.itemId, l.offeredPrice]))).toEqual([[[0, 30]]]);
    expect(memory.rows.get(first.offers[0].id)?.withdrawnAt).toBe(1_000);
    expect([...memory.rows.values()].filter((o) => o.withdrawnAt === null)).toHaveLength(1);
  });

  it('keeps answering from memory, and says so, when the device cannot store offers', async () => {
    const shop = keeper(memoryStore(true).store);
    const answer = await shop.offersFor(signals(), 0.3);
    expect(answer.offers).toHaveLength(1);
    expect(answer.problem).toBe(
      'Your offers could not be read from this device (IndexedDB is not available): they are kept until this tab closes.',
    );
    expect((await shop.offersFor(signals({ history: [2] }), 0.3)).offers).toEqual(answer.offers);
    shop.forget();
    // forgotten: made again (same profile, same candidates: the same offer, made anew)
    expect((await shop.offersFor(signals(), 0.3)).offers[0].id).toBe(answer.offers[0].id);
  });

  it('stores nothing and answers no offers when "erase everything" comes while the stored offers are read', async () => {
    const memory = memoryStore();
    let releaseRead: () => void = () => undefined;
    const slowRead: OfferStore = {
      unreplaced: () =>
        new Promise((resolve) => (releaseRead = () => void memory.store.unreplaced().then(resolve))),
      replace: memory.store.replace,
    };
    const shop = keeper(slowRead);
    const answer = shop.offersFor(signals(), 0.3);
    shop.forget();
    releaseRead();
    expect(await answer).toEqual({ offers: [] });
    expect(memory.writes()).toBe(0);
    expect(memory.rows.size).toBe(0);
    // the next request, made after the erase, stores its offers as usual
    expect((await keeper(memory.store).offersFor(signals(), 0.3)).offers).toHaveLength(1);
    expect(memory.writes()).toBe(1);
  });
});
