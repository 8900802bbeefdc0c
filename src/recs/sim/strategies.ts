// The strategies a simulated shopper may be served, each one of the store's own ranking paths
// (recs/storeRanker.ts), so the simulator measures what the storefront does:
// - popularity: the most owned games (what "For you" shows a shopper with no history);
// - itemknn: item-to-item co-occurrence over the shopper's history;
// - blend: "For you" as the store ranks it before the learned models are trained (co-occurrence,
//   genre affinity, popularity in a fixed blend). MF and the GRU are not trained in the simulator:
//   minutes of training per run on a 2-core machine, against seconds for everything else;
// - diverse: the same blend, re-ranked by MMR for variety.
// Any of them with "+offers" also makes the shopper personalised offers (recs/offers/).
import type { ScoredItem } from '../../ml/recommender';
import { topK } from '../../ml/recommender';
import type { StoreRanker } from '../storeRanker';
import type { ShopperSignals } from '../types';

export const baseStrategies = ['popularity', 'itemknn', 'blend', 'diverse'] as const;
export type BaseStrategy = (typeof baseStrategies)[number];

export interface StrategySpec {
  base: BaseStrategy;
  offers: boolean;
}

export const strategyDescriptions: Record<BaseStrategy, string> = {
  popularity: 'The most owned games',
  itemknn: 'Games often owned with the shopper’s games (item k-NN)',
  blend: '“For you”: co-occurrence, genre affinity and popularity blended',
  diverse: '“For you” re-ranked by MMR for variety',
};

const offersSuffix = '+offers';

/** "blend" or "blend+offers" → its spec; throws naming the known strategies otherwise. */
export function parseStrategy(name: string): StrategySpec {
  const trimmed = name.trim();
  const offers = trimmed.endsWith(offersSuffix);
  const base = offers ? trimmed.slice(0, -offersSuffix.length) : trimmed;
  if (!(baseStrategies as readonly string[]).includes(base)) {
    throw new Error(
      `unknown strategy "${name}": use one of ${baseStrategies.join(', ')}, each optionally with ${offersSuffix}`,
    );
  }
  return { base: base as BaseStrategy, offers };
}

export function strategyName(spec: StrategySpec): string {
  return spec.offers ? `${spec.base}${offersSuffix}` : spec.base;
}

/** One row of `k` games for the shopper, best first. Games in signals.owned and history never appear. */
export function serveRow(
  ranker: StoreRanker,
  base: BaseStrategy,
  signals: ShopperSignals,
  k: number,
  diversity: number,
): ScoredItem[] {
  switch (base) {
    case 'popularity':
      // a shopper with no history gets the popular games, still without what they own
      return ranker.rank(
        'forYou',
        { ...signals, history: [], weights: [], verbs: [] },
        k,
        0,
        undefined,
        new Set(signals.history),
      );
    case 'itemknn': {
      const exclude = new Set([...signals.history, ...signals.owned]);
      return topK(ranker.knn.scoreAll(signals), k, { exclude });
    }
    case 'blend':
      return ranker.rank('forYou', signals, k, 0);
    case 'diverse':
      return ranker.rank('forYou', signals, k, diversity);
  }
}
