// Personalised offers: the shopper's muted interests and the merchant's policy.
// Offer, OfferLine and OfferKind are declared in data/ (the store keeps offers on the device,
// and data/ imports no recs/); they are re-exported here for the offer code and the simulator.
export type { Offer, OfferKind, OfferLine, StoredOffer } from '../../data/offerTypes';

/** Interests the shopper muted in their profile: an offer never involves a game that has one. */
export interface MutedInterests {
  genres: ReadonlySet<string>;
  tags: ReadonlySet<string>;
  developers: ReadonlySet<string>;
}

export const noMutedInterests: MutedInterests = {
  genres: new Set(),
  tags: new Set(),
  developers: new Set(),
};

/** The merchant's settings for one offer policy. */
export interface OfferPolicy {
  /** the most discount (dollars, summed over every line of every offer) one shopper may be offered */
  budgetPerShopper: number;
  /** the deepest hesitation discount, as a fraction of the price (reached at price sensitivity 1) */
  maxDiscount: number;
  /** below this price sensitivity a shopper is not hesitating over price: no discount offer */
  minSensitivity: number;
  /** fraction off each game of a bundle */
  bundleDiscount: number;
  /** how many of the best candidates are considered "likely to want" */
  consider: number;
  /** how long an offer lasts, in ms */
  lifetimeMs: number;
}

export const defaultOfferPolicy: OfferPolicy = {
  budgetPerShopper: 10,
  maxDiscount: 0.5,
  minSensitivity: 0.4,
  bundleDiscount: 0.15,
  consider: 5,
  lifetimeMs: 7 * 24 * 3600 * 1000,
};
