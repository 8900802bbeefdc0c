// The shopper's edits to their profile as the ranker applies them: mutes and the price
// ceiling decide what may appear in a personalised row, boosts and the niche ↔ popular
// control move what does. Pure: the same preferences always give the same rows.
import type { ProfileEdits } from '../data/profileTypes';
import type { CatalogIndex, FeatureKind } from './catalogIndex';
import type { ShopperPreferences } from './types';

/**
 * What one boosted genre, tag or developer adds to a game's "For you" score, in units of
 * the row's normalised relevance (the best candidate scores 1). Half the top score lifts a
 * matching game well up the row without letting one boost outrank every taste signal.
 */
export const profileBoostWeight = 0.5;

/**
 * How far the niche ↔ popular control moves a game, per unit of its log-popularity (0..1):
 * at "popular" (1) a game gains up to this much, at "niche" (0) it loses as much, and in
 * the middle (0.5, the default) popularity counts only as the models learned it.
 */
export const popularityTiltWeight = 0.5;

/** The neutral position of the niche ↔ popular control. */
export const neutralPopularity = 0.5;

export function noPreferences(): ShopperPreferences {
  return {
    muted: { genre: [], tag: [], developer: [] },
    boosted: { genre: [], tag: [], developer: [] },
    priceCeiling: null,
    popularity: neutralPopularity,
  };
}

/** The ranker's view of the stored edits plus the popularity setting. */
export function preferencesFromEdits(edits: ProfileEdits, popularity: number): ShopperPreferences {
  const preferences = noPreferences();
  for (const kind of ['genre', 'tag', 'developer'] as const) {
    for (const [value, adjustment] of Object.entries(edits.adjustments[kind])) {
      (adjustment === 'mute' ? preferences.muted : preferences.boosted)[kind].push(value);
    }
    preferences.muted[kind].sort();
    preferences.boosted[kind].sort();
  }
  preferences.priceCeiling = edits.priceCeiling;
  preferences.popularity = popularity;
  return preferences;
}

/** The preferences resolved against the catalog once per ranking, so each item costs a few lookups. */
export interface CompiledPreferences {
  /** Whether a game may appear in a personalised row: no muted feature, within the ceiling. */
  allows(item: number): boolean;
  /** What boosts and the popularity control add to a game's normalised relevance. */
  adjustment(item: number, logPopularity: number): number;
  /** Whether anything moves a score (else the ranker skips the adjustment pass). */
  adjusts: boolean;
  /** Whether anything removes games (else no predicate is needed). */
  restricts: boolean;
}

export function compilePreferences(
  index: CatalogIndex,
  preferences: ShopperPreferences | undefined,
): CompiledPreferences {
  const p = preferences ?? noPreferences();
  const muted = featureIdsOf(index, p.muted);
  const boosted = featureIdsOf(index, p.boosted);
  const ceiling = p.priceCeiling;
  const tilt = (p.popularity - neutralPopularity) * 2 * popularityTiltWeight;
  const countIn = (item: number, ids: Set<number>) => {
    let count = 0;
    for (const feature of index.itemFeatures[item]) if (ids.has(feature)) count++;
    return count;
  };
  return {
    restricts: muted.size > 0 || ceiling !== null,
    adjusts: boosted.size > 0 || tilt !== 0,
    allows: (item) => {
      if (ceiling !== null) {
        const price = index.prices[item];
        // an unknown price cannot be promised to be under the ceiling
        if (!(Number.isFinite(price) && price <= ceiling)) return false;
      }
      return muted.size === 0 || countIn(item, muted) === 0;
    },
    adjustment: (item, logPopularity) =>
      (boosted.size === 0 ? 0 : profileBoostWeight * countIn(item, boosted)) + tilt * logPopularity,
  };
}

function featureIdsOf(index: CatalogIndex, values: Record<FeatureKind, string[]>): Set<number> {
  const ids = new Set<number>();
  if (values.genre.length + values.tag.length + values.developer.length === 0) return ids;
  const wanted = new Set([
    ...values.genre.map((v) => `genre:${v}`),
    ...values.tag.map((v) => `tag:${v}`),
    ...values.developer.map((v) => `developer:${v}`),
  ]);
  index.featureNames.forEach((name, id) => {
    if (wanted.has(`${index.featureKinds[id]}:${name}`)) ids.add(id);
  });
  return ids;
}

/**
 * Scores scaled so the best is 1, plus each game's boosts and popularity tilt: the
 * adjustments are in units of that normalised relevance. Shifted up when the tilt makes any
 * score negative, because the ranker normalises its candidate pool by the best score.
 */
export function withPreferences(
  scores: Float32Array,
  preferences: CompiledPreferences,
  logPopularity: Float32Array,
): Float32Array {
  let top = 0;
  for (const score of scores) if (score > top) top = score;
  const scale = top > 0 ? 1 / top : 1;
  const adjusted = new Float32Array(scores.length);
  for (let j = 0; j < scores.length; j++) {
    adjusted[j] = scores[j] * scale + preferences.adjustment(j, logPopularity[j]);
  }
  let low = 0;
  for (const score of adjusted) if (score < low) low = score;
  if (low < 0) for (let j = 0; j < adjusted.length; j++) adjusted[j] -= low;
  return adjusted;
}

/** Both predicates at once; undefined when neither restricts anything. */
export function bothAllow(
  first: ((item: number) => boolean) | undefined,
  second: ((item: number) => boolean) | undefined,
): ((item: number) => boolean) | undefined {
  if (!first) return second;
  if (!second) return first;
  return (item) => first(item) && second(item);
}
