import { describe, expect, it } from 'vitest';
import { interactionKind, type CommunityData } from '../../ml/communityData';
import {
  applyEventToPurchases,
  communityPurchaseDistributions,
  emptyPurchases,
  percentileRank,
  summarizePurchases,
} from './purchases';
import { event, game } from './testSupport';
import { dayMs } from './weights';

const { owned, recommended, notRecommended } = interactionKind;

/**
 * Three players over four items priced [0, 10, 20, 5]:
 *   player 0 owns items 1 and 2 and recommended item 1 on day 100;
 *   player 1 owns item 0 and did not recommend item 3 on day 110 (the newest day);
 *   player 2 owns nothing and recommended item 3 on day 90.
 */
const community: CommunityData = {
  userCount: 3,
  itemCount: 4,
  userOffsets: Uint32Array.from([0, 3, 5, 6]),
  items: Int32Array.from([1, 2, 1, 0, 3, 3]),
  kinds: Uint8Array.from([owned, owned, recommended, owned, notRecommended, recommended]),
  playtimeMinutes: Uint32Array.from([60, 0, 0, 5, 0, 0]),
  days: Uint16Array.from([0, 0, 100, 0, 110, 90]),
};
const itemPrices = [0, 10, 20, 5];

describe('percentile rank', () => {
  it('counts the share below, ties as half', () => {
    const sorted = [1, 2, 2, 3];
    expect(percentileRank(sorted, 2)).toBe(50);
    expect(percentileRank(sorted, 2.5)).toBe(75);
    expect(percentileRank(sorted, 0)).toBe(0);
    expect(percentileRank(sorted, 5)).toBe(100);
    expect(percentileRank(sorted, 1)).toBe(12.5);
    expect(percentileRank([], 1)).toBeNull();
  });
});

describe('community RFM distributions', () => {
  it('are games owned, their catalog price, and days from the last review to the newest', () => {
    const distributions = communityPurchaseDistributions(community, itemPrices);
    expect([...distributions.frequency]).toEqual([0, 1, 2]);
    expect([...distributions.monetary]).toEqual([0, 0, 30]);
    // player 1 reviewed on the newest day (0), player 0 ten days before, player 2 twenty
    expect([...distributions.recencyDays]).toEqual([0, 10, 20]);
  });

  it('leave players with no dated review out of recency', () => {
    const ownersOnly: CommunityData = {
      ...community,
      userCount: 1,
      userOffsets: Uint32Array.from([0, 1]),
      items: Int32Array.from([1]),
      kinds: Uint8Array.from([owned]),
      playtimeMinutes: Uint32Array.from([1]),
      days: Uint16Array.from([0]),
    };
    const distributions = communityPurchaseDistributions(ownersOnly, itemPrices);
    expect([...distributions.recencyDays]).toEqual([]);
    expect([...distributions.monetary]).toEqual([10]);
  });
});

describe('shopper purchases', () => {
  it('sum RFM and place it against the community', () => {
    const state = emptyPurchases();
    applyEventToPurchases(state, event(1, 'view', 7, 1), game(7));
    applyEventToPurchases(state, event(2, 'purchase', 7, 5, { price: 15 }), game(7, { price: 20 }));
    const summary = summarizePurchases(
      state,
      communityPurchaseDistributions(community, itemPrices),
      10 * dayMs,
    );
    expect(summary.recencyDays).toBe(5);
    expect(summary.frequency).toBe(1);
    expect(summary.monetary).toBe(15);
    expect(summary.evidence).toEqual([2]);
    // 5 days: more recent than the players at 10 and 20 days, 2 of 3
    expect(summary.percentiles.recency).toBeCloseTo(200 / 3, 12);
    // 1 game: above the player with 0, tied with one, below one: (1 + ½) / 3
    expect(summary.percentiles.frequency).toBeCloseTo(50, 12);
    // $15: above the two players at $0
    expect(summary.percentiles.monetary).toBeCloseTo(200 / 3, 12);
  });

  it('price a purchase by what was paid, else the catalog price, else 0', () => {
    const state = emptyPurchases();
    applyEventToPurchases(state, event(1, 'purchase', 1, 0), game(1, { price: 12 }));
    applyEventToPurchases(state, event(2, 'purchase', 2, 0), game(2, { price: null }));
    applyEventToPurchases(state, event(3, 'purchase', 9, 0), undefined);
    expect(state.totalSpent).toBe(12);
    expect(state.count).toBe(3);
  });

  it('keep the five newest purchases as evidence, whatever the order', () => {
    const state = emptyPurchases();
    for (const day of [3, 1, 6, 2, 5, 4])
      applyEventToPurchases(state, event(day, 'purchase', 1, day), game(1));
    expect(summarizePurchases(state, null, 7 * dayMs).evidence).toEqual([6, 5, 4, 3, 2]);
    expect(state.lastAt).toBe(6 * dayMs);
  });

  it('have no percentiles without a community, and no recency before a purchase', () => {
    const summary = summarizePurchases(emptyPurchases(), null, 0);
    expect(summary.recencyDays).toBeNull();
    expect(summary.percentiles).toEqual({ recency: null, frequency: null, monetary: null });
    const withCommunity = summarizePurchases(
      emptyPurchases(),
      communityPurchaseDistributions(community, itemPrices),
      0,
    );
    expect(withCommunity.percentiles.recency).toBeNull();
    // $0 ties with two of three players: (0 + 2 / 2) / 3
    expect(withCommunity.percentiles.monetary).toBeCloseTo(100 / 3, 12);
  });
});
