// The interpretable shopper profile: built one event at a time (applyEvent) as the shopper
// acts, rebuilt from all events (computeProfile) when events are deleted, imported or
// expire or an edit changes which events count, and read (viewProfile) with the weights
// decayed to now, the shopper's edits applied and percentiles against the community.
import {
  affinityDimensions,
  shopperProfileSchemaVersion,
  type AdjustableDimension,
  type AffinityDimension,
  type Adjustment,
  type ProfileEdits,
  type ShopperProfile,
} from '../../data/profileTypes';
import type { Game, ShopperEvent } from '../../data/types';
import { summarizeActivity, emptyActivity, applyEventToActivity, type ActivitySummary } from './activity';
import {
  applyEventToAffinities,
  byWeightThenValue,
  computeAffinities,
  emptyAffinities,
  rankAffinities,
} from './affinities';
import type { ProfileCatalog } from './catalog';
import { eventFilter } from './edits';
import {
  applyEventToExploration,
  applyEventToPrice,
  emptyExploration,
  emptyPrice,
  summarizeExploration,
  summarizePrice,
  type ExplorationSummary,
  type PriceSummary,
} from './priceAndExploration';
import {
  applyEventToPurchases,
  emptyPurchases,
  summarizePurchases,
  type CommunityPurchaseDistributions,
  type PurchaseSummary,
} from './purchases';

export function emptyProfile(): ShopperProfile {
  return {
    schemaVersion: shopperProfileSchemaVersion,
    affinities: emptyAffinities(),
    activity: emptyActivity(),
    purchases: emptyPurchases(),
    price: emptyPrice(),
    exploration: emptyExploration(),
  };
}

/**
 * Folds one new event into the profile, in place, and returns it. Costs O(values of the
 * event's game), whatever the profile's size. The caller decides whether the event may be
 * used (see eventFilter): a new event is never excluded or older than a reset.
 */
export function applyEvent(
  profile: ShopperProfile,
  event: ShopperEvent,
  catalog: ProfileCatalog,
): ShopperProfile {
  const game = gameOf(event, catalog);
  applyEventToCounts(profile, event, game, catalog);
  if (game) applyEventToAffinities(profile.affinities, event, game);
  return profile;
}

function gameOf(event: ShopperEvent, catalog: ProfileCatalog): Game | undefined {
  return event.itemId === undefined ? undefined : catalog.gameById.get(event.itemId);
}

/** Everything but the affinities: plain counts, the same whether folded or rebuilt. */
function applyEventToCounts(
  profile: ShopperProfile,
  event: ShopperEvent,
  game: Game | undefined,
  catalog: ProfileCatalog,
): void {
  applyEventToActivity(profile.activity, event);
  applyEventToPurchases(profile.purchases, event, game);
  applyEventToPrice(profile.price, event, game, catalog);
  applyEventToExploration(profile.exploration, event, game);
}

/**
 * The profile from scratch: the events the edits allow, in time order. The affinities are
 * summed directly (computeAffinities), not by applyEvent's incremental rescaling, so the
 * tests can hold the two against each other.
 */
export function computeProfile(
  events: readonly ShopperEvent[],
  catalog: ProfileCatalog,
  edits: ProfileEdits,
): ShopperProfile {
  const used = events.filter(eventFilter(edits)).sort((a, b) => a.at - b.at || (a.id ?? 0) - (b.id ?? 0));
  const profile = emptyProfile();
  for (const event of used) applyEventToCounts(profile, event, gameOf(event, catalog), catalog);
  profile.affinities = computeAffinities(used, catalog);
  return profile;
}

export interface AffinityView {
  value: string;
  /** Decayed to now; 0 for a value the shopper adjusted but has no events for. */
  weight: number;
  /** Ids of the events that moved it most, strongest first. */
  evidence: number[];
  adjustment: Adjustment | null;
}

/** What the profile says at one moment, ready to show and to rank with. */
export interface ProfileView {
  at: number;
  activity: ActivitySummary;
  purchases: PurchaseSummary;
  /** Each dimension's values, strongest first. */
  affinities: Record<AffinityDimension, AffinityView[]>;
  price: PriceSummary;
  exploration: ExplorationSummary;
  priceCeiling: number | null;
}

export interface ProfileViewContext {
  catalog: ProfileCatalog;
  /** Null until the community data is loaded: percentiles are then null. */
  community: CommunityPurchaseDistributions | null;
  now: number;
}

export function viewProfile(
  profile: ShopperProfile,
  edits: ProfileEdits,
  { catalog, community, now }: ProfileViewContext,
): ProfileView {
  const affinities = {} as Record<AffinityDimension, AffinityView[]>;
  for (const dimension of affinityDimensions) {
    const adjustments: Record<string, Adjustment> = isAdjustable(dimension)
      ? edits.adjustments[dimension]
      : {};
    const ranked: AffinityView[] = rankAffinities(profile.affinities, dimension, now).map((entry) => ({
      ...entry,
      adjustment: adjustments[entry.value] ?? null,
    }));
    const present = new Set(ranked.map((entry) => entry.value));
    for (const [value, adjustment] of Object.entries(adjustments)) {
      if (!present.has(value)) ranked.push({ value, weight: 0, evidence: [], adjustment });
    }
    affinities[dimension] = ranked.sort(byWeightThenValue);
  }
  return {
    at: now,
    activity: summarizeActivity(profile.activity, now),
    purchases: summarizePurchases(profile.purchases, community, now),
    affinities,
    price: summarizePrice(profile.price, catalog),
    exploration: summarizeExploration(profile.exploration, catalog),
    priceCeiling: edits.priceCeiling,
  };
}

function isAdjustable(dimension: AffinityDimension): dimension is AdjustableDimension {
  return dimension === 'genre' || dimension === 'tag' || dimension === 'developer';
}
