// The shapes of the interpretable shopper profile and of the shopper's edits to it, as
// they are kept in the profile table. Like types.ts this file imports nothing, so every
// layer may import it: recs/profile/ computes these values, data/profile.ts stores them,
// and the worker and the page read them. The maths that fill them lives in recs/profile/.

/**
 * Bumped whenever ShopperProfile changes shape or meaning (a new dimension, other event
 * strengths, another half-life). A stored profile of any other version is ignored and
 * recomputed from the events, which are the source of truth; no Dexie migration is needed.
 */
export const shopperProfileSchemaVersion = 1;

/** Bumped when ProfileEdits changes shape. Edits cannot be recomputed, so readers migrate them. */
export const profileEditsSchemaVersion = 1;

/** Everything a taste can be about. Values are genre names, tags, developers or bin names. */
export type AffinityDimension = 'genre' | 'tag' | 'developer' | 'priceBand' | 'releaseEra' | 'freeOrPaid';

export const affinityDimensions: readonly AffinityDimension[] = [
  'genre',
  'tag',
  'developer',
  'priceBand',
  'releaseEra',
  'freeOrPaid',
];

/** One event's share in a value, so the page can link the events that moved it. */
export interface EvidenceEntry {
  eventId: number;
  /** The event's signed strength, decayed to the owner's `refAt` (or a price gap in dollars). */
  contribution: number;
}

/**
 * A decayed sum of event strengths for one value (say genre "Strategy"). `mass` is the
 * weight as of `refAt`; the weight at any later time t is mass · decay(t − refAt). Keeping
 * the reference time per value lets one event update only the values its game carries.
 */
export interface AffinityMass {
  mass: number;
  /** Epoch ms: the time the mass and the evidence contributions are valued at. */
  refAt: number;
  /** The events with the largest |contribution|, largest first, at most evidenceLimit. */
  evidence: EvidenceEntry[];
}

export type AffinityTable = Record<AffinityDimension, Record<string, AffinityMass>>;

/** When and how much the shopper uses the store: every event kind counts. */
export interface ActivityState {
  eventCount: number;
  /** Events per sessionId; the number of keys is the number of sessions. */
  sessionEventCounts: Record<string, number>;
  firstAt: number | null;
  lastAt: number | null;
  firstEventId: number | null;
  lastEventId: number | null;
}

/** Purchases, the raw material of recency / frequency / monetary value. */
export interface PurchaseState {
  count: number;
  /** Dollars paid (the event's price, else the catalog price, else 0). */
  totalSpent: number;
  lastAt: number | null;
  /** The most recent purchases, newest first, at most evidenceLimit. */
  recent: { eventId: number; at: number }[];
}

/** The prices of what the shopper looks at and buys (games with a known price only). */
export interface PriceState {
  viewedCount: number;
  viewedSum: number;
  boughtCount: number;
  boughtSum: number;
  /** Views and purchases whose price is furthest from the catalog median (contribution = gap in $). */
  evidence: EvidenceEntry[];
}

/** What the shopper looks at ('view' events), for how varied it is. */
export interface ExplorationState {
  lookCount: number;
  /** Views per game id. */
  itemLooks: Record<string, number>;
  /** Views per genre, each view split evenly over its game's genres. */
  genreLooks: Record<string, number>;
  /** The first view of each genre: the events that widened what the shopper looks at. */
  genreFirstLooks: Record<string, { eventId: number | null; at: number }>;
}

/**
 * The interpretable profile as stored: sufficient statistics that one event updates in
 * O(1) (recs/profile/profile.ts applyEvent). What depends on the current time (decayed
 * weights, recency, percentiles) is derived when it is read (recs/profile viewProfile).
 */
export interface ShopperProfile {
  schemaVersion: number;
  affinities: AffinityTable;
  activity: ActivityState;
  purchases: PurchaseState;
  price: PriceState;
  exploration: ExplorationState;
}

/** The dimensions a shopper may boost or mute by hand. */
export type AdjustableDimension = 'genre' | 'tag' | 'developer';

export type Adjustment = 'boost' | 'mute';

/**
 * What the shopper told us about the profile. Kept apart from ShopperProfile because
 * edits cannot be recomputed from events: a recompute must never lose them.
 */
export interface ProfileEdits {
  schemaVersion: number;
  adjustments: Record<AdjustableDimension, Record<string, Adjustment>>;
  /** Dollars; null when the shopper set none. */
  priceCeiling: number | null;
  /** Ids of events the shopper marked "don't use for recommendations", ascending. */
  excludedEventIds: number[];
  /** Epoch ms of the last reset: events at or before it no longer feed the profile. */
  resetAt: number | null;
}
