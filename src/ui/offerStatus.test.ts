import { describe, expect, it } from 'vitest';
import { standingDiscount } from '../recs/offers/testSupport';
import { offerStatus, offerStatusText } from './offerStatus';

const dayMs = 86_400_000;
const offer = standingDiscount(); // expires 1970-01-08

describe('offerStatus', () => {
  it('says whether an offer applies, and why not', () => {
    expect(offerStatus(offer, dayMs, true)).toBe('standing');
    expect(offerStatus(offer, dayMs, false)).toBe('off');
    expect(offerStatus(offer, 7 * dayMs, true)).toBe('expired');
    expect(offerStatus({ ...offer, withdrawnAt: 2 * dayMs }, dayMs, true)).toBe('replaced');
    expect(offerStatusText(offer, dayMs, true)).toBe('Applies until 1970-01-08');
    expect(offerStatusText({ ...offer, withdrawnAt: 2 * dayMs }, 3 * dayMs, false)).toBe(
      'Replaced on 1970-01-03, when your profile changed',
    );
  });
});
