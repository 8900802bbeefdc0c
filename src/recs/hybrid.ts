// The hybrid "For you": every source proposes candidates, and a learned blend w · x ranks them,
// x being columns read from the sources over the candidate pool: a source's score min-max scaled
// over the pool, or its rank discount there (ml/blend/rankScale.ts). The weights are fitted by a
// pairwise ranking objective (ml/blend/rankFit.ts) on held-out community players: their next game
// against other candidates of the pool and random catalogue games, every row scaled exactly as
// serving scales it (servingFeatures). The safety rule may then serve one component alone instead
// (rankComponent). Pure TypeScript on Float32Arrays: it runs on every event. A new signal is one
// more entry in `hybridFeatures`, one more score list in `ScoreSources` (StoreRanker.scoreSources)
// and the columns that read it in `storeBlendColumns`.
import {
  unionOfTopK,
  minMaxOver,
  minMaxScaled,
  blendScores,
  type HybridWeights,
} from '../ml/blend/logisticBlend';
import { poolOrder, rankDiscount } from '../ml/blend/rankScale';
import { drawNegatives, rankingCase, type NegativeCounts, type ServingFeatures } from '../ml/blend/rankCases';
import { fitRankingWeights, type RankingCase } from '../ml/blend/rankFit';
import { choosePenalty, type PenaltyChoice, type PoolRanking } from '../ml/blend/penaltyChoice';
import { topK, type RecommendFilter } from '../ml/recommender';
import type { Rng } from '../ml/random';

/**
 * The score sources the blend can read, in a fixed order. The first five are the models and
 * baselines; the rest carry what those lack: co-occurrence with the latest games only
 * (`recentCoOccurrence`), how often a game is a community player's latest one (`lastChoice`), and
 * the dated window's counts (`trending`). StoreRanker.scoreSources computes each. `trending` is
 * counted over the whole community, held-out games included, so it is not a column: a blend fitted
 * and measured with it would be judged on games it has seen. `profile` and `profileGenres` read the
 * learned profile encoder (scoreSources.ts: its embedding's score for every game, and the match of
 * its predicted genre mix); they exist once the encoder is trained.
 */
export const hybridFeatures = [
  'coOccurrence',
  'genreAffinity',
  'popularity',
  'mf',
  'sequential',
  'recentCoOccurrence',
  'lastChoice',
  'trending',
  'profile',
  'profileGenres',
] as const;
export type HybridFeature = (typeof hybridFeatures)[number];

/** How a column reads its source over the candidate pool: min-max scaled, or its rank discount. */
export type ColumnScale = 'minMax' | 'rank';

/** One column of the blend's feature rows: a source read one way. */
export interface BlendColumn {
  source: HybridFeature;
  scale: ColumnScale;
}

/**
 * The columns the store's blend ranks with (the weight vector follows them). Each source the
 * columns read also proposes candidates. Chosen on the fitting players' inner split
 * (scripts/storeBlend/measure.ts --explore; docs/internals.md has the table): a column stays only
 * when it raised NDCG@10 there. The profile encoder's columns are fitted beside these
 * (profileBlendColumns) and kept only when they beat this blend on the held-out players.
 */
export const storeBlendColumns: readonly BlendColumn[] = [
  { source: 'coOccurrence', scale: 'minMax' },
  { source: 'genreAffinity', scale: 'minMax' },
  { source: 'popularity', scale: 'minMax' },
  { source: 'mf', scale: 'minMax' },
  { source: 'sequential', scale: 'minMax' },
  { source: 'recentCoOccurrence', scale: 'minMax' },
  { source: 'lastChoice', scale: 'minMax' },
];

/**
 * The columns read from the learned profile encoder: its embedding's score for every game and the
 * match of its predicted genres. They join the store's as a group, and only when the blend with
 * them measurably beats the blend without (storeLearning.ts, forYouMeasure.ts).
 */
export const profileColumns: readonly BlendColumn[] = [
  { source: 'profile', scale: 'minMax' },
  { source: 'profileGenres', scale: 'minMax' },
];

/** The store's columns with the profile's after them. */
export const profileBlendColumns: readonly BlendColumn[] = [...storeBlendColumns, ...profileColumns];

/** A column's name on the model card: its source, with "rank" when it reads the rank discount. */
export function columnName(column: BlendColumn): string {
  return column.scale === 'rank' ? `${column.source} rank` : column.source;
}

/** The sources some column reads, in feature order: they propose the candidates. */
export function sourcesOf(columns: readonly BlendColumn[]): HybridFeature[] {
  return hybridFeatures.filter((feature) => columns.some((column) => column.source === feature));
}

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

/** Before any training every available column counts equally: a sane fallback, never shown as learned. */
export const equalHybridWeights: HybridWeights = { weights: storeBlendColumns.map(() => 1), bias: 0 };

/** Candidates each source contributes before blending. */
export const candidatesPerSource = 40;

/**
 * Candidates a component served alone proposes: as many as the first blend's five sources did
 * (5 × 40), so a component's row (MMR's relevance is scaled over them) is what it always was.
 */
export const componentCandidates = 200;

/**
 * The union of each read source's top candidates (sources in feature order, so the pool is
 * deterministic).
 */
