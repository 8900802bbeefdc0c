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
import { bootstrapStatistics, type StatisticBootstrapOptions } from './bootstrap';

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
const correctBiasOf = metricNames.map((name) => ofAllImpressions.has(name));

/**
 * Gini of non-negative whole counts, by value rather than by sorting: the items with count v
 * occupy ranks r+1 … r+m in ascending order, which add v · (m(2r + m + 1) − m(n + 1)) to the
 * numerator of gini(). Equal to gini(counts), in one pass and a histogram of the counts.
 */
export function giniOfCounts(
  counts: ArrayLike<number>,
  histogram: Float64Array = new Float64Array(0),
): number {
  const n = counts.length;
  let max = 0;
  let total = 0;
  for (let i = 0; i < n; i++) {
    if (counts[i] > max) max = counts[i];
    total += counts[i];
  }
  if (total <= 0) return 0;
  const byValue = histogram.length > max ? histogram.fill(0, 0, max + 1) : new Float64Array(max + 1);
  for (let i = 0; i < n; i++) byValue[counts[i]]++;
  let rank = 0;
  let weighted = 0;
  for (let v = 0; v <= max; v++) {
    const m = byValue[v];
    if (m === 0) continue;
    weighted += v * (m * (2 * rank + m + 1) - m * (n + 1));
    rank += m;
  }
  return weighted / (n * total);
}

/**
 * Every metric, in metricNames order, over the shoppers at `indices` (a bootstrap resample, or
 * everyone). Returns a fresh array; `scratch` holds reusable buffers across calls.
 */
export function allMetrics(
  outcomes: readonly ShopperOutcome[],
  indices: ArrayLike<number>,
  context: MetricContext,
  scratch = metricScratch(context),
): number[] {
  const n = indices.length;
  let clickThrough = 0;
  let conversion = 0;
  let revenue = 0;
  let discount = 0;
  const counts = scratch.counts.fill(0);
  for (let i = 0; i < n; i++) {
    const o = outcomes[indices[i]];
    clickThrough += o.impressions.length > 0 ? o.clicks / o.impressions.length : 0;
    conversion += o.sessions > 0 ? o.purchases / o.sessions : 0;
    revenue += o.revenue;
    discount += o.discountGiven;
    for (const item of o.impressions) counts[item]++;
  }
  let seen = 0;
  let total = 0;
  let small = 0;
  for (let item = 0; item < counts.length; item++) {
    if (counts[item] > 0) seen++;
    total += counts[item];
    if (context.smallDeveloper[item]) small += counts[item];
  }
  const mean = (sum: number) => (n > 0 ? sum / n : Number.NaN);
  const values: Record<MetricName, number> = {
    clickThrough: mean(clickThrough),
    conversion: mean(conversion),
    revenuePerShopper: mean(revenue),
    discountPerShopper: mean(discount),
    coverage: context.itemCount > 0 ? seen / context.itemCount : 0,
    gini: giniOfCounts(counts, scratch.histogram),
    smallDeveloperShare: total > 0 ? small / total : 0,
  };
  return metricNames.map((name) => values[name]);
}

export interface MetricScratch {
  counts: Float64Array;
  histogram: Float64Array;
}

export function metricScratch(context: MetricContext): MetricScratch {
  return { counts: new Float64Array(context.itemCount), histogram: new Float64Array(64) };
}

/** One metric over the shoppers at `indices`. */
export function metricValue(
  name: MetricName,
  outcomes: readonly ShopperOutcome[],
  indices: ArrayLike<number>,
  context: MetricContext,
): number {
  return allMetrics(outcomes, indices, context)[metricNames.indexOf(name)];
}

export type MetricSummary = Record<MetricName, ConfidenceInterval>;

const toSummary = (intervals: ConfidenceInterval[]): MetricSummary =>
  Object.fromEntries(metricNames.map((name, i) => [name, intervals[i]])) as MetricSummary;

export function summarize(
  outcomes: readonly ShopperOutcome[],
  context: MetricContext,
  options: StatisticBootstrapOptions = {},
): MetricSummary {
  const scratch = metricScratch(context);
  return toSummary(
    bootstrapStatistics(outcomes.length, (indices) => allMetrics(outcomes, indices, context, scratch), {
      ...options,
      correctBiasOf,
    }),
  );
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
  const scratch = metricScratch(context);
  const difference = (indices: ArrayLike<number>) => {
    const ofA = allMetrics(a, indices, context, scratch);
    const ofB = allMetrics(b, indices, context, scratch);
    return ofA.map((value, i) => value - ofB[i]);
  };
  return toSummary(bootstrapStatistics(a.length, difference, { ...options, correctBiasOf }));
}
