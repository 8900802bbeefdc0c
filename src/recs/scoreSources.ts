// What every source says about every game for one shopper: the score lists "For you"'s blend reads
// (hybrid.ts), and what the store's learning records for held-out community players when it fits
// and measures the blend. Split from the ranking itself (storeRanker.ts), which decides what to do
// with these lists: the sources are a shopper's evidence, the ranker the row made from it.
import type { ItemKnnRecommender } from '../ml/baselines/itemKnn';
import type { HybridWeights } from '../ml/blend/logisticBlend';
import type { ShopperState } from '../ml/recommender';
import type { CatalogIndex } from './catalogIndex';
import { affinityOf, genreAffinity } from './genreAffinity';
import type { BlendColumn, ForYouServing, ScoreSources } from './hybrid';
import type { ShopperSignals } from './types';

/**
 * The latest games the `recentCoOccurrence` source reads, and how much each step back counts
 * (the latest 1, the one before .5, then .25): what the shopper is into now, not over the years.
 */
export const recentGames = { count: 3, decay: 0.5 } as const;

/** The learned profile as a source: what the shopper's profile embedding says of every game. */
export interface ProfileSource {
  /**
   * `nextGame`: the embedding's score for every game (the encoder's next-item scores);
   * `genreMatch`: every game's mean predicted probability over its genres.
   */
  read(history: readonly number[]): { nextGame: Float32Array; genreMatch: Float32Array };
}

/**
 * The trained models as the ranking path sees them: host-side scoring on Float32Arrays only
 * (MF folds the shopper in by a small ridge solve; the sequential model runs its forward pass
 * in plain JS), so a ranking never waits on the GPU or on training.
 */
export interface LearnedModels {
  mf: {
    scoreAll(state: ShopperState): Float32Array;
    /** cosine of every item's MF vector to `item`'s */
    cosineToAll(item: number): Float32Array;
    cosine(a: number, b: number): number;
  };
  sequential: { scoreAll(state: ShopperState): Float32Array };
  /** the learned profile encoder, once trained: the `profile` and `profileGenres` sources */
  profile?: ProfileSource;
  ranker: HybridWeights;
  /** the columns `ranker`'s weights follow (storeBlendColumns unless the profile's were kept, or a measurement tries others) */
  columns?: readonly BlendColumn[];
  /** what "For you" serves: the blend, or the component the safety rule found better than it */
  serves: ForYouServing;
}

/** The store's fitted, shopper-independent signals every shopper's sources start from. */
export interface FittedSignals {
  index: CatalogIndex;
  knn: ItemKnnRecommender;
  /** log-scaled to [0, 1], as the other fixed lists */
  popularity: Float32Array;
  /** how often each game is a community player's latest one */
  lastChoice: Float32Array;
  /** the dated window's counts */
  trending: Float32Array;
}

/** The latest games with their weights decayed one step per game back (recentGames). */
export function recentState(signals: ShopperSignals): ShopperState {
  const recent = Math.max(0, signals.history.length - recentGames.count);
  const latest = signals.history.slice(recent);
  return {
    history: latest,
    weights: latest.map(
      (_, i) => (signals.weights[recent + i] ?? 1) * recentGames.decay ** (latest.length - 1 - i),
    ),
  };
}

/** Every source's score for every item, for this shopper; a learned source only once it exists. */
export function scoreSources(
  fitted: FittedSignals,
  signals: ShopperSignals,
  learned: Omit<LearnedModels, 'serves' | 'ranker'> | null,
): ScoreSources {
  const { index } = fitted;
  const affinity = genreAffinity(index, signals);
  const genreScores = new Float32Array(index.itemCount);
  for (let j = 0; j < genreScores.length; j++) genreScores[j] = affinityOf(index, j, affinity);
  const state: ShopperState = { history: signals.history, weights: signals.weights };
  const sources: ScoreSources = {
    coOccurrence: fitted.knn.scoreAll(state),
    genreAffinity: genreScores,
    popularity: fitted.popularity,
    recentCoOccurrence: fitted.knn.scoreAll(recentState(signals)),
    lastChoice: fitted.lastChoice,
    trending: fitted.trending,
  };
  if (learned) {
    sources.mf = learned.mf.scoreAll(state);
    sources.sequential = learned.sequential.scoreAll({ history: signals.history });
    if (learned.profile) {
      const { nextGame, genreMatch } = learned.profile.read(signals.history);
      sources.profile = nextGame;
      sources.profileGenres = genreMatch;
    }
  }
  return sources;
}
