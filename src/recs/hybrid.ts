// The hybrid "For you": every model proposes candidates, and a small logistic-regression
// ranker blends their per-model scores into one. The ranker is trained on held-out community
// behaviour (a player's last game as the positive, other candidates as negatives), so the
// weights say how much each model actually predicted what players did next — and they are
// shown to the shopper as they are. Pure TypeScript on Float32Arrays: it runs on every event.
import {
  unionOfTopK,
  minMaxOver,
  minMaxScaled,
  blendScores,
  type HybridWeights,
  type RankerExamples,
} from '../ml/blend/logisticBlend';
import type { RecommendFilter } from '../ml/recommender';
import { createRng, sampleWithoutReplacement } from '../ml/random';

/** The signals the ranker blends, in a fixed order (the weight vector follows it). */
export const hybridFeatures = ['coOccurrence', 'genreAffinity', 'popularity', 'mf', 'sequential'] as const;
export type HybridFeature = (typeof hybridFeatures)[number];

/** One score per item from each source; a source that is not trained yet is left out. */
export type ScoreSources = Partial<Record<HybridFeature, Float32Array>>;

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
