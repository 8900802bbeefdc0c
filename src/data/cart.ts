// Cart repository. The cart is functional state (what the shopper means to buy), so it is
// kept even while tracking is paused. Rows are keyed by a counter, not by the game, so that no
// key names a game when the cart is encrypted; a cart is a handful of lines, read whole.
import type { AisleDb } from './db';
import { createSessionTracker, type SessionTracker } from './session';
import type { CartLine, ShopperEvent } from './types';

/** Adds a game; adding one already in the cart keeps its original addedAt. */
export async function addToCart(db: AisleDb, itemId: number, now = Date.now()): Promise<void> {
  await db.transaction('rw', db.cartLines, async () => {
    const lines = await db.cartLines.toArray();
    if (!lines.some((line) => line.itemId === itemId)) await db.cartLines.add({ itemId, addedAt: now });
  });
}

export async function removeFromCart(db: AisleDb, itemId: number): Promise<void> {
  await db.transaction('rw', db.cartLines, async () => {
    const lines = await db.cartLines.toArray();
    const ids = lines.filter((line) => line.itemId === itemId).map((line) => line.id!);
    await db.cartLines.bulkDelete(ids);
  });
}

/** Lines in the order they were added. */
export async function listCart(db: AisleDb): Promise<CartLine[]> {
  const lines = await db.cartLines.toArray();
  return lines
    .map(({ itemId, addedAt }) => ({ itemId, addedAt }))
    .sort((a, b) => a.addedAt - b.addedAt || a.itemId - b.itemId);
}

export async function clearCart(db: AisleDb): Promise<void> {
  await db.cartLines.clear();
}

export interface CheckoutOptions {
  now?: number;
  sessions?: SessionTracker;
  /** the personalised offer that set a game's price, recorded with its purchase */
  offerOf?: OfferOf;
}

/** The id of the offer a game is bought under, or undefined at the list price. */
export type OfferOf = (itemId: number) => string | undefined;

/**
 * One purchase event per game, at one time and session; the price paid is kept when known, and
 * the offer that set it when there was one.
 */
export function purchaseEvents(
  itemIds: readonly number[],
  priceOf: (itemId: number) => number | null | undefined,
  at: number,
  sessionId: string,
  offerOf: OfferOf = () => undefined,
): ShopperEvent[] {
  return itemIds.map((itemId): ShopperEvent => {
    const price = priceOf(itemId);
    const offerId = offerOf(itemId);
    return {
      kind: 'purchase',
      at,
      sessionId,
      itemId,
      ...(price == null ? {} : { price }),
      ...(offerId === undefined ? {} : { offerId }),
    };
  });
}

/**
 * Simulated checkout: records one 'purchase' event per cart line and empties the cart.
 * Both happen in one 'rw' transaction over cart and events: if the tab closes or a write
 * fails half-way, either the purchases are recorded and the cart is empty, or nothing
 * changed. Two separate writes could leave purchases recorded with the games still in the
 * cart (a second checkout would buy them twice) or an empty cart with no purchase record.
 * Purchases are written directly rather than through EventLog because they are functional
 * ("you own this") and must not wait in a queue or be dropped while tracking is paused.
 * Returns the item ids bought.
 */
export async function checkout(
  db: AisleDb,
  priceOf: (itemId: number) => number | null | undefined = () => undefined,
  options: CheckoutOptions = {},
): Promise<number[]> {
  const at = options.now ?? Date.now();
  const sessionId = (options.sessions ?? createSessionTracker()).sessionIdAt(at);
  return db.transaction('rw', db.cartLines, db.events, async () => {
    const lines = await listCart(db);
    const purchases = purchaseEvents(
      lines.map((line) => line.itemId),
      priceOf,
      at,
      sessionId,
      options.offerOf,
    );
    if (purchases.length > 0) await db.events.bulkAdd(purchases);
    await db.cartLines.clear();
    return lines.map((line) => line.itemId);
  });
}
