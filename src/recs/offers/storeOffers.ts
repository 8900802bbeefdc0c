// The store's offers: the simulator's chooseOffers, fed from what the store knows about one
// real shopper, and kept until that shopper's offer profile changes. Offers are remade only
// when something that decides them changes (what they own, their price sensitivity, their
// mutes or price ceiling) or when they expire: looking at a game changes the "For you"
// candidates but must not swap the offer the shopper is about to click on.
import { catalogMeanPrice, priceSensitivity } from '../sim/population';
import type { ShopperSignals } from '../types';
import { chooseOffers, profileHash, type OfferInputs, type OfferProfile } from './chooseOffers';
import type { StoredOffer } from './types';

/**
 * The offer profile of a store shopper, from the signals the ranking uses: the games they
 * bought, the simulator's price sensitivity over those games (no purchase yet: 0.5), and the
 * mutes and price ceiling of their profile edits.
 */
export function offerProfileFromSignals(signals: ShopperSignals, prices: ArrayLike<number>): OfferProfile {
  const muted = signals.preferences?.muted;
  return {
    owned: signals.owned,
    priceSensitivity: priceSensitivity(signals.owned, prices, catalogMeanPrice(prices)),
    muted: {
      genres: new Set(muted?.genre ?? []),
      tags: new Set(muted?.tag ?? []),
      developers: new Set(muted?.developer ?? []),
    },
    priceCeiling: signals.preferences?.priceCeiling ?? null,
  };
}

/** The offers that stand at `now`: not replaced and not expired. */
export function standingOffers<T extends StoredOffer>(offers: readonly T[], now: number): T[] {
  return offers.filter((offer) => offer.withdrawnAt === null && now < offer.expiresAt);
}

/** What chooseOffers needs ("For you" as the candidates), and the offers that stand now. */
export interface StoreOfferInputs extends OfferInputs {
  /** the offers that stand now (standingOffers of what is stored) */
  standing: readonly StoredOffer[];
}

export interface StoreOfferDecision {
  /** the offers that stand after this decision */
  offers: StoredOffer[];
  /** true when `offers` were made now and replace `standing` (they must be stored) */
  remade: boolean;
}

/**
 * Keep the standing offers while they were made for this very offer profile; otherwise make new
 * ones with chooseOffers. A profile for which nothing could be offered is asked again next time.
 */
export function decideStoreOffers(inputs: StoreOfferInputs): StoreOfferDecision {
  const hash = profileHash(inputs.profile);
  const { standing } = inputs;
  if (standing.length > 0 && standing.every((offer) => offer.profileHash === hash)) {
    return { offers: [...standing], remade: false };
  }
  const made = chooseOffers(inputs);
  return {
    offers: made.map((offer) => ({ ...offer, profileHash: hash, withdrawnAt: null })),
    remade: true,
  };
}
