// Personalised offers: the shapes the simulator produces and a cart can apply. An offer names
// each game with its original and offered price, so a cart line needs nothing else to show and
// charge it, and it carries the words that say why it was made and when it stops.

/** One game of an offer, at its catalog price and at the price offered. */
export interface OfferLine {
  itemId: number;
  /** dollars, the catalog price */
  originalPrice: number;
  /** dollars, always below originalPrice and never negative (checked by validateOffer) */
  offeredPrice: number;
}

export type OfferKind = 'discount' | 'bundle';

export interface Offer {
  /** stable for the same profile and candidates: the profile's hash, the kind and the games */
  id: string;
  kind: OfferKind;
  /** one line for a discount; two for a bundle (the bundle's price applies when both are bought) */
  lines: OfferLine[];
  /** why it was made, in words the shopper reads */
  reason: string;
  /** epoch ms */
  madeAt: number;
  /** epoch ms after which a cart must charge the original price */
  expiresAt: number;
}

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