export function candidatePool(
  sources: ScoreSources,
  perSource: number,
  filter?: RecommendFilter,
  columns: readonly BlendColumn[] = storeBlendColumns,
): number[] {
  return unionOfTopK(
    sourcesOf(columns).map((feature) => sources[feature]),
    perSource,
    filter,
  );
}

/**
 * Feature rows [candidates × columns] through the serving scaler, so a model's raw scale (a dot
 * product, a co-occurrence count) does not decide its influence; the learned weights do. A
 * missing source, or one that is constant over the pool, reads 0.
 */
export function featureMatrix(
  sources: ScoreSources,
  candidates: readonly number[],
  columns: readonly BlendColumn[] = storeBlendColumns,
): Float32Array {
  const rowOf = servingFeatures(sources, candidates, columns);
  const rows = new Float32Array(candidates.length * columns.length);
  candidates.forEach((item, row) => rows.set(rowOf(item), row * columns.length));
  return rows;
}

/**
 * Which source contributed most (w·x, its columns summed) to one row; null when none contributed
 * positively.
 */
export function dominantFeature(
  model: HybridWeights,
  rows: Float32Array,
  row: number,
  columns: readonly BlendColumn[] = storeBlendColumns,
): HybridFeature | null {
  const width = columns.length;
  const bySource = new Map<HybridFeature, number>();
  columns.forEach((column, f) => {
    const contribution = model.weights[f] * rows[row * width + f];
    bySource.set(column.source, (bySource.get(column.source) ?? 0) + contribution);
  });
  let best: HybridFeature | null = null;
  let bestValue = 0;
  for (const [source, value] of bySource) {
    if (value > bestValue) {
      bestValue = value;
      best = source;
    }
  }
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
 * The serving scaler for one shopper: each column read over `pool`, the candidates "For you"
 * ranks, exactly as `featureMatrix` reads them when it serves. An item outside the pool (a
 * held-out game no source proposed, a catalogue negative) is read with the pool's scaling.
 */
export function servingFeatures(
  sources: ScoreSources,
  pool: readonly number[],
  columns: readonly BlendColumn[] = storeBlendColumns,
): ServingFeatures {
  const readers = columns.map((column): ((item: number) => number) => {
    const scores = sources[column.source];
    if (!scores) return () => 0;
    if (column.scale === 'rank') {
      const order = poolOrder(scores, pool);
      return (item) => rankDiscount(order, scores[item]);
    }
    const scaling = minMaxOver(scores, pool);
    return (item) => minMaxScaled(scores, item, scaling);
  });
  // Float32, as featureMatrix stores them: the fit sees the very numbers serving ranks
  return (item) => Float32Array.from(readers, (read) => read(item));
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
  columns: readonly BlendColumn[] = storeBlendColumns,
): RankingCase {
  const history = new Set(heldOut.history);
  const pool = candidatePool(heldOut.sources, candidatesPerSource, { exclude: history }, columns);
  const negatives = drawNegatives(pool, heldOut.target, itemCount, history, counts, rng);
  return rankingCase(servingFeatures(heldOut.sources, pool, columns), heldOut.target, negatives);
}

/**
 * A validation player for choosing the penalty: the pool serving would rank for them (history
 * excluded), its rows through the serving scaler, and where their held-out game is in it.
 */
export function blendPoolRanking(
  heldOut: HeldOutCase,
  columns: readonly BlendColumn[] = storeBlendColumns,
): PoolRanking {
  const pool = candidatePool(
    heldOut.sources,
    candidatesPerSource,
    { exclude: new Set(heldOut.history) },
    columns,
  );
  return {
    rows: featureMatrix(heldOut.sources, pool, columns),
    width: columns.length,
    targetRow: pool.indexOf(heldOut.target),
  };
}

/** The fitting players' cases, and which of them choose the penalty. */
export interface BlendFitData {
  /** one case per fitting player */
  cases: RankingCase[];
  /** cases[i] fits the blend while the penalty is chosen (the rest are `validation`) */
  fitsChoice: boolean[];
  /** the pools of the players whose cases[i] has fitsChoice false */
  validation: PoolRanking[];
}

/**
 * The store's blend: the penalty chosen on an inner split of the fitting players (choosePenalty),
 * then the weights refitted on all of them with it.
 */
export function fitTunedStoreBlend(data: BlendFitData): { weights: HybridWeights; penalty: PenaltyChoice } {
  const penalty = choosePenalty(
    data.cases.filter((_, i) => data.fitsChoice[i]),
    data.validation,
  );
  return { weights: fitStoreBlend(data.cases, penalty.l2), penalty };
}

/** Fitted blend weights in the store's feature order; the blend is w · x, so there is no bias. */
export function fitStoreBlend(cases: readonly RankingCase[], l2?: number): HybridWeights {
  return { weights: fitRankingWeights(cases, l2 === undefined ? {} : { l2 }).weights, bias: 0 };
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
  columns: readonly BlendColumn[] = storeBlendColumns,
): { item: number; score: number; dominant: HybridFeature | null }[] {
  const candidates = candidatePool(sources, candidatesPerSource, filter, columns);
  const rows = featureMatrix(sources, candidates, columns);
  const scores = blendScores(model, rows);
  return candidates
    .map((item, row) => ({
      item,
      score: scores[row],
      dominant: dominantFeature(model, rows, row, columns),
    }))
    .sort((a, b) => b.score - a.score || a.item - b.item);
}
