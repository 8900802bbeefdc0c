// The shopper in a browser that gives no storage: the cart, the session and the events live in
// memory, the banner says nothing will be remembered, and no call rejects.
import { describe, expect, it, vi } from 'vitest';

// vi.mock is hoisted above the imports, so the helper is imported inside the factory
vi.mock('../data/db', async (importOriginal) =>
  (await import('./testSupport/blockedStorage')).blockedDbModule(importOriginal, 'blocked'),
);

const { shopper } = await import('./shopper.svelte');
const { memoryOnlyNotice } = await import('../data/storage');

describe('Shopper without storage', () => {
  it('keeps the cart, events and checkout in memory and says nothing will be remembered', async () => {
    await shopper.load();
    expect(shopper.memoryOnly).toBe(true);
    expect(shopper.writeError).toBe(memoryOnlyNotice);

    // these used to reject with DatabaseClosedError: now they resolve and the state changes
    await shopper.addToCart(7);
    await shopper.addToCart(9);
    await shopper.addToCart(7); // already there: no second line
    await shopper.removeFromCart(9);
    expect(shopper.cart).toEqual([7]);
    shopper.record({ kind: 'view', itemId: 3 });
    expect(shopper.events.map((e) => [e.kind, e.itemId])).toEqual([
      ['cartAdd', 7],
      ['cartAdd', 9],
      ['cartRemove', 9],
      ['view', 3],
    ]);
    // one visit, one session, even with nothing stored
    expect(new Set(shopper.events.map((e) => e.sessionId)).size).toBe(1);

    const bought = await shopper.checkout((id) => (id === 7 ? 4.99 : undefined));
    expect(bought).toEqual([7]);
    expect(shopper.cart).toEqual([]);
    expect(shopper.events.at(-1)).toMatchObject({ kind: 'purchase', itemId: 7, price: 4.99 });

    await shopper.setDiversity(0.8);
    await shopper.setPaused(true);
    shopper.record({ kind: 'view', itemId: 4 }); // paused: not kept
    expect(shopper.events.at(-1)?.kind).toBe('purchase');
    expect(shopper.diversity).toBe(0.8);
    // the notice is not replaced by a "damaged database, erase it" message
    expect(shopper.writeError).toBe(memoryOnlyNotice);
  });
});
