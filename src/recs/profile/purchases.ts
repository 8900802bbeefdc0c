// Purchases as recency / frequency / monetary value (RFM), each also placed against the
// community players. The community has no purchase dates, only what each player owns and
// when they reviewed, so: frequency = games owned, monetary = the catalog price of those
// games, recency = days from a player's last review to the newest review in the data (the
// data ends years ago, so "now" for the community is its newest day, as for trending).
import type { PurchaseState } from '../../data/profileTypes';
import type { Game, ShopperEvent } from '../../data/types';
import { interactionKind, type CommunityData } from '../../ml/communityData';
import { dayMs, evidenceLimit } from './weights';

export function emptyPurchases(): PurchaseState {
  return { count: 0, totalSpent: 0, lastAt: null, recent: [] };
}

/** What a purchase cost: the price paid, else the catalog price, else nothing known (0). */
export function purchasePrice(event: ShopperEvent, game: Game | undefined): number {
  return event.price ?? game?.price ?? 0;
}

/** Folds a purchase in, in place; other kinds are ignored. */
export function applyEventToPurchases(
  state: PurchaseState,
  event: ShopperEvent,
  game: Game | undefined,
): void {
  if (event.kind !== 'purchase') return;
  state.count += 1;
  state.totalSpent += purchasePrice(event, game);
  if (state.lastAt === null || event.at > state.lastAt) state.lastAt = event.at;
  if (event.id === undefined) return;
  const entry = { eventId: event.id, at: event.at };
  let index = state.recent.length;
  while (index > 0 && isNewer(entry, state.recent[index - 1])) index--;
  if (index >= evidenceLimit) return;
  state.recent.splice(index, 0, entry);
  if (state.recent.length > evidenceLimit) state.recent.length = evidenceLimit;
}

function isNewer(a: { eventId: number; at: number }, b: { eventId: number; at: number }): boolean {
  return a.at > b.at || (a.at === b.at && a.eventId > b.eventId);
}

/** The community's RFM values, each sorted ascending, for percentiles. */
export interface CommunityPurchaseDistributions {
  /** Days from each reviewing player's last review to the data's newest; players with no dated review are left out. */
  recencyDays: Float64Array;
  /** Games owned, one per player. */
  frequency: Float64Array;
  /** Dollars the owned games cost at catalog prices, one per player. */
  monetary: Float64Array;
}

/**
 * Derives the distributions from the community rows. `itemPrices[item]` is the catalog
 * price of each item index (0 where unknown or free).
 */
export function communityPurchaseDistributions(
  community: CommunityData,
  itemPrices: ArrayLike<number>,
): CommunityPurchaseDistributions {
  let newestDay = 0;
  for (const day of community.days) if (day > newestDay) newestDay = day;
  const frequency = new Float64Array(community.userCount);
  const monetary = new Float64Array(community.userCount);
  const recency: number[] = [];
  for (let user = 0; user < community.userCount; user++) {
    let lastDay = 0;
    for (let row = community.userOffsets[user]; row < community.userOffsets[user + 1]; row++) {
      if (community.kinds[row] === interactionKind.owned) {
        frequency[user] += 1;
        monetary[user] += itemPrices[community.items[row]] ?? 0;
      } else if (community.days[row] > lastDay) {
        lastDay = community.days[row];
      }
    }
    if (lastDay > 0) recency.push(newestDay - lastDay);
  }
  return {
    recencyDays: Float64Array.from(recency).sort(),
    frequency: frequency.sort(),
    monetary: monetary.sort(),
  };
}

/** Index of the first element ≥ value (strict: > value) in an ascending array. */
function bound(sorted: ArrayLike<number>, value: number, strict: boolean): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (sorted[middle] < value || (strict && sorted[middle] === value)) low = middle + 1;
    else high = middle;
  }
  return low;
}

/**
 * The share of a distribution below `value`, counting ties as half (the mid-rank
 * percentile), in 0..100; null for an empty distribution. Counting ties as half keeps a
 * shopper tied with everyone (say, no purchases among players who bought nothing) at 50.
 */
export function percentileRank(sorted: ArrayLike<number>, value: number): number | null {
  if (sorted.length === 0) return null;
  const below = bound(sorted, value, false);
  const equal = bound(sorted, value, true) - below;
  return (100 * (below + equal / 2)) / sorted.length;
}

export interface PurchaseSummary {
  /** Days since the last purchase; null before any. */
  recencyDays: number | null;
  frequency: number;
  /** Dollars spent. */
  monetary: number;
  lastAt: number | null;
  /**
   * Against the community, 0..100, ties counting half. Recency is "more recent than this
   * share of players" (higher is more recent); frequency and monetary are "more than this
   * share". Null without a community or, for recency, before a purchase.
   */
  percentiles: { recency: number | null; frequency: number | null; monetary: number | null };
  /** The most recent purchases, newest first. */
  evidence: number[];
}

export function summarizePurchases(
  state: PurchaseState,
  community: CommunityPurchaseDistributions | null,
  now: number,
): PurchaseSummary {
  const recencyDays = state.lastAt === null ? null : Math.max(0, now - state.lastAt) / dayMs;
  const recencyRank =
    community === null || recencyDays === null ? null : percentileRank(community.recencyDays, recencyDays);
  return {
    recencyDays,
    frequency: state.count,
    monetary: state.totalSpent,
    lastAt: state.lastAt,
    percentiles: {
      recency: recencyRank === null ? null : 100 - recencyRank,
      frequency: community === null ? null : percentileRank(community.frequency, state.count),
      monetary: community === null ? null : percentileRank(community.monetary, state.totalSpent),
    },
    evidence: state.recent.map((entry) => entry.eventId),
  };
}
