// "For you" measured as the shopper gets it: for each evaluation player, the row the store would
// show (candidates, blend or one component, business rules, MMR at the default diversity) through
// StoreRanker's own For-you path, scored by where the held-out next game landed in it. The blend,
// every servable component alone and the baselines' fixed blend are ranked for the same players, so
// the safety rule's comparison is paired; the players are disjoint from the blend's fitting players.
// With a profile encoder, the blend fitted with its columns is ranked too, and joins only when it
// beats the blend without them on the same players (profileColumnsKept).
import { bootstrapConfidenceInterval, pairedDifferenceInterval } from '../../ml/eval/statistics';
import { decideServing } from '../../ml/blend/safetyRule';
import { yieldToEventLoop } from '../../ml/train/loop';
import type { HybridWeights } from '../../ml/blend/logisticBlend';
import type { ConfidenceInterval } from '../../ml/eval/statistics';
import {
  servableComponents,
  type BlendColumn,
  type ForYouServing,
  type ServableComponent,
} from '../../recs/hybrid';
import type { ForYouQuality, ProfileColumnsQuality, RankerQuality } from '../../recs/forYouQuality';
import type { LearnedModels } from '../../recs/scoreSources';
import type { StoreRanker } from '../../recs/storeRanker';
import type { RankedItem, ShopperSignals } from '../../recs/types';
import type { HeldOutPlayer } from './heldOut';

/** The row length the cards report (HR@10, NDCG@10). */
export const measuredRowLength = 10;

/** One player's HR@k and NDCG@k from a ranked row: 1 and 1/log2(position + 2) when the target is in it. */
export function rowHit(row: readonly RankedItem[], target: number): { hit: number; gain: number } {
  const position = row.findIndex((ranked) => ranked.item === target);
  return position < 0 ? { hit: 0, gain: 0 } : { hit: 1, gain: 1 / Math.log2(position + 2) };
}

/** Per-player HR and NDCG vectors of each way of serving "For you", in the players' order. */
export interface PerPlayerMetrics {
  hr: Float64Array;
  ndcg: Float64Array;
}

/** 'profileBlend': the blend fitted with the profile encoder's columns, when there is one */
export type ServingName = ForYouServing | 'baselines' | 'profileBlend';

/** Every way of serving "For you" measured, per player; the profile blend only when there was one. */
export type MeasuredRows = Record<ForYouServing | 'baselines', PerPlayerMetrics> & {
  profileBlend?: PerPlayerMetrics;
};

/** The blend fitted with the profile encoder's columns: its weights and the columns they follow. */
export interface ProfileBlend {
  ranker: HybridWeights;
  columns: readonly BlendColumn[];
}

/**
 * `learned` ranks the blend without the profile's columns (and, with `learned.profile`, gives every
 * source the profile blend reads); `profileBlend`, when given, is ranked beside it.
 */
export async function measureForYouRows(
  ranker: StoreRanker,
  learned: Omit<LearnedModels, 'serves'>,
  players: readonly HeldOutPlayer[],
  signalsOf: (player: HeldOutPlayer) => ShopperSignals,
  diversity: number,
  signal?: AbortSignal,
  profileBlend?: ProfileBlend,
): Promise<MeasuredRows> {
  const names: ServingName[] = [
    'blend',
    ...servableComponents,
    'baselines',
    ...(profileBlend ? ['profileBlend' as const] : []),
  ];
  const out = Object.fromEntries(
    names.map((name) => [
      name,
      { hr: new Float64Array(players.length), ndcg: new Float64Array(players.length) },
    ]),
  ) as Record<ServingName, PerPlayerMetrics>;
  for (const [p, player] of players.entries()) {
    if (p % 16 === 0) {
      await yieldToEventLoop();
      signal?.throwIfAborted();
    }
    const signals = signalsOf(player);
    // every model's scores once per player: the blend and each component rank from the same ones
    const sources = ranker.scoreSources(signals, { ...learned, serves: 'blend' });
    for (const name of names) {
      const served: LearnedModels | null =
        name === 'baselines'
          ? null
          : name === 'profileBlend'
            ? { ...learned, ...profileBlend!, serves: 'blend' }
            : { ...learned, serves: name };
      const row = ranker.rankForYouWith(served, signals, measuredRowLength, diversity, sources);
      const { hit, gain } = rowHit(row, player.target);
      out[name].hr[p] = hit;
      out[name].ndcg[p] = gain;
    }
  }
  return out as MeasuredRows;
}

export interface QualityTiming {
  fitPlayers: number;
  fitMs: number;
  measureMs: number;
  /** bootstrap seed, so a card's intervals can be replayed */
  seed: number;
}

type Bootstrap = { resamples: number; confidence: number; seed: number };

/** HR@10 and NDCG@10 of one ranker with their bootstrap intervals, from its per-player values. */
export const rankerQuality = (metrics: PerPlayerMetrics, bootstrap: Bootstrap): RankerQuality => ({
  hr: bootstrapConfidenceInterval(metrics.hr, bootstrap),
  ndcg: bootstrapConfidenceInterval(metrics.ndcg, bootstrap),
});

/**
 * The profile's columns stay only when NDCG@10(with − without), paired player by player, has its
 * whole bootstrap interval above zero: the safety rule's own test, one step earlier.
 */
export function profileColumnsKept(difference: ConfidenceInterval): boolean {
  return difference.lower > 0;
}

function judgeProfileColumns(
  withProfile: PerPlayerMetrics,
  withoutProfile: PerPlayerMetrics,
  bootstrap: Bootstrap,
): ProfileColumnsQuality {
  const difference = pairedDifferenceInterval(withProfile.ndcg, withoutProfile.ndcg, bootstrap);
  return {
    kept: profileColumnsKept(difference),
    withProfile: rankerQuality(withProfile, bootstrap),
    withoutProfile: rankerQuality(withoutProfile, bootstrap),
    difference,
  };
}

/**
 * The safety rule on NDCG@10 (HR@10 reported beside it) and everything the card shows. With a
 * profile blend measured, first whether its columns stay; the blend the rule weighs is the kept one.
 */
export function judgeForYou(measured: MeasuredRows, timing: QualityTiming): ForYouQuality {
  const bootstrap = { resamples: 2000, confidence: 0.95, seed: timing.seed };
  const profile = measured.profileBlend
    ? judgeProfileColumns(measured.profileBlend, measured.blend, bootstrap)
    : null;
  const blend = profile?.kept ? measured.profileBlend! : measured.blend;
  const decision = decideServing(
    { name: 'blend', perUser: blend.ndcg },
    servableComponents.map((name) => ({ name, perUser: measured[name].ndcg })),
    { ...bootstrap, metric: 'NDCG@10' },
  );
  const quality = (name: ForYouServing | 'baselines') => rankerQuality(measured[name], bootstrap);
  return {
    serves: decision.serve as ForYouServing,
    blend: rankerQuality(blend, bootstrap),
    profile,
    components: Object.fromEntries(servableComponents.map((c) => [c, quality(c)])) as Record<
      ServableComponent,
      RankerQuality
    >,
    baselines: quality('baselines'),
    best: decision.bestComponent.name as ServableComponent,
    ratioToBest: decision.ratioToBest,
    difference: decision.difference,
    players: decision.users,
    fitPlayers: timing.fitPlayers,
    fitMs: timing.fitMs,
    measureMs: timing.measureMs,
  };
}
