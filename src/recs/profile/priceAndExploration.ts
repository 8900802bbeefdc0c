// Price sensitivity (the prices the shopper looks at and buys, against the catalog's) and
// exploration (how varied what they look at is). Undecayed counts: these describe habits,
// and a handful of events should not swing them the way a fresh taste moves an affinity.
import type { ExplorationState, PriceState } from '../../data/profileTypes';
import type { Game, ShopperEvent } from '../../data/types';
import type { ProfileCatalog } from './catalog';
import { percentileRank, purchasePrice } from './purchases';
import { insertEvidence } from './weights';

export function emptyPrice(): PriceState {
  return { viewedCount: 0, viewedSum: 0, boughtCount: 0, boughtSum: 0, evidence: [] };
}

/**
 * Folds a view of or a purchase of a game with a known price in, in place. Its evidence
 * contribution is the gap to the catalog's median price, so the evidence shows the views
 * and purchases that pull the shopper's prices furthest from the catalog's.
 */
export function applyEventToPrice(
  state: PriceState,
  event: ShopperEvent,
  game: Game | undefined,
  catalog: ProfileCatalog,
): void {
  let price: number;
  if (event.kind === 'view' && game && game.price !== null) {
    price = game.price;
    state.viewedCount += 1;
    state.viewedSum += price;
  } else if (event.kind === 'purchase' && (event.price !== undefined || (game && game.price !== null))) {
    price = purchasePrice(event, game);
    state.boughtCount += 1;
    state.boughtSum += price;
  } else {
    return;
  }
  if (event.id !== undefined) {
    insertEvidence(state.evidence, { eventId: event.id, contribution: price - catalog.medianPrice });
  }
}

export interface PriceSummary {
  /** Mean price of the games looked at; null before any. */
  meanViewed: number | null;
  meanBought: number | null;
  catalogMedian: number;
  /** Where those means sit among the catalog's prices, 0..100 (ties half); null before any. */
  viewedPercentile: number | null;
  boughtPercentile: number | null;
  /** The views and purchases furthest from the catalog median, furthest first. */
  evidence: number[];
}

export function summarizePrice(state: PriceState, catalog: ProfileCatalog): PriceSummary {
  const meanViewed = state.viewedCount === 0 ? null : state.viewedSum / state.viewedCount;
  const meanBought = state.boughtCount === 0 ? null : state.boughtSum / state.boughtCount;
  return {
    meanViewed,
    meanBought,
    catalogMedian: catalog.medianPrice,
    viewedPercentile: meanViewed === null ? null : percentileRank(catalog.sortedPrices, meanViewed),
    boughtPercentile: meanBought === null ? null : percentileRank(catalog.sortedPrices, meanBought),
    evidence: state.evidence.map((e) => e.eventId),
  };
}

export function emptyExploration(): ExplorationState {
  return { lookCount: 0, itemLooks: {}, genreLooks: {}, genreFirstLooks: {} };
}

/** Folds a view in, in place; a view's weight is split evenly over its game's genres. */
export function applyEventToExploration(
  state: ExplorationState,
  event: ShopperEvent,
  game: Game | undefined,
): void {
  if (event.kind !== 'view' || !game) return;
  state.lookCount += 1;
  state.itemLooks[game.id] = (state.itemLooks[game.id] ?? 0) + 1;
  const genres = [...new Set(game.genres)];
  const eventId = event.id ?? null;
  for (const genre of genres) {
    state.genreLooks[genre] = (state.genreLooks[genre] ?? 0) + 1 / genres.length;
    const first = state.genreFirstLooks[genre];
    if (!first || event.at < first.at || (event.at === first.at && (eventId ?? -1) < (first.eventId ?? -1))) {
      state.genreFirstLooks[genre] = { eventId, at: event.at };
    }
  }
}

export interface ExplorationSummary {
  looks: number;
  distinctGames: number;
  genresSeen: number;
  /**
   * 0..1: the Shannon entropy of the genres looked at over the most the catalog allows,
   * ln(genres in the catalog). 0 = one genre only; 1 = an even spread over every genre.
   */
  genreVariety: number;
  /** Distinct games over looks, 0..1: 1 = never looked at the same game twice. */
  noveltyShare: number;
  /** The views that first reached a genre, newest first: the moments the shopper branched out. */
  evidence: number[];
}

/** Evidence kept for exploration: the newest genre-widening views. */
export const explorationEvidenceLimit = 5;

export function summarizeExploration(state: ExplorationState, catalog: ProfileCatalog): ExplorationSummary {
  const genreWeights = Object.values(state.genreLooks);
  const total = genreWeights.reduce((sum, w) => sum + w, 0);
  let entropy = 0;
  for (const w of genreWeights) if (w > 0) entropy -= (w / total) * Math.log(w / total);
  const maxEntropy = catalog.genreCount > 1 ? Math.log(catalog.genreCount) : 0;
  const distinctGames = Object.keys(state.itemLooks).length;
  const evidence = Object.values(state.genreFirstLooks)
    .filter((look): look is { eventId: number; at: number } => look.eventId !== null)
    .sort((a, b) => b.at - a.at || b.eventId - a.eventId)
    .slice(0, explorationEvidenceLimit)
    .map((look) => look.eventId);
  return {
    looks: state.lookCount,
    distinctGames,
    genresSeen: genreWeights.length,
    genreVariety: maxEntropy === 0 ? 0 : Math.min(1, entropy / maxEntropy),
    noveltyShare: state.lookCount === 0 ? 0 : distinctGames / state.lookCount,
    evidence: [...new Set(evidence)],
  };
}
