// Which purchases the recommendations earned. A purchase is attributed to a recommendation
// when the shopper opened that game from a recommendation card (a 'recClick') earlier in the
// same session; the latest such click gets the credit, as it is the one that led to the page
// the game was bought from.
import type { ShopperEvent } from '../../data/types';
import { inTimeOrder } from './labels';

export interface PurchaseAttribution {
  purchase: ShopperEvent;
  /** The recommendation click credited with it, or null when the game was not reached from one. */
  click: ShopperEvent | null;
}

const clickKey = (sessionId: string, itemId: number) => `${sessionId}\u0000${itemId}`;

/** Every purchase, in time order, with the click it is attributed to. */
export function attributePurchases(events: readonly ShopperEvent[]): PurchaseAttribution[] {
  const latestClick = new Map<string, ShopperEvent>();
  const attributions: PurchaseAttribution[] = [];
  for (const event of inTimeOrder(events)) {
    if (event.itemId === undefined) continue;
    const key = clickKey(event.sessionId, event.itemId);
    if (event.kind === 'recClick' && event.placement !== undefined) latestClick.set(key, event);
    if (event.kind === 'purchase')
      attributions.push({ purchase: event, click: latestClick.get(key) ?? null });
  }
  return attributions;
}
