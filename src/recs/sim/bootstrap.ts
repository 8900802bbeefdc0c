// A percentile bootstrap for any statistic of a sample of shoppers, not only a mean: catalog
// coverage, Gini and developer shares are properties of the whole population's impressions.
// Resamples are drawn exactly as ml/eval/statistics.ts draws them (n uniform indices per
// resample, the same quantile rule), so for a mean both give the same interval. Two
// statistics bootstrapped with the same seed see the same resamples: that is what makes a
// difference of two strategies on the same shoppers a paired one.
import type { ConfidenceInterval } from '../../ml/eval/statistics';
import { createRng } from '../../ml/random';

export interface StatisticBootstrapOptions {
  resamples?: number;
  confidence?: number;
  seed?: number;
  /**
   * Shift the interval by the bootstrap's bias (observed − mean of the resampled values). A
   * resample repeats some shoppers and leaves out about a third, so statistics of the whole
   * population's impressions (how many games were seen at all, how evenly) come out
   * systematically lower in resamples than in the sample; uncorrected, their interval would
   * sit below the observed value. Means have no such bias, and are left as they are.
   */
  correctBias?: boolean;
}

/** `statistic(indices)` reads the sample at those shopper indices (repeats allowed). */
export function bootstrapStatistic(
  sampleSize: number,
  statistic: (indices: ArrayLike<number>) => number,
  options: StatisticBootstrapOptions = {},
): ConfidenceInterval {
  const resamples = options.resamples ?? 1000;
  const confidence = options.confidence ?? 0.95;
  if (sampleSize === 0) return { mean: Number.NaN, lower: Number.NaN, upper: Number.NaN, confidence };
  const identity = Int32Array.from({ length: sampleSize }, (_, i) => i);
  const observed = statistic(identity);
  const random = createRng(options.seed ?? 0);
  const values = new Float64Array(resamples);
  const indices = new Int32Array(sampleSize);
  for (let r = 0; r < resamples; r++) {
    for (let i = 0; i < sampleSize; i++) indices[i] = random.nextInt(sampleSize);
    values[r] = statistic(indices);
  }
  let shift = 0;
  if (options.correctBias) {
    let sum = 0;
    for (const value of values) sum += value;
    shift = observed - sum / resamples;
  }
  values.sort();
  const alpha = 1 - confidence;
  const lowerIndex = Math.max(0, Math.floor((resamples * alpha) / 2));
  const upperIndex = Math.min(resamples - 1, Math.ceil(resamples * (1 - alpha / 2)) - 1);
  return { mean: observed, lower: values[lowerIndex] + shift, upper: values[upperIndex] + shift, confidence };
}
