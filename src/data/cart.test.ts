import 'fake-indexeddb/auto';
import { describe, expect, it, vi } from 'vitest';
import { addToCart, checkout, clearCart, listCart, removeFromCart } from './cart';
import type { AisleDb } from './db';
import { createSessionTracker, memoryStore } from './session';
import { cleanUpAfterEach, freshDb } from './testSupport';

let db: AisleDb;
cleanUpAfterEach(() => db);

const sessions = () => createSessionTracker(memoryStore());

describe('cart', () => {
  it('adds once, lists in the order added, removes and clears', async () => {
    db = freshDb();
    await addToCart(db, 7, 300);
    await addToCart(db, 3, 100);
    await addToCart(db, 7, 900); // already there: keeps the first addedAt
    expect(await listCart(db)).toEqual([
      { itemId: 3, addedAt: 100 },
      { itemId: 7, addedAt: 300 },
    ]);
    await removeFromCart(db, 3);
    expect((await listCart(db)).map((l) => l.itemId)).toEqual([7]);
    await clearCart(db);
    expect(await listCart(db)).toEqual([]);
  });

  it('checkout records one purchase per line with its price and empties the cart', async () => {
    db = freshDb();
    await addToCart(db, 1, 10);
    await addToCart(db, 2, 20);
    const prices = new Map([[1, 9.99]]);
    const bought = await checkout(db, (id) => prices.get(id), { now: 1_000, sessions: sessions() });
    expect(bought).toEqual([1, 2]);
    expect(await listCart(db)).toEqual([]);
    const events = await db.events.orderBy('id').toArray();
    expect(events.map(({ kind, itemId, price, at }) => ({ kind, itemId, price, at }))).toEqual([
      { kind: 'purchase', itemId: 1, price: 9.99, at: 1_000 },
      { kind: 'purchase', itemId: 2, price: undefined, at: 1_000 },
    ]);
    expect(events[0].sessionId).toBe(events[1].sessionId);
  });

  it('checkout records the offered price paid and the offer that set it', async () => {
    db = freshDb();
    await addToCart(db, 1, 10);
    await addToCart(db, 2, 20);
    // game 1 bought under offer 'abc-discount-1' at $13.99 (listed at $19.99), game 2 at its $5
    const paid = new Map([
      [1, 13.99],
      [2, 5],
    ]);
    await checkout(db, (id) => paid.get(id), {
      now: 1_000,
      sessions: sessions(),
      offerOf: (id) => (id === 1 ? 'abc-discount-1' : undefined),
    });
    const events = (await db.events.toArray()).sort((a, b) => (a.itemId ?? 0) - (b.itemId ?? 0));
    expect(events.map(({ itemId, price, offerId }) => ({ itemId, price, offerId }))).toEqual([
      { itemId: 1, price: 13.99, offerId: 'abc-discount-1' },
      { itemId: 2, price: 5, offerId: undefined },
    ]);
    expect('offerId' in events[1]).toBe(false);
  });

  it('checkout changes nothing when emptying the cart fails after the purchases were written', async () => {
    db = freshDb();
    await addToCart(db, 1, 10);
    vi.spyOn(db.cartLines, 'clear').mockRejectedValue(new DOMException('full', 'QuotaExceededError'));
    await expect(checkout(db, undefined, { sessions: sessions() })).rejects.toBeDefined();
    vi.restoreAllMocks();
    expect((await listCart(db)).map((l) => l.itemId)).toEqual([1]);
    expect(await db.events.count()).toBe(0);
  });

  it('checkout of an empty cart buys nothing', async () => {
    db = freshDb();
    expect(await checkout(db, undefined, { sessions: sessions() })).toEqual([]);
    expect(await db.events.count()).toBe(0);
  });
});
