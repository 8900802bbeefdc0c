// Training cases for fitRankingWeights: which negatives a held-out item is compared with, and
// their feature rows.
//
// The scaling contract: a case's rows come from `ServingFeatures`, the very function serving uses
// to turn one player's candidate pool into feature rows (each component's score min-max scaled
// over that pool). The caller builds it once per player from the pool serving would rank and hands
// the same function to this module and to the ranking, so the weights are fitted on the scale they
// are applied to. The positive and catalogue negatives are scaled with the pool's scaling even
// when they lie outside the pool, as serving scores an item outside it.
import { sampleWithoutReplacement, type Rng } from '../random';
import type { RankingCase } from './rankFit';

/** One player's feature row for an item, scaled over that player's candidate pool as serving does. */
export type ServingFeatures = (item: number) => ArrayLike<number>;

export interface NegativeCounts {
  /** negatives drawn without replacement from the pool (Infinity: the whole pool, as LambdaRank wants) */
  pool: number;
  /** negatives drawn uniformly from the catalogue */
  catalogue: number;
}

export const defaultNegativeCounts: NegativeCounts = { pool: 20, catalogue: 20 };

export interface DrawnNegatives {
  pool: number[];
  catalogue: number[];
  /** whether the pool held the target: the selection guard reads it */
  positiveInPool: boolean;
}

/**
 * Negatives for one held-out `target`: from `pool` (serving's candidates, which must not include
 * the player's history) and uniformly from items [0, itemCount). Neither ever includes the target
 * or an `excluded` item (the player's history: serving never ranks it); catalogue draws may repeat
 * or fall in the pool, as uniform draws do. Deterministic for the rng's state.
 */
export function drawNegatives(
  pool: readonly number[],
  target: number,
  itemCount: number,
  excluded: ReadonlySet<number>,
  counts: NegativeCounts,
  rng: Rng,
): DrawnNegatives {
  const eligible = pool.filter((item) => item !== target && !excluded.has(item));
  const poolNegatives = sampleWithoutReplacement(eligible, counts.pool, rng);
  const catalogue: number[] = [];
  // a bound on rejections, so a catalogue that is nearly all history cannot loop for ever
  for (let tries = 0; catalogue.length < counts.catalogue && tries < counts.catalogue * 20; tries++) {
    const item = rng.nextInt(itemCount);
    if (item !== target && !excluded.has(item)) catalogue.push(item);
  }
  return { pool: poolNegatives, catalogue, positiveInPool: pool.includes(target) };
}

/** The case for one player: every row through the serving scaler, negatives row-major. */
export function rankingCase(
  features: ServingFeatures,
  target: number,
  negatives: DrawnNegatives,
): RankingCase {
  const positive = Float64Array.from(features(target));
  const rowsOf = (items: readonly number[]) => {
    const rows = new Float64Array(items.length * positive.length);
    items.forEach((item, row) => {
      const values = features(item);
      if (values.length !== positive.length) throw new RangeError(`item ${item}: feature row width differs`);
      rows.set(values, row * positive.length);
    });
    return rows;
  };
  return {
    positive,
    poolNegatives: rowsOf(negatives.pool),
    catalogueNegatives: rowsOf(negatives.catalogue),
    positiveInPool: negatives.positiveInPool,
  };
}
