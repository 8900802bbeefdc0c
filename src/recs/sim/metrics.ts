// What the simulator reports per strategy, each from the shoppers' outcomes:
// - clickThrough: per shopper, clicks over cards examined (impressions), averaged over shoppers;
// - conversion: per shopper, purchases over sessions, averaged;
// - revenuePerShopper and discountPerShopper (the offers' cost): dollars, averaged;
// - coverage: share of the catalog examined by at least one shopper;
// - gini: concentration of impressions over every catalog game (0 even, → 1 on a few games);
// - smallDeveloperShare: share of impressions on games of small developers (see smallDeveloperItems).
// Each with a bootstrap interval over shoppers, and the paired difference of two strategies.
import type { ConfidenceInterval } from '../../ml/eval/statistics';
import type { Game } from '../../data/types';
import { bootstrapStatistic, type StatisticBootstrapOptions } from './bootstrap';

/** One shopper's sessions under one strategy. */
export interface ShopperOutcome {
  sessions: number;
  clicks: number;
  purchases: number;
  revenue: number;
  discountGiven: number;
  /** every card examined, over all sessions (a game may repeat) */
  impressions: number[];
}

export const metricNames = [
  'clickThrough',
  'conversion',
  'revenuePerShopper',
  'discountPerShopper',
  'coverage',
  'gini',
  'smallDeveloperShare',
] as const;
export type MetricName = (typeof metricNames)[number];

export const metricLabels: Record<MetricName, string> = {
  clickThrough: 'Click-through',
  conversion: 'Conversion',
  revenuePerShopper: 'Revenue per shopper ($)',
  discountPerShopper: 'Discount per shopper ($)',
  coverage: 'Catalog coverage',
  gini: 'Exposure Gini',
  smallDeveloperShare: 'Small-developer share',
};

export interface MetricContext {
  itemCount: number;
  /** 1 for a game by a small developer */
  smallDeveloper: Uint8Array;
}

/**
 * A developer is small when the catalog holds at most `maxGames` of their games (default 2:
 * a studio with one or two titles in the store). Games without a named developer are not
 * counted as small: nothing says who made them.
 */
export function smallDeveloperItems(games: readonly Pick<Game, 'developer'>[], maxGames = 2): Uint8Array {
  const counts = new Map<string, number>();
  for (const game of games)
    if (game.developer) counts.set(game.developer, (counts.get(game.developer) ?? 0) + 1);
  return Uint8Array.from(games, (game) =>
    game.developer && counts.get(game.developer)! <= maxGames ? 1 : 0,
  );
}

/** Gini of non-negative values: Σ (2i − n − 1) x₍ᵢ₎ / (n Σ x), i = 1…n over ascending values; 0 when all are 0. */
export function gini(values: ArrayLike<number>): number {
  const sorted = Float64Array.from(values).sort();
  const n = sorted.length;
  let total = 0;
  let weighted = 0;
  for (let i = 0; i < n; i++) {
    total += sorted[i];
    weighted += (2 * (i + 1) - n - 1) * sorted[i];
  }
  return total > 0 ? weighted / (n * total) : 0;
}

/** Metrics of the population's impressions as a whole, whose bootstrap is biased (see bootstrap.ts). */
const ofAllImpressions: ReadonlySet<MetricName> = new Set(['coverage', 'gini', 'smallDeveloperShare']);

const perShopper: Partial<Record<MetricName, (o: ShopperOutcome) => number>> = {
  clickThrough: (o) => (o.impressions.length > 0 ? o.clicks / o.impressions.length : 0),
  conversion: (o) => (o.sessions > 0 ? o.purchases / o.sessions : 0),
  revenuePerShopper: (o) => o.revenue,
  discountPerShopper: (o) => o.discountGiven,
};

function impressionCounts(
  outcomes: readonly ShopperOutcome[],
  indices: ArrayLike<number>,
  itemCount: number,
) {
  const counts = new Float64Array(itemCount);
  for (let i = 0; i < indices.length; i++)
    for (const item of outcomes[indices[i]].impressions) counts[item]++;
  return counts;
}

/** The metric over the shoppers at `indices` (a bootstrap resample, or everyone). */
export function metricValue(
  name: MetricName,
  outcomes: readonly ShopperOutcome[],
  indices: ArrayLike<number>,
  context: MetricContext,
): number {
  const ofShopper = perShopper[name];
  if (ofShopper) {
    let sum = 0;
    for (let i = 0; i < indices.length; i++) sum += ofShopper(outcomes[indices[i]]);
    return indices.length > 0 ? sum / indices.length : Number.NaN;
  }
  const counts = impressionCounts(outcomes, indices, context.itemCount);
  if (name === 'gini') return gini(counts);
  let seen = 0;
  let total = 0;
  let small = 0;
  for (let item = 0; item < counts.length; item++) {
    if (counts[item] > 0) seen++;
    total += counts[item];
    if (context.smallDeveloper[item]) small += counts[item];
  }
  if (name === 'coverage') return context.itemCount > 0 ? seen / context.itemCount : 0;
  return total > 0 ? small / total : 0;
}

export type MetricSummary = Record<MetricName, ConfidenceInterval>;

export function summarize(
  outcomes: readonly ShopperOutcome[],
  context: MetricContext,
  options: StatisticBootstrapOptions = {},
): MetricSummary {
  const entries = metricNames.map((name) => [
    name,
    bootstrapStatistic(outcomes.length, (indices) => metricValue(name, outcomes, indices, context), {
      ...options,
      correctBias: ofAllImpressions.has(name),
    }),
  ]);
  return Object.fromEntries(entries) as MetricSummary;
}

/**
 * A − B on the same shoppers: each resample takes the same shoppers from both, so what the
 * shoppers have in common cancels and only the strategies' difference is left.
 */
export function pairedDifference(
  a: readonly ShopperOutcome[],
  b: readonly ShopperOutcome[],
  context: MetricContext,
  options: StatisticBootstrapOptions = {},
): MetricSummary {
  if (a.length !== b.length) throw new Error('a paired comparison needs the same shoppers on both sides');
  const entries = metricNames.map((name) => [
    name,
    bootstrapStatistic(
      a.length,
      (indices) => metricValue(name, a, indices, context) - metricValue(name, b, indices, context),
      { ...options, correctBias: ofAllImpressions.has(name) },
    ),
  ]);
  return Object.fromEntries(entries) as MetricSummary;
}
