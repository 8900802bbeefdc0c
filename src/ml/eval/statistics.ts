// Uncertainty for per-user metrics: a seeded percentile bootstrap for confidence intervals, and
// paired tests for "is model A really better than model B on the same users".
import { createRng } from '../random';

export function mean(values: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i];
  return values.length === 0 ? NaN : sum / values.length;
}

export interface ConfidenceInterval {
  mean: number;
  lower: number;
  upper: number;
  /** e.g. 0.95 */
  confidence: number;
}

export interface BootstrapOptions {
  /** number of resamples (default 1000) */
  resamples?: number;
  /** default 0.95 */
  confidence?: number;
  seed?: number;
}

/**
 * Percentile bootstrap CI of the mean: resample users with replacement, take each resample's
 * mean, and read the (1-c)/2 and (1+c)/2 quantiles of those means (lower: element
 * floor(R * (1-c)/2), upper: element ceil(R * (1+c)/2) - 1 of the sorted means).
 */
export function bootstrapConfidenceInterval(
  values: ArrayLike<number>,
  options: BootstrapOptions = {},
): ConfidenceInterval {
  const resamples = options.resamples ?? 1000;
  const confidence = options.confidence ?? 0.95;
  const n = values.length;
  const observed = mean(values);
  if (n === 0) return { mean: NaN, lower: NaN, upper: NaN, confidence };
  const random = createRng(options.seed ?? 0);
  const means = new Float64Array(resamples);
  for (let r = 0; r < resamples; r++) {
    let sum = 0;
    for (let i = 0; i < n; i++) sum += values[random.nextInt(n)];
    means[r] = sum / n;
  }
  means.sort();
  const alpha = 1 - confidence;
  const lowerIndex = Math.max(0, Math.floor((resamples * alpha) / 2));
  const upperIndex = Math.min(resamples - 1, Math.ceil(resamples * (1 - alpha / 2)) - 1);
  return { mean: observed, lower: means[lowerIndex], upper: means[upperIndex], confidence };
}

export interface PairedTestResult {
  /** mean of a[i] - b[i] */
  meanDifference: number;
  /** two-sided p-value for "no difference" */
  pValue: number;
}

export interface PairedTTestResult extends PairedTestResult {
  t: number;
  degreesOfFreedom: number;
  standardError: number;
}

function differences(a: ArrayLike<number>, b: ArrayLike<number>): Float64Array {
  if (a.length !== b.length)
    throw new RangeError(`paired samples differ in length: ${a.length} vs ${b.length}`);
  return Float64Array.from({ length: a.length }, (_, i) => a[i] - b[i]);
}

/**
 * Paired t-test on per-user differences (same users, same order). With identical differences the
 * standard error is 0: p is 1 when they are all zero, else 0.
 */
export function pairedTTest(a: ArrayLike<number>, b: ArrayLike<number>): PairedTTestResult {
  const d = differences(a, b);
  const n = d.length;
  if (n < 2) throw new RangeError('a paired t-test needs at least two pairs');
  const meanDifference = mean(d);
  let squares = 0;
  for (const value of d) squares += (value - meanDifference) ** 2;
  const standardError = Math.sqrt(squares / (n - 1) / n);
  const degreesOfFreedom = n - 1;
  if (standardError === 0) {
    const t = meanDifference === 0 ? 0 : Math.sign(meanDifference) * Infinity;
    return { meanDifference, t, degreesOfFreedom, standardError, pValue: meanDifference === 0 ? 1 : 0 };
  }
  const t = meanDifference / standardError;
  return {
    meanDifference,
    t,
    degreesOfFreedom,
    standardError,
    pValue: studentTTwoSidedP(t, degreesOfFreedom),
  };
}

export interface PermutationOptions {
  /** random sign flips when 2^n is larger than this (default 10000); exact enumeration otherwise */
  resamples?: number;
  seed?: number;
}

/**
 * Paired sign-flip permutation test: under "no difference" each user's difference is equally
 * likely to have either sign. p = share of sign assignments whose |mean| is at least the observed
 * |mean|. Exact (all 2^n assignments) when 2^n <= resamples; otherwise seeded Monte Carlo with
 * the add-one correction (count + 1) / (resamples + 1), which never reports p = 0.
 */
