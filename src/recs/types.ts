// Types of the ranking layer, shared by the worker and the page.

export type RowKey = 'forYou' | 'becauseYouViewed' | 'trending' | 'similar' | 'alsoOwn';

/** What produced (most of) a recommendation's score, turned into words by explain.ts. */
export type Reason =
  | { kind: 'becauseYouInteracted'; item: number; verb: 'viewed' | 'bought' | 'liked' | 'added' }
  | { kind: 'ownedTogether'; item: number }
  /** the sequential model: what players tend to pick up after the shopper's latest game */
  | { kind: 'oftenNext'; item: number }
  | { kind: 'genreInterest'; genre: string }
  | { kind: 'sharesTags'; item: number; tags: string[] }
  | { kind: 'trending' }
  | { kind: 'popular' };

export interface RankedItem {
  item: number;
  score: number;
  reason: Reason;
}

/**
 * Everything the ranker needs to know about the shopper, derived from their events
 * on the page (see signals.ts) and sent with each ranking request.
 */
export interface ShopperSignals {
  /** items in time order (oldest first), deduplicated to their last occurrence */
  history: number[];
  /** confidence of each history item (purchase > cart > long dwell > view) */
  weights: number[];
  /** the verb that best describes the shopper's strongest action on each history item */
  verbs: ('viewed' | 'bought' | 'liked' | 'added')[];
  /** owned (purchased) items: never recommended */
  owned: number[];
  inCart: number[];
  /** "not interested" and thumbs-down: never recommended */
  hidden: number[];
  /** optional page filters */
  genre?: string;
  maxPrice?: number;
  /** the shopper's boosts, mutes, price ceiling and niche ↔ popular choice (preferences.ts) */
  preferences?: ShopperPreferences;
}

/** The profile edits the ranker honours, plus how much popularity counts. */
export interface ShopperPreferences {
  /** never in a personalised row (For you, Because you viewed, Similar, Players also own) */
  muted: { genre: string[]; tag: string[]; developer: string[] };
  /** raised in "For you" by profileBoostWeight per matching value */
  boosted: { genre: string[]; tag: string[]; developer: string[] };
  /** dollars; games above it (or of unknown price) leave the personalised rows */
  priceCeiling: number | null;
  /** 0 niche … 0.5 as learned … 1 popular */
  popularity: number;
}
