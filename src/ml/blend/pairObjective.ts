// The weighted pairwise logistic loss Σ c·log(1 + e^(−w·d)) + λ/2 ‖w‖² over rows d = x_pos − x_neg,
// and Newton's method for it. The loss is strictly convex for λ > 0 and the rows are a handful of
// features wide, so each Newton step is a tiny linear solve and a few steps reach the optimum.
import { solveSymmetricPositiveDefinite } from '../models/linalg';

/** Pairs as rows of feature differences x_pos − x_neg, [pairs × width], row-major. */
export interface PairDifferences {
  width: number;
  differences: Float64Array;
}

export interface NewtonSettings {
  /** L2 on the weights, > 0 */
  l2: number;
  maxIterations: number;
  /** stop when half the Newton decrement falls below this */
  tolerance: number;
}

/** w · (row `row` of `rows`) for rows `width` wide. */
export function rowScore(
  rows: ArrayLike<number>,
  row: number,
  width: number,
  weights: ArrayLike<number>,
): number {
  let sum = 0;
  for (let f = 0; f < width; f++) sum += weights[f] * rows[row * width + f];
  return sum;
}

export function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += a[i] * b[i];
  return sum;
}

/** log(1 + e^x) without overflow. */
function softplus(x: number): number {
  return x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x));
}

function sigmoid(x: number): number {
  return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
}

/**
 * Σ c·term(w·d) over the pairs, c each pair's weight. Pairs of weight 0 are skipped: their term
 * may be infinite (softplus of a huge margin), and 0 · ∞ would turn the whole sum into NaN.
 */
function weightedPairSum(
  pairs: PairDifferences,
  pairWeight: Float64Array,
  weights: ArrayLike<number>,
  term: (margin: number) => number,
): number {
  let sum = 0;
  for (let i = 0; i < pairWeight.length; i++) {
    if (pairWeight[i] > 0) sum += pairWeight[i] * term(rowScore(pairs.differences, i, pairs.width, weights));
  }
  return sum;
}

/** Σ c·log(1 + e^(−w·d)) over the pairs: the fit's loss without the penalty. */
export function weightedLoss(
  pairs: PairDifferences,
  pairWeight: Float64Array,
  weights: ArrayLike<number>,
): number {
  return weightedPairSum(pairs, pairWeight, weights, (margin) => softplus(-margin));
}

/** Weighted share of pairs w puts the right way round (w·d > 0), ties counting half. */
export function pairAccuracy(
  pairs: PairDifferences,
  pairWeight: Float64Array,
  weights: ArrayLike<number>,
): number {
  return weightedPairSum(pairs, pairWeight, weights, (margin) => (margin > 0 ? 1 : margin === 0 ? 0.5 : 0));
}

/** Newton's method with backtracking on the (strictly convex) weighted loss + λ/2 ‖w‖². */
export function newtonMinimise(
  pairs: PairDifferences,
  pairWeight: Float64Array,
  settings: NewtonSettings,
  start: Float64Array,
): { weights: Float64Array; iterations: number; converged: boolean } {
  const { width } = pairs;
  const weights = Float64Array.from(start);
  const penalised = (w: ArrayLike<number>) =>
    weightedLoss(pairs, pairWeight, w) + (settings.l2 / 2) * dot(w, w);
  for (let iteration = 1; iteration <= settings.maxIterations; iteration++) {
    const gradient = Float64Array.from(weights, (w) => settings.l2 * w);
    const hessian = new Float64Array(width * width);
    for (let f = 0; f < width; f++) hessian[f * width + f] = settings.l2;
    for (let i = 0; i < pairWeight.length; i++) {
      const c = pairWeight[i];
      if (c === 0) continue;
      const margin = rowScore(pairs.differences, i, width, weights);
      const slope = -c * sigmoid(-margin);
      const curvature = c * sigmoid(margin) * sigmoid(-margin);
      for (let f = 0; f < width; f++) {
        const df = pairs.differences[i * width + f];
        gradient[f] += slope * df;
        for (let g = 0; g < width; g++)
          hessian[f * width + g] += curvature * df * pairs.differences[i * width + g];
      }
    }
    const step = solveSymmetricPositiveDefinite(
      hessian,
      gradient.map((g) => -g),
      width,
    );
    const decrement = -dot(gradient, step);
    if (decrement / 2 < settings.tolerance) {
      // this close, the full step is exact to the square of its length: take it and stop
      for (let f = 0; f < width; f++) weights[f] += step[f];
      return { weights, iterations: iteration, converged: true };
    }
    const before = penalised(weights);
    let t = 1;
    const trial = new Float64Array(width);
    for (; t > 1e-12; t /= 2) {
      for (let f = 0; f < width; f++) trial[f] = weights[f] + t * step[f];
      if (penalised(trial) <= before - 0.25 * t * decrement) break;
    }
    weights.set(trial);
  }
  return { weights, iterations: settings.maxIterations, converged: false };
}
