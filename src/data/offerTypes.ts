// The shape of a personalised offer (made by recs/offers/) and of an offer as the device keeps
// it. An offer names each game with its original and offered price, so a cart line needs
// nothing else to show and charge it, and it carries the words that say why it was made and
// when it stops. Like types.ts this file imports nothing, so every layer may import it.

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

/** An offer as the store keeps it: which offer profile it was made for, and whether it was replaced. */
export interface StoredOffer extends Offer {
  /** the hash of the offer profile it was made for (recs/offers profileHash) */
  profileHash: string;
  /** epoch ms it was replaced by offers for a changed profile; null while it stands */
  withdrawnAt: number | null;
}