export function pairedPermutationTest(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  options: PermutationOptions = {},
): PairedTestResult {
  const d = differences(a, b);
  const n = d.length;
  const resamples = options.resamples ?? 10000;
  let observed = 0;
  for (const value of d) observed += value;
  const meanDifference = n === 0 ? NaN : observed / n;
  // compare sums, not means, with a tolerance for float noise in the sums
  const threshold = Math.abs(observed) - 1e-9 * (1 + Math.abs(observed));
  if (n <= 30 && 2 ** n <= resamples) {
    let extreme = 0;
    for (let mask = 0; mask < 2 ** n; mask++) {
      let sum = 0;
      for (let i = 0; i < n; i++) sum += mask & (1 << i) ? -d[i] : d[i];
      if (Math.abs(sum) >= threshold) extreme++;
    }
    return { meanDifference, pValue: extreme / 2 ** n };
  }
  const random = createRng(options.seed ?? 0);
  let extreme = 0;
  for (let r = 0; r < resamples; r++) {
    let sum = 0;
    for (let i = 0; i < n; i++) sum += random.next() < 0.5 ? -d[i] : d[i];
    if (Math.abs(sum) >= threshold) extreme++;
  }
  return { meanDifference, pValue: (extreme + 1) / (resamples + 1) };
}

/**
 * Bootstrap CI of the mean paired difference a[i] − b[i] (the same users, in the same order): the
 * interval the store's cards read to say one ranker beats another.
 */
export function pairedDifferenceInterval(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  options: BootstrapOptions = {},
): ConfidenceInterval {
  const differences = Float64Array.from({ length: a.length }, (_, i) => a[i] - b[i]);
  return bootstrapConfidenceInterval(differences, options);
}

export interface PairedComparison {
  /** mean of a[i] - b[i] */
  meanDifference: number;
  /** the paired t-test's p (NaN with fewer than two pairs) */
  tTestP: number;
  permutationP: number;
}

/** Both paired tests of a against b on the same users in the same order. */
export function pairedComparison(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  options: PermutationOptions = {},
): PairedComparison {
  const permutation = pairedPermutationTest(a, b, options);
  return {
    meanDifference: permutation.meanDifference,
    tTestP: a.length >= 2 ? pairedTTest(a, b).pValue : NaN,
    permutationP: permutation.pValue,
  };
}

/** Two-sided p of Student's t: P(|T| >= |t|) = I_{df/(df+t^2)}(df/2, 1/2). */
export function studentTTwoSidedP(t: number, degreesOfFreedom: number): number {
  if (!Number.isFinite(t)) return 0;
  const x = degreesOfFreedom / (degreesOfFreedom + t * t);
  return regularizedIncompleteBeta(x, degreesOfFreedom / 2, 0.5);
}

/** ln Γ(x) for x > 0 by the Lanczos approximation (g = 7, 9 terms; ~15 significant digits). */
export function logGamma(x: number): number {
  const coefficients = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
    12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
  ];
  if (x < 0.5) {
    // reflection: Γ(x) Γ(1-x) = π / sin(πx)
    return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - logGamma(1 - x);
  }
  const z = x - 1;
  let series = coefficients[0];
  for (let i = 1; i < 9; i++) series += coefficients[i] / (z + i);
  const w = z + 7.5;
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(w) - w + Math.log(series);
}

/**
 * Regularised incomplete beta I_x(a, b), by its continued fraction evaluated with the modified
 * Lentz method; the symmetry I_x(a,b) = 1 - I_{1-x}(b,a) keeps x on the side where the fraction
 * converges quickly.
 */
export function regularizedIncompleteBeta(x: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const logPrefactor = logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log(1 - x);
  if (x > (a + 1) / (a + b + 2)) return 1 - regularizedIncompleteBeta(1 - x, b, a);
  return (Math.exp(logPrefactor) / a) * betaContinuedFraction(x, a, b);
}

function betaContinuedFraction(x: number, a: number, b: number): number {
  const tiny = 1e-300;
  const guard = (value: number) => (Math.abs(value) < tiny ? tiny : value);
  let c = 1;
  let d = 1 / guard(1 - ((a + b) * x) / (a + 1));
  let result = d;
  for (let m = 1; m <= 300; m++) {
    // even step: d_{2m} = m (b - m) x / ((a + 2m - 1)(a + 2m))
    const even = (m * (b - m) * x) / ((a + 2 * m - 1) * (a + 2 * m));
    d = 1 / guard(1 + even * d);
    c = guard(1 + even / c);
    result *= d * c;
    // odd step: d_{2m+1} = -(a + m)(a + b + m) x / ((a + 2m)(a + 2m + 1))
    const odd = (-(a + m) * (a + b + m) * x) / ((a + 2 * m) * (a + 2 * m + 1));
    d = 1 / guard(1 + odd * d);
    c = guard(1 + odd / c);
    const step = d * c;
    result *= step;
    if (Math.abs(step - 1) < 1e-15) break;
  }
  return result;
}
