// What the shopper pays for each game in the cart, with the offers that stand. A discount
// applies to its game; a bundle only when every game of it is in the cart. A game gets at most
// one offer: offers are applied biggest saving first, so a cart always gets the best prices the
// offers allow, and a total never depends on the order the offers were made in. Money is
// summed in whole cents, so a total never shows a rounding error.
import type { Offer } from './types';

/** One cart line as it is charged. */
export interface PricedLine {
  itemId: number;
  /** the catalog price; null when unknown (charged as 0) */
  listPrice: number | null;
  /** dollars charged */
  paid: number;
  /** the offer that set `paid`, or null at the list price */
  offer: { id: string; reason: string } | null;
}

export interface PricedCart {
  lines: PricedLine[];
  /** dollars charged */
  total: number;
  /** dollars at list prices */
  listTotal: number;
}

const cents = (dollars: number) => Math.round(dollars * 100);

const saving = (offer: Offer) =>
  offer.lines.reduce((sum, line) => sum + cents(line.originalPrice) - cents(line.offeredPrice), 0);

/**
 * Prices the cart's games (in the cart's order). `offers` are the offers that stand now (none
 * when the shopper turned offers off); an offer past its expiresAt charges the list price.
 */
export function priceCart(
  itemIds: readonly number[],
  listPriceOf: (itemId: number) => number | null,
  offers: readonly Offer[],
  now: number,
): PricedCart {
  const inCart = new Set(itemIds);
  const applied = new Map<number, { offer: Offer; price: number }>();
  const live = offers.filter((offer) => now < offer.expiresAt).sort((a, b) => saving(b) - saving(a));
  for (const offer of live) {
    const applies = offer.lines.every((line) => inCart.has(line.itemId) && !applied.has(line.itemId));
    if (!applies) continue;
    for (const line of offer.lines) applied.set(line.itemId, { offer, price: line.offeredPrice });
  }
  const lines = itemIds.map((itemId): PricedLine => {
    const listPrice = listPriceOf(itemId);
    const hit = applied.get(itemId);
    return hit
      ? { itemId, listPrice, paid: hit.price, offer: { id: hit.offer.id, reason: hit.offer.reason } }
      : { itemId, listPrice, paid: listPrice ?? 0, offer: null };
  });
  return {
    lines,
    total: lines.reduce((sum, line) => sum + cents(line.paid), 0) / 100,
    listTotal: lines.reduce((sum, line) => sum + cents(line.listPrice ?? 0), 0) / 100,
  };
}

/** The single-game offer on `itemId` that stands at `now` (what a card and a product page show), or null. */
export function discountOn<T extends Offer>(itemId: number, offers: readonly T[], now: number): T | null {
  return (
    offers.find(
      (offer) => now < offer.expiresAt && offer.lines.length === 1 && offer.lines[0].itemId === itemId,
    ) ?? null
  );
}

/** The bundle offers that include `itemId` and stand at `now`. */
export function bundlesWith<T extends Offer>(itemId: number, offers: readonly T[], now: number): T[] {
  return offers.filter(
    (offer) =>
      now < offer.expiresAt && offer.lines.length > 1 && offer.lines.some((line) => line.itemId === itemId),
  );
}
