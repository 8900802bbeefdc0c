// The maths of a learned blend, shared by the store's "For you" (recs/hybrid.ts) and the lab's
// hybrid model (labHybrid.ts): a candidate pool from each source's top items, every source's
// scores min-max scaled over that pool (so a model's raw scale does not decide its influence),
// and a logistic regression that learns one weight per source. Plain TypeScript on
// Float32Arrays, no tfjs: it runs on every ranking.
import { topK, type RecommendFilter } from '../recommender';

/** One weight per blended source (in the caller's feature order) and a bias. */
export interface HybridWeights {
  /** one per source, in the order the feature rows follow */
  weights: number[];
  bias: number;
}

/** The union of each score list's top `perList` items, in list order (missing lists skipped). */
export function unionOfTopK(
  lists: readonly (Float32Array | undefined)[],
  perList: number,
  filter?: RecommendFilter,
): number[] {
  const pool = new Set<number>();
  for (const scores of lists) {
    if (scores) for (const scored of topK(scores, perList, filter)) pool.add(scored.item);
  }
  return [...pool];
}

/** A score list's minimum and span over some items (non-finite scores ignored). */
export interface MinMaxScaling {
  low: number;
  span: number;
}

export function minMaxOver(scores: Float32Array, items: readonly number[]): MinMaxScaling {
  let low = Infinity;
  let high = -Infinity;
  for (const item of items) {
    const value = scores[item];
    if (!Number.isFinite(value)) continue;
    if (value < low) low = value;
    if (value > high) high = value;
  }
  return { low, span: high - low };
}

/** An item's score scaled to [0, 1] over the items the scaling was taken on; 0 when the span is 0 or the score not finite. */
export function minMaxScaled(scores: Float32Array, item: number, { low, span }: MinMaxScaling): number {
  const value = scores[item];
  return span > 0 && Number.isFinite(value) ? (value - low) / span : 0;
}

/** w · x + b for each row (rows as wide as the weight vector: the store's columns or the lab's components). */
export function blendScores(model: HybridWeights, rows: Float32Array): Float32Array {
  const width = model.weights.length;
  const count = rows.length / width;
  const scores = new Float32Array(count);
  for (let row = 0; row < count; row++) {
    let sum = model.bias;
    for (let f = 0; f < width; f++) sum += model.weights[f] * rows[row * width + f];
    scores[row] = sum;
  }
  return scores;
}

export interface RankerExamples {
  /**
   * [examples × features], each feature min-max scaled over its candidate pool; the width is
   * rows / labels, so the store's five sources and the lab's components train the same way
   */
  rows: Float32Array;
  /** 1 for a positive, 0 for a negative */
  labels: Uint8Array;
}

export interface RankerTrainingOptions {
  epochs: number;
  learningRate: number;
  /** L2 on the weights (not the bias) */
  l2: number;
}

export const defaultRankerTraining: RankerTrainingOptions = { epochs: 400, learningRate: 0.5, l2: 1e-3 };

/**
 * Logistic regression by full-batch gradient descent, positives and negatives weighted to
 * equal total mass (there are many more negatives, and what matters is the order, not the
 * base rate). Small and deterministic: a few thousand rows × five features.
 */
export function trainLogisticRanker(
  examples: RankerExamples,
  options: RankerTrainingOptions = defaultRankerTraining,
): HybridWeights {
  const count = examples.labels.length;
  const positives = examples.labels.reduce((sum, label) => sum + label, 0);
  const negatives = count - positives;
  if (positives === 0 || negatives === 0) throw new Error('the ranker needs positive and negative examples');
  const width = examples.rows.length / count;
  if (!Number.isInteger(width)) throw new RangeError('the ranker needs one row of features per label');
  const positiveWeight = 0.5 / positives;
  const negativeWeight = 0.5 / negatives;
  const weights = new Float64Array(width);
  let bias = 0;
  const gradient = new Float64Array(width);
  for (let epoch = 0; epoch < options.epochs; epoch++) {
    gradient.fill(0);
    let biasGradient = 0;
    for (let row = 0; row < count; row++) {
      let logit = bias;
      for (let f = 0; f < width; f++) logit += weights[f] * examples.rows[row * width + f];
      const label = examples.labels[row];
      const error = (1 / (1 + Math.exp(-logit)) - label) * (label ? positiveWeight : negativeWeight);
      for (let f = 0; f < width; f++) gradient[f] += error * examples.rows[row * width + f];
      biasGradient += error;
    }
    for (let f = 0; f < width; f++) {
      weights[f] -= options.learningRate * (gradient[f] + options.l2 * weights[f]);
    }
    bias -= options.learningRate * biasGradient;
  }
  return { weights: Array.from(weights), bias };
}
