// The hybrid "For you": every model proposes candidates, and a learned blend w · x ranks them,
// x being each model's score min-max scaled over the candidate pool. The weights are fitted by a
// pairwise ranking objective (ml/blend/rankFit.ts) on held-out community players: their next game
// against other candidates of the pool and random catalogue games, every row scaled exactly as
// serving scales it (servingFeatures). The safety rule may then serve one component alone instead
// (rankComponent). Pure TypeScript on Float32Arrays: it runs on every event. A new feature is one
// more entry in `hybridFeatures` and one more score list in `ScoreSources`.
import {
  unionOfTopK,
  minMaxOver,
  minMaxScaled,
  blendScores,
  type HybridWeights,
} from '../ml/blend/logisticBlend';
import { drawNegatives, rankingCase, type NegativeCounts, type ServingFeatures } from '../ml/blend/rankCases';
import { fitRankingWeights, type RankingCase } from '../ml/blend/rankFit';
import { topK, type RecommendFilter } from '../ml/recommender';
import type { Rng } from '../ml/random';

/** The signals the ranker blends, in a fixed order (the weight vector follows it). */
export const hybridFeatures = ['coOccurrence', 'genreAffinity', 'popularity', 'mf', 'sequential'] as const;
export type HybridFeature = (typeof hybridFeatures)[number];

/**
 * The components "For you" can serve alone when the blend does not beat them (the safety rule),
 * simplest first: a tie goes to the first listed.
 */
export const servableComponents = ['popularity', 'coOccurrence', 'mf', 'sequential'] as const;
export type ServableComponent = (typeof servableComponents)[number];

/** What "For you" serves once the models are learned: the blend, or one component alone. */
export type ForYouServing = 'blend' | ServableComponent;

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

/** Negatives per held-out case when fitting the blend: from serving's pool and from the catalogue. */
export const blendNegatives: NegativeCounts = { pool: 20, catalogue: 20 };

/**
 * The serving scaler for one shopper: each source min-max scaled over `pool`, the candidates
 * "For you" ranks, exactly as `featureMatrix` scales them when it serves. An item outside the pool
 * (a held-out game no source proposed, a catalogue negative) is scaled with the pool's scaling.
 */
export function servingFeatures(sources: ScoreSources, pool: readonly number[]): ServingFeatures {
  const scalings = hybridFeatures.map((feature) => {
    const scores = sources[feature];
    return scores ? { scores, scaling: minMaxOver(scores, pool) } : null;
  });
  // Float32, as featureMatrix stores them: the fit sees the very numbers serving ranks
  return (item) =>
    Float32Array.from(scalings, (source) => (source ? minMaxScaled(source.scores, item, source.scaling) : 0));
}

/**
 * The ranking case for fitRankingWeights from one held-out player: the next game against
 * negatives from the pool serving would rank it in (history excluded, as serving excludes it) and
 * from the catalogue, every row through the serving scaler. A case keeps only its rows, so the
 * caller can drop the player's score lists at once (a few hundred players' would not fit).
 */
export function blendRankingCase(
  heldOut: HeldOutCase,
  itemCount: number,
  rng: Rng,
  counts: NegativeCounts = blendNegatives,
): RankingCase {
  const history = new Set(heldOut.history);
  const pool = candidatePool(heldOut.sources, candidatesPerSource, { exclude: history });
  const negatives = drawNegatives(pool, heldOut.target, itemCount, history, counts, rng);
  return rankingCase(servingFeatures(heldOut.sources, pool), heldOut.target, negatives);
}

/** Fitted blend weights in the store's feature order; the blend is w · x, so there is no bias. */
export function fitStoreBlend(cases: readonly RankingCase[]): HybridWeights {
  return { weights: fitRankingWeights(cases).weights, bias: 0 };
}

/**
 * One component's own ranking, as "For you" serves it when the safety rule picks that component:
 * its top `k` allowed items by its own score, each explained by that component.
 */
export function rankComponent(
  component: HybridFeature,
  sources: ScoreSources,
  k: number,
  filter: RecommendFilter,
): { item: number; score: number; dominant: HybridFeature }[] {
  const scores = sources[component];
  if (!scores) return [];
  return topK(scores, k, filter).map(({ item, score }) => ({ item, score, dominant: component }));
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
