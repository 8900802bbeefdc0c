import { describe, expect, it } from 'vitest';
import { bootstrapConfidenceInterval } from '../../ml/eval/statistics';
import { bootstrapStatistic } from './bootstrap';
import {
  gini,
  giniOfCounts,
  metricValue,
  pairedDifference,
  smallDeveloperItems,
  summarize,
  type ShopperOutcome,
} from './metrics';

const outcome = (partial: Partial<ShopperOutcome>): ShopperOutcome => ({
  sessions: 1,
  clicks: 0,
  purchases: 0,
  revenue: 0,
  discountGiven: 0,
  impressions: [],
  ...partial,
});

// a 5-game catalog; games 3 and 4 are by small developers
const context = { itemCount: 5, smallDeveloper: Uint8Array.from([0, 0, 0, 1, 1]) };
const a: ShopperOutcome[] = [
  outcome({ sessions: 2, clicks: 1, purchases: 1, revenue: 20, discountGiven: 5, impressions: [0, 1, 0, 3] }),
  outcome({ sessions: 2, clicks: 0, impressions: [0, 1] }),
];
const everyone = [0, 1];

describe('metrics on a hand-worked population', () => {
  it('averages click-through and conversion per shopper', () => {
    // shopper 0: 1 click / 4 impressions, shopper 1: 0 / 2 → (0.25 + 0) / 2
    expect(metricValue('clickThrough', a, everyone, context)).toBeCloseTo(0.125);
    // 1 purchase / 2 sessions, 0 / 2 → 0.25
    expect(metricValue('conversion', a, everyone, context)).toBeCloseTo(0.25);
    expect(metricValue('revenuePerShopper', a, everyone, context)).toBe(10);
    expect(metricValue('discountPerShopper', a, everyone, context)).toBe(2.5);
  });

  it('measures coverage, concentration and small developers over the impressions', () => {
    // impressions: game 0 ×3, 1 ×2, 3 ×1 → 3 of 5 games seen
    expect(metricValue('coverage', a, everyone, context)).toBeCloseTo(0.6);
    // counts sorted [0, 0, 1, 2, 3], n = 5, Σ = 6: (−4·0 −2·0 + 0·1 + 2·2 + 4·3) / 30 = 16/30
    expect(metricValue('gini', a, everyone, context)).toBeCloseTo(16 / 30);
    expect(metricValue('smallDeveloperShare', a, everyone, context)).toBeCloseTo(1 / 6);
    // a resample with shopper 1 twice: only games 0 and 1 seen
    expect(metricValue('coverage', a, [1, 1], context)).toBeCloseTo(0.4);
  });

  it('computes Gini from its definition', () => {
    expect(gini([0, 0, 0, 4])).toBeCloseTo(0.75);
    expect(gini([1, 1, 1, 1])).toBe(0);
    expect(gini([0, 0])).toBe(0);
    expect(gini([1, 3])).toBeCloseTo(0.25); // (−1·1 + 1·3) / (2·4)
  });

  it('computes the same Gini from a histogram of whole counts', () => {
    expect(giniOfCounts([0, 0, 0, 4])).toBeCloseTo(0.75);
    expect(giniOfCounts([3, 0, 1, 2, 0])).toBeCloseTo(16 / 30);
    expect(giniOfCounts([0, 0])).toBe(0);
    const counts = Array.from({ length: 200 }, (_, i) => (i * 37) % 11);
    expect(giniOfCounts(counts, new Float64Array(4))).toBeCloseTo(gini(counts), 12);
  });

  it('calls a developer small at two games or fewer, and an unnamed one never', () => {
    const games = ['A', 'A', 'A', 'B', 'B', 'C', ''].map((developer) => ({ developer }));
    expect(Array.from(smallDeveloperItems(games))).toEqual([0, 0, 0, 1, 1, 1, 0]);
    expect(Array.from(smallDeveloperItems(games, 1))).toEqual([0, 0, 0, 0, 0, 1, 0]);
  });
});

describe('bootstrap intervals and paired differences', () => {
  it('gives the same interval as the mean bootstrap of ml/eval for a mean', () => {
    const values = [1, 4, 2, 8, 5, 7];
    const ours = bootstrapStatistic(
      values.length,
      (idx) => Array.from(idx).reduce((s, i) => s + values[i], 0) / idx.length,
      {
        seed: 7,
        resamples: 200,
      },
    );
    expect(ours).toEqual(bootstrapConfidenceInterval(values, { seed: 7, resamples: 200 }));
  });

  it('shifts a biased statistic by the bias: observed minus the mean of the resamples', () => {
    // two shoppers of values 0 and 1; the statistic is the max. Resamples draw (0,0), (0,1),
    // (1,0) or (1,1), so most maxima are 1 but a quarter are 0: a bias of 1 − mean(resampled maxima).
    const values = [0, 1];
    const max = (idx: ArrayLike<number>) => Math.max(...Array.from(idx, (i) => values[i]));
    const plain = bootstrapStatistic(2, max, { seed: 3, resamples: 400 });
    const corrected = bootstrapStatistic(2, max, { seed: 3, resamples: 400, correctBias: true });
    const shift = corrected.lower - plain.lower;
    expect(plain).toMatchObject({ mean: 1, lower: 0, upper: 1 });
    expect(shift).toBeGreaterThan(0.15); // ≈ 0.25
    expect(shift).toBeLessThan(0.35);
    expect(corrected.upper - plain.upper).toBeCloseTo(shift);
  });

  it('brackets the observed value', () => {
    const summary = summarize(a, context, { resamples: 100, seed: 1 });
    for (const interval of Object.values(summary)) {
      expect(interval.lower).toBeLessThanOrEqual(interval.mean + 1e-12);
      expect(interval.upper).toBeGreaterThanOrEqual(interval.mean - 1e-12);
    }
  });

  it('is exactly 0 for a strategy against itself, and the difference of the means otherwise', () => {
    const self = pairedDifference(a, a, context, { resamples: 50 });
    for (const interval of Object.values(self))
      expect(interval).toMatchObject({ mean: 0, lower: 0, upper: 0 });
    const b = a.map((o) => ({ ...o, revenue: o.revenue + 3 }));
    const diff = pairedDifference(b, a, context, { resamples: 50 });
    // every shopper earns $3 more in every resample: the interval collapses onto 3
    expect(diff.revenuePerShopper.mean).toBeCloseTo(3);
    expect(diff.revenuePerShopper.lower).toBeCloseTo(3);
    expect(diff.revenuePerShopper.upper).toBeCloseTo(3);
    expect(() => pairedDifference(a, a.slice(1), context)).toThrow(/same shoppers/);
  });
});
