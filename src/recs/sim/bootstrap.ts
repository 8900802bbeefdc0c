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

/**
 * Intervals for several statistics at once, each resample drawn once and read by all of them
 * (the simulator's metrics share one pass over the resampled shoppers). `statistic(indices)`
 * reads the sample at those shopper indices (repeats allowed) and returns one value per statistic;
 * `correctBiasOf[s]` says whether statistic s gets the bias shift described above.
 */
export function bootstrapStatistics(
  sampleSize: number,
  statistic: (indices: ArrayLike<number>) => ArrayLike<number>,
  options: StatisticBootstrapOptions & { correctBiasOf?: readonly boolean[] } = {},
): ConfidenceInterval[] {
  const resamples = options.resamples ?? 1000;
  const confidence = options.confidence ?? 0.95;
  const identity = Int32Array.from({ length: sampleSize }, (_, i) => i);
  const observed = Array.from(statistic(identity));
  if (sampleSize === 0) {
    return observed.map(() => ({ mean: Number.NaN, lower: Number.NaN, upper: Number.NaN, confidence }));
  }
  const random = createRng(options.seed ?? 0);
  const values = observed.map(() => new Float64Array(resamples));
  const indices = new Int32Array(sampleSize);
  for (let r = 0; r < resamples; r++) {
    for (let i = 0; i < sampleSize; i++) indices[i] = random.nextInt(sampleSize);
    const resampled = statistic(indices);
    for (let s = 0; s < observed.length; s++) values[s][r] = resampled[s];
  }
  const alpha = 1 - confidence;
  const lowerIndex = Math.max(0, Math.floor((resamples * alpha) / 2));
  const upperIndex = Math.min(resamples - 1, Math.ceil(resamples * (1 - alpha / 2)) - 1);
  return observed.map((value, s) => {
    const column = values[s];
    let shift = 0;
    if (options.correctBias || options.correctBiasOf?.[s]) {
      let sum = 0;
      for (const v of column) sum += v;
      shift = value - sum / resamples;
    }
    column.sort();
    return { mean: value, lower: column[lowerIndex] + shift, upper: column[upperIndex] + shift, confidence };
  });
}

/** One statistic's interval (see bootstrapStatistics). */
export function bootstrapStatistic(
  sampleSize: number,
  statistic: (indices: ArrayLike<number>) => number,
  options: StatisticBootstrapOptions = {},
): ConfidenceInterval {
  return bootstrapStatistics(sampleSize, (indices) => [statistic(indices)], options)[0];
}
