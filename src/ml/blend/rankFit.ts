// Blend weights fitted to the task the blend serves: put the player's next item above the other
// candidates. The objective is pairwise (BPR): maximise Σ c·log σ(w · (x_pos − x_neg)) − λ/2 ‖w‖²
// over pairs of the held-out item against negatives from the candidate pool (the items it must
// actually beat when "For you" is ranked) and from the whole catalogue (what full ranking and
// sampled or fixed negatives rank against). A difference of rows cancels any shared shift, so
// there is no bias to learn: the blend is w · x.
//
// Rows are feature vectors already scaled the way serving scales them (rankCases.ts builds them
// from the serving scaler itself, so fit and serve cannot drift apart).
//
// The selection guard. Pool negatives are each component's own top items. A positive that no
// component proposed sits below every pool item on every component by construction, so its pairs
// say "a high score on anything means not chosen" and drive every weight negative (the store's
// blend learned popularity −0.57 and genres −0.33 this way). Serving never ranks such a positive
// among the pool anyway, so its pool pairs carry no information about the ranking that happens;
// with `selectionGuard`, pool pairs count only for cases whose positive is in the pool, and the
// catalogue pairs of every case still teach the blend to rank a missed item above random ones.
//
// Default objective: pairwise. It is concave, so Newton's method finds its unique optimum exactly,
// with no step size to tune and no dependence on a starting point, and a handful of weights makes
// each Newton step a tiny linear solve. The LambdaRank-style variant re-weights pool pairs by the
// |ΔNDCG| of swapping them in the previous round's ranking; it concentrates on the top of the
// pool but is no longer one fixed objective, so it is offered for measurement, not as the default.
import {
  dot,
  newtonMinimise,
  pairAccuracy,
  rowScore,
  weightedLoss,
  type PairDifferences,
} from './pairObjective';

/** One training player: the held-out item's row and its negatives' rows, all `width` wide. */
export interface RankingCase {
  positive: ArrayLike<number>;
  /** [negatives × width], row-major: candidates serving would rank the positive against */
  poolNegatives: ArrayLike<number>;
  /** [negatives × width], row-major: items drawn uniformly from the catalogue */
  catalogueNegatives: ArrayLike<number>;
  /** whether serving's candidate pool held the positive (before it was added for scaling) */
  positiveInPool: boolean;
}

export type RankObjective = 'pairwise' | 'lambdaRank';

export interface RankFitOptions {
  /** L2 on the weights, > 0: it keeps the optimum unique and finite even when pairs are separable */
  l2: number;
  /** share of the objective carried by pool pairs, the rest by catalogue pairs (all to one kind when the other is absent) */
  poolShare: number;
  /** pool pairs only for cases whose positive is in the pool (see the file's comment) */
  selectionGuard: boolean;
  objective: RankObjective;
  /** Newton iterations per round */
  maxIterations: number;
  /**
   * LambdaRank rounds after the pairwise start, each re-weighting pool pairs by |ΔNDCG|; the ranks
   * are taken among a case's pool negatives, so they are serving's ranks only when those are the
   * whole pool (drawNegatives with `pool: Infinity`)
   */
  lambdaRounds: number;
  /** stop when half the Newton decrement falls below this */
  tolerance: number;
}

export const defaultRankFit: RankFitOptions = {
  l2: 1e-2,
  poolShare: 0.5,
  selectionGuard: true,
  objective: 'pairwise',
  maxIterations: 50,
  lambdaRounds: 5,
  tolerance: 1e-12,
};

export interface RankFitDiagnostics {
  /** weighted mean −log σ(w · (x_pos − x_neg)) at the returned weights, penalty excluded */
  loss: number;
  /** loss + λ/2 ‖w‖²: what the fit minimised */
  objective: number;
  /** weighted share of pairs the weights put the right way round (ties count half) */
  pairAccuracy: number;
  cases: number;
  poolPairs: number;
  cataloguePairs: number;
  /** cases whose pool pairs the selection guard left out */
  guardedCases: number;
  /** Newton iterations, all rounds together */
  iterations: number;
  converged: boolean;
}

export interface RankFit {
  /** one weight per feature column; the blend scores a row as w · x */
  weights: number[];
  diagnostics: RankFitDiagnostics;
}

/** Pairs as feature differences, with the case and pool position LambdaRank needs. */
interface PairSet extends PairDifferences {
  isPool: Uint8Array;
  /** for pool pairs: the case, and the negative's row in that case's poolNegatives */
  caseOf: Int32Array;
  rowOf: Int32Array;
}

export function fitRankingWeights(
  cases: readonly RankingCase[],
  options: Partial<RankFitOptions> = {},
): RankFit {
  const settings = { ...defaultRankFit, ...options };
  if (!(settings.l2 > 0)) throw new RangeError('fitRankingWeights needs l2 > 0');
  if (!(settings.poolShare >= 0 && settings.poolShare <= 1)) throw new RangeError('poolShare is in [0, 1]');
  if (cases.length === 0) throw new RangeError('fitRankingWeights needs at least one case');
  const { pairs, guardedCases } = collectPairs(cases, settings.selectionGuard);
  const count = pairs.isPool.length;
  if (count === 0) throw new RangeError('no pairs to fit: every case lacks usable negatives');
  const poolPairs = pairs.isPool.reduce((sum, flag) => sum + flag, 0);
  const weightsOfPairs = new Float64Array(count);
  const uniform = new Float64Array(count).fill(1);
  pairWeights(pairs, uniform, settings.poolShare, weightsOfPairs);

  let fit = newtonMinimise(pairs, weightsOfPairs, settings, new Float64Array(pairs.width));
  let iterations = fit.iterations;
  let converged = fit.converged;
  if (settings.objective === 'lambdaRank' && poolPairs > 0) {
    for (let round = 0; round < settings.lambdaRounds; round++) {
      pairWeights(pairs, swapGains(cases, pairs, fit.weights), settings.poolShare, weightsOfPairs);
      fit = newtonMinimise(pairs, weightsOfPairs, settings, fit.weights);
      iterations += fit.iterations;
      converged = fit.converged;
    }
  }
  const loss = weightedLoss(pairs, weightsOfPairs, fit.weights);
  return {
    weights: Array.from(fit.weights),
    diagnostics: {
      loss,
      objective: loss + (settings.l2 / 2) * dot(fit.weights, fit.weights),
      pairAccuracy: pairAccuracy(pairs, weightsOfPairs, fit.weights),
      cases: cases.length,
      poolPairs,
      cataloguePairs: count - poolPairs,
      guardedCases,
      iterations,
      converged,
    },
  };
}

