import { describe, expect, it } from 'vitest';
import {
  bootstrapConfidenceInterval,
  logGamma,
  mean,
  pairedPermutationTest,
  pairedComparison,
  pairedDifferenceInterval,
  pairedTTest,
  studentTTwoSidedP,
} from './statistics';

describe('Student t distribution', () => {
  it('matches reference values', () => {
    expect(logGamma(5)).toBeCloseTo(Math.log(24), 12);
    expect(logGamma(0.5)).toBeCloseTo(Math.log(Math.sqrt(Math.PI)), 12);
    // df = 1 is the Cauchy distribution: P(|T| >= 1) = 1/2
    expect(studentTTwoSidedP(1, 1)).toBeCloseTo(0.5, 10);
    // the textbook 5% critical value for df = 10 is t = 2.228139
    expect(studentTTwoSidedP(2.228138852, 10)).toBeCloseTo(0.05, 8);
    // scipy.stats.t.sf(3, 5) * 2 = 0.030099247897462586
    expect(studentTTwoSidedP(3, 5)).toBeCloseTo(0.030099247897, 10);
  });
});

describe('pairedTTest', () => {
  it('works a small example', () => {
    // differences 1, 0, 2, 2: mean 1.25; squared deviations 0.0625 + 1.5625 + 0.5625 + 0.5625 = 2.75
    // sd = sqrt(2.75 / 3) = 0.957427; se = sd / 2 = 0.478714; t = 2.611165 on 3 df
    // scipy.stats.ttest_rel gives t = 2.6111648393354674, p = 0.0796049808179063
    const result = pairedTTest([1, 2, 3, 4], [0, 2, 1, 2]);
    expect(result.meanDifference).toBe(1.25);
    expect(result.t).toBeCloseTo(2.6111648393354674, 10);
    expect(result.degreesOfFreedom).toBe(3);
    expect(result.pValue).toBeCloseTo(0.0796049808179063, 10);
  });

  it('handles zero spread and mismatched lengths', () => {
    expect(pairedTTest([1, 1, 1], [1, 1, 1]).pValue).toBe(1);
    expect(pairedTTest([2, 2, 2], [1, 1, 1]).pValue).toBe(0);
    expect(() => pairedTTest([1, 2], [1])).toThrow('differ in length');
  });
});

describe('pairedPermutationTest', () => {
  it('enumerates all sign flips for a small sample', () => {
    // differences 1, 0, 2, 2 (sum 5): of the 16 sign patterns only "all +" and "all -" of the
    // non-zero ones reach |sum| = 5, each twice (the zero's sign does not matter) -> 4/16
    const result = pairedPermutationTest([1, 2, 3, 4], [0, 2, 1, 2]);
    expect(result.meanDifference).toBe(1.25);
    expect(result.pValue).toBe(0.25);
  });

  it('samples sign flips for a larger one, seeded, never reporting zero', () => {
    // 20 users all better by 1: only 2 of 2^20 patterns are as extreme, so p ~ 1/(R + 1)
    const better = new Array(20).fill(1);
    const zero = new Array(20).fill(0);
    const result = pairedPermutationTest(better, zero, { resamples: 2000, seed: 3 });
    expect(result.pValue).toBeGreaterThanOrEqual(1 / 2001);
    expect(result.pValue).toBeLessThan(0.002);
    // no difference at all: every pattern is "as extreme"
    expect(pairedPermutationTest(zero, zero, { resamples: 2000 }).pValue).toBe(1);
  });
});

describe('pairedComparison', () => {
  it('gives both tests of a against b, by hand', () => {
    // differences 1, 0, 1: mean 2/3, sd sqrt(1/3), se 1/3, t = 2 on 2 df: p = 1 - 2/sqrt(6);
    // of the 8 sign flips, the 4 that keep both ones alike reach |sum| 2: p = 0.5
    const result = pairedComparison([1, 0, 1], [0, 0, 0]);
    expect(result.meanDifference).toBeCloseTo(2 / 3, 12);
    expect(result.tTestP).toBeCloseTo(1 - 2 / Math.sqrt(6), 6);
    expect(result.permutationP).toBe(0.5);
    expect(pairedComparison([1], [0]).tTestP).toBeNaN();
  });
});

describe('pairedDifferenceInterval', () => {
  it('is the bootstrap interval of a[i] − b[i], pair by pair', () => {
    // every pair differs by exactly 1, so every resample's mean is 1
    expect(pairedDifferenceInterval([2, 5, 9], [1, 4, 8], { resamples: 50, seed: 3 })).toEqual({
      mean: 1,
      lower: 1,
      upper: 1,
      confidence: 0.95,
    });
    // differences [2, −2]: the mean 0, and the same resamples as bootstrapping [2, −2] itself
    const options = { resamples: 200, seed: 7 };
    expect(pairedDifferenceInterval([3, 1], [1, 3], options)).toEqual(
      bootstrapConfidenceInterval([2, -2], options),
    );
    expect(pairedDifferenceInterval([3, 1], [1, 3], options).mean).toBe(0);
  });
});

describe('bootstrapConfidenceInterval', () => {
  it('collapses on constant data and spans the data for two points', () => {
    expect(bootstrapConfidenceInterval([0.3, 0.3, 0.3])).toMatchObject({ mean: 0.3, lower: 0.3, upper: 0.3 });
    // resamples of [0, 1] have means 0, 0.5, 1 with chances 1/4, 1/2, 1/4: the 2.5% and 97.5%
    // quantiles are 0 and 1
    const ci = bootstrapConfidenceInterval([0, 1], { resamples: 4000, seed: 1 });
    expect([ci.lower, ci.mean, ci.upper]).toEqual([0, 0.5, 1]);
  });

  it('is close to the normal interval for a large sample, and replays from its seed', () => {
    // 200 users, half hit: normal 95% CI 0.5 ± 1.96 * sqrt(0.25 / 200) = 0.5 ± 0.069
    const hits = Array.from({ length: 200 }, (_, i) => i % 2);
    const ci = bootstrapConfidenceInterval(hits, { seed: 9 });
    expect(mean(hits)).toBe(0.5);
    expect(ci.lower).toBeGreaterThan(0.41);
    expect(ci.lower).toBeLessThan(0.46);
    expect(ci.upper).toBeGreaterThan(0.54);
    expect(ci.upper).toBeLessThan(0.59);
    expect(bootstrapConfidenceInterval(hits, { seed: 9 })).toEqual(ci);
  });
});
