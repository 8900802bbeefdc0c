// "For you" measured as the shopper gets it: for each evaluation player, the row the store would
// show (candidates, blend or one component, business rules, MMR at the default diversity) through
// StoreRanker's own For-you path, scored by where the held-out next game landed in it. The blend,
// every servable component alone and the baselines' fixed blend are ranked for the same players, so
// the safety rule's comparison is paired; the players are disjoint from the blend's fitting players.
import { bootstrapConfidenceInterval } from '../../ml/eval/statistics';
import { decideServing } from '../../ml/blend/safetyRule';
import { yieldToEventLoop } from '../../ml/train/loop';
import { servableComponents, type ForYouServing, type ServableComponent } from '../../recs/hybrid';
import type { ForYouQuality, RankerQuality } from '../../recs/forYouQuality';
import type { LearnedModels, StoreRanker } from '../../recs/storeRanker';
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

export type ServingName = ForYouServing | 'baselines';

export async function measureForYouRows(
  ranker: StoreRanker,
  learned: Omit<LearnedModels, 'serves'>,
  players: readonly HeldOutPlayer[],
  signalsOf: (player: HeldOutPlayer) => ShopperSignals,
  diversity: number,
  signal?: AbortSignal,
): Promise<Record<ServingName, PerPlayerMetrics>> {
  const names: ServingName[] = ['blend', ...servableComponents, 'baselines'];
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
      const row =
        name === 'baselines'
          ? ranker.rankForYouWith(null, signals, measuredRowLength, diversity)
          : ranker.rankForYouWith(
              { ...learned, serves: name },
              signals,
              measuredRowLength,
              diversity,
              sources,
            );
      const { hit, gain } = rowHit(row, player.target);
      out[name].hr[p] = hit;
      out[name].ndcg[p] = gain;
    }
  }
  return out;
}

export interface QualityTiming {
  fitPlayers: number;
  fitMs: number;
  measureMs: number;
  /** bootstrap seed, so a card's intervals can be replayed */
  seed: number;
}

/** The safety rule on NDCG@10 (HR@10 reported beside it) and everything the card shows. */
export function judgeForYou(
  measured: Record<ServingName, PerPlayerMetrics>,
  timing: QualityTiming,
): ForYouQuality {
  const bootstrap = { resamples: 2000, confidence: 0.95, seed: timing.seed };
  const decision = decideServing(
    { name: 'blend', perUser: measured.blend.ndcg },
    servableComponents.map((name) => ({ name, perUser: measured[name].ndcg })),
    { ...bootstrap, metric: 'NDCG@10' },
  );
  const quality = (name: ServingName): RankerQuality => ({
    hr: bootstrapConfidenceInterval(measured[name].hr, bootstrap),
    ndcg: bootstrapConfidenceInterval(measured[name].ndcg, bootstrap),
  });
  return {
    serves: decision.serve as ForYouServing,
    blend: quality('blend'),
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