function collectPairs(
  cases: readonly RankingCase[],
  guard: boolean,
): { pairs: PairSet; guardedCases: number } {
  const width = cases[0].positive.length;
  const differences: number[] = [];
  const isPool: number[] = [];
  const caseOf: number[] = [];
  const rowOf: number[] = [];
  let guardedCases = 0;
  cases.forEach((rankingCase, index) => {
    const { positive, poolNegatives, catalogueNegatives } = rankingCase;
    if (positive.length !== width) throw new RangeError(`case ${index}: positive is not ${width} wide`);
    const usePool = !guard || rankingCase.positiveInPool;
    if (!usePool && poolNegatives.length > 0) guardedCases++;
    const add = (rows: ArrayLike<number>, pool: boolean) => {
      if (rows.length % width !== 0) throw new RangeError(`case ${index}: negatives are not ${width} wide`);
      for (let row = 0; row < rows.length / width; row++) {
        for (let f = 0; f < width; f++) differences.push(positive[f] - rows[row * width + f]);
        isPool.push(pool ? 1 : 0);
        caseOf.push(index);
        rowOf.push(row);
      }
    };
    if (usePool) add(poolNegatives, true);
    add(catalogueNegatives, false);
  });
  return {
    pairs: {
      width,
      differences: Float64Array.from(differences),
      isPool: Uint8Array.from(isPool),
      caseOf: Int32Array.from(caseOf),
      rowOf: Int32Array.from(rowOf),
    },
    guardedCases,
  };
}

/**
 * Each pair's weight: its kind's share split over that kind's pairs in proportion to `raw` (1 for
 * plain BPR, |ΔNDCG| for LambdaRank's pool pairs), so the weights sum to 1.
 */
function pairWeights(pairs: PairSet, raw: Float64Array, poolShare: number, out: Float64Array): void {
  const totals = [0, 0];
  pairs.isPool.forEach((pool, i) => (totals[pool] += raw[i]));
  const shares = [1 - poolShare, poolShare];
  if (totals[1] === 0) shares[0] = 1;
  if (totals[0] === 0) shares[1] = 1;
  pairs.isPool.forEach((pool, i) => (out[i] = totals[pool] > 0 ? (shares[pool] * raw[i]) / totals[pool] : 0));
}

/**
 * |ΔNDCG| of swapping the positive with each pool negative in the ranking `weights` give the
 * case's pool (positive included); catalogue pairs keep 1. With one relevant item the swap moves
 * the gain 1/log2(1 + rank) from the positive's rank to the negative's.
 */
function swapGains(cases: readonly RankingCase[], pairs: PairSet, weights: Float64Array): Float64Array {
  const gains = new Float64Array(pairs.isPool.length).fill(1);
  const ranksByCase = new Map<number, { positive: number; negatives: Int32Array }>();
  pairs.isPool.forEach((pool, i) => {
    if (!pool) return;
    const index = pairs.caseOf[i];
    let ranks = ranksByCase.get(index);
    if (!ranks) {
      ranks = poolRanks(cases[index], weights);
      ranksByCase.set(index, ranks);
    }
    gains[i] = swapGain(ranks.positive, ranks.negatives[pairs.rowOf[i]]);
  });
  return gains;
}

/** |ΔNDCG| of swapping the one relevant item at 1-based `positiveRank` with an irrelevant one. */
export function swapGain(positiveRank: number, negativeRank: number): number {
  return Math.abs(1 / Math.log2(1 + positiveRank) - 1 / Math.log2(1 + negativeRank));
}

/** 1-based ranks in a case's pool by w · x; a negative tied with the positive ranks above it. */
export function poolRanks(
  rankingCase: RankingCase,
  weights: ArrayLike<number>,
): { positive: number; negatives: Int32Array } {
  const width = rankingCase.positive.length;
  const negativeCount = rankingCase.poolNegatives.length / width;
  const scores = Float64Array.from({ length: negativeCount }, (_, row) =>
    rowScore(rankingCase.poolNegatives, row, width, weights),
  );
  const positiveScore = rowScore(rankingCase.positive, 0, width, weights);
  // index −1 is the positive; ties put negatives first, then by row, so ranks are deterministic
  const order = [-1, ...scores.keys()].sort((a, b) => {
    const sa = a < 0 ? positiveScore : scores[a];
    const sb = b < 0 ? positiveScore : scores[b];
    return sb - sa || (a < 0 ? 1 : b < 0 ? -1 : a - b);
  });
  const negatives = new Int32Array(negativeCount);
  let positive = 0;
  order.forEach((row, at) => (row < 0 ? (positive = at + 1) : (negatives[row] = at + 1)));
  return { positive, negatives };
}
