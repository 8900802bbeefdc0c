// The shopper's personalised offers as the page sees them: the ones that stand (made by the store
// worker, stored on the device) and, from them, every price the page shows. Everything reads
// `active`, which is empty while the shopper has offers off: switching them off takes every
// offered price off every card, product page, cart and checkout at once.
import type { StoredOffer } from '../data/offerTypes';
import { bundlesWith, discountOn, priceCart, type PricedCart } from '../recs/offers/cartPricing';
import { catalog } from './catalog.svelte';
import { shopper } from './shopper.svelte';

class Offers {
  /** the offers that stand for the shopper now, as the worker last answered */
  standing = $state.raw<StoredOffer[]>([]);
  /** why the offers will not be remembered after this tab closes (storage failed), or null */
  problem = $state<string | null>(null);
  /** what prices follow: nothing while the shopper turned offers off */
  active = $derived(shopper.offersEnabled ? this.standing : []);
  /** the cart as it is charged: offered prices and why, the total and the total at list prices */
  cart: PricedCart = $derived(
    priceCart(shopper.cart, (id) => catalog.game(id)?.price ?? null, this.active, Date.now()),
  );

  /** the discount a card or product page shows for a game, or null */
  discountOn(itemId: number): StoredOffer | null {
    return discountOn(itemId, this.active, Date.now());
  }

  bundlesWith(itemId: number): StoredOffer[] {
    return bundlesWith(itemId, this.active, Date.now());
  }

  receive(offers: StoredOffer[], problem: string | undefined): void {
    this.standing = offers;
    this.problem = problem ?? null;
  }

  /** After "erase everything". */
  forget(): void {
    this.standing = [];
    this.problem = null;
  }
}

export const offers = new Offers();
