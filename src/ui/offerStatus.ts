// How the list of offers describes each one: whether it still applies, and if not, why.
import type { StoredOffer } from '../data/offerTypes';

export type OfferStatus = 'standing' | 'off' | 'replaced' | 'expired';

/** A replaced offer stays replaced; a standing one is 'off' while the shopper has offers off. */
export function offerStatus(offer: StoredOffer, now: number, offersEnabled: boolean): OfferStatus {
  if (offer.withdrawnAt !== null) return 'replaced';
  if (now >= offer.expiresAt) return 'expired';
  return offersEnabled ? 'standing' : 'off';
}

const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);

export function offerStatusText(offer: StoredOffer, now: number, offersEnabled: boolean): string {
  switch (offerStatus(offer, now, offersEnabled)) {
    case 'standing':
      return `Applies until ${day(offer.expiresAt)}`;
    case 'off':
      return 'Not applied: you turned offers off';
    case 'replaced':
      return `Replaced on ${day(offer.withdrawnAt!)}, when your profile changed`;
    case 'expired':
      return `Expired on ${day(offer.expiresAt)}`;
  }
}
