// The hybrid "For you": every model proposes candidates, and a small logistic-regression
// ranker blends their per-model scores into one. The ranker is trained on held-out community
// behaviour (a player's last game as the positive, other candidates as negatives), so the
// weights say how much each model actually predicted what players did next — and they are
// shown to the shopper as they are. Pure TypeScript on Float32Arrays: it runs on every event.
import type { RecommendFilter } from '../ml/recommender';
import { createRng, sampleWithoutReplacement } from '../ml/train/random';
import { topK } from '../ml/recommender';

/** The signals the ranker blends, in a fixed order (the weight vector follows it). */
export const hybridFeatures = ['coOccurrence', 'genreAffinity', 'popularity', 'mf', 'sequential'] as const;
export type HybridFeature = (typeof hybridFeatures)[number];

/** One score per item from each source; a source that is not trained yet is left out. */
export type ScoreSources = Partial<Record<HybridFeature, Float32Array>>;

export interface HybridWeights {
  /** aligned with hybridFeatures */
  weights: number[];
  bias: number;
}

/** Before any training every available source counts equally: a sane fallback, never shown as learned. */
export const equalHybridWeights: HybridWeights = { weights: hybridFeatures.map(() => 1), bias: 0 };

/** Candidates each source contributes before blending. */
export const candidatesPerSource = 40;

/** The union of each source's top candidates (sources in feature order, so the pool is deterministic). */
export function candidatePool(sources: ScoreSources, perSource: number, filter?: RecommendFilter): number[] {
  return unionOfTopK(
    hybridFeatures.map((feature) => sources[feature]),
    perSource,
    filter,
  );
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

/**
 * Feature rows [candidates × features], each feature min-max scaled over the candidates, so
 * a model's raw scale (a dot product, a co-occurrence count) does not decide its influence;
 * the learned weights do. A missing source, or one that is constant over the pool, reads 0.
 */
export function featureMatrix(sources: ScoreSources, candidates: readonly number[]): Float32Array {
  const width = hybridFeatures.length;
  const rows = new Float32Array(candidates.length * width);
  hybridFeatures.forEach((feature, f) => {
    const scores = sources[feature];
    if (!scores) return;
    const scaling = minMaxOver(scores, candidates);
    candidates.forEach((item, row) => (rows[row * width + f] = minMaxScaled(scores, item, scaling)));
  });
  return rows;
}

/** w · x + b for each row (rows as wide as the weight vector: the store's five or the lab's components). */
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

/** Which feature contributed most (w·x) to one row; null when none contributed positively. */
export function dominantFeature(model: HybridWeights, rows: Float32Array, row: number): HybridFeature | null {
  const width = hybridFeatures.length;
  let best: HybridFeature | null = null;
  let bestValue = 0;
  hybridFeatures.forEach((feature, f) => {
    const contribution = model.weights[f] * rows[row * width + f];
    if (contribution > bestValue) {
      bestValue = contribution;
      best = feature;
    }
  });
  return best;
}

export interface RankerExamples {
  /**
   * [examples × features], scaled as featureMatrix does; the width is rows / labels, so a blend
   * of other features (the lab's hybrid: one per component model) trains the same way
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

/** One held-out case: what the sources said before the player's next game, and that game. */
export interface HeldOutCase {
  sources: ScoreSources;
  target: number;
  /** the player's earlier games: never candidates */
  history: readonly number[];
}

/**
 * Examples from held-out cases: the target as a positive (its feature row computed within
 * the candidate pool it would be ranked in) and up to `negativesPerCase` other candidates
 * as negatives — hard negatives, the kind the ranker must actually tell apart.
 */
export function rankerExamples(
  cases: readonly HeldOutCase[],
  negativesPerCase: number,
  seed = 7,
): RankerExamples {
  const rng = createRng(seed);
  const width = hybridFeatures.length;
  const rows: number[] = [];
  const labels: number[] = [];
  for (const heldOut of cases) {
    const pool = candidatePool(heldOut.sources, candidatesPerSource, { exclude: new Set(heldOut.history) });
    // the target is scaled together with the pool it would be ranked in, even if no source proposed it
    if (!pool.includes(heldOut.target)) pool.push(heldOut.target);
    const features = featureMatrix(heldOut.sources, pool);
    const negatives = pool.map((_, row) => row).filter((row) => pool[row] !== heldOut.target);
    const chosen = [
      pool.indexOf(heldOut.target),
      ...sampleWithoutReplacement(negatives, negativesPerCase, rng),
    ];
    chosen.forEach((row, n) => {
      for (let f = 0; f < width; f++) rows.push(features[row * width + f]);
      labels.push(n === 0 ? 1 : 0);
    });
  }
  return { rows: Float32Array.from(rows), labels: Uint8Array.from(labels) };
}

/** Blend one set of sources into a score per candidate, best first. */
export function rankCandidates(
  model: HybridWeights,
  sources: ScoreSources,
  filter: RecommendFilter,
): { item: number; score: number; dominant: HybridFeature | null }[] {
  const candidates = candidatePool(sources, candidatesPerSource, filter);
  const rows = featureMatrix(sources, candidates);
  const scores = blendScores(model, rows);
  return candidates
    .map((item, row) => ({ item, score: scores[row], dominant: dominantFeature(model, rows, row) }))
    .sort((a, b) => b.score - a.score || a.item - b.item);
}
