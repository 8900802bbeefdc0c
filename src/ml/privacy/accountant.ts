// A Rényi-DP accountant for the sampled Gaussian mechanism: each of T steps includes every shopper
// independently with probability q (Poisson sampling), clips their contribution to L2 norm C and
// adds N(0, (z·C)²) noise. It answers "what (ε, δ) does that cost?" and "what z buys a target ε?".
//
// The maths is Mironov, Talwar, Zhang 2019, "Rényi Differential Privacy of the Sampled Gaussian
// Mechanism" (arXiv:1908.10530), §3: the RDP at order α of one step is log(A_α)/(α-1) with
//   A_α = E_{x~N(0,σ²)} [((1-q) + q·exp((2x-1)/(2σ²)))^α],   σ = z (the sensitivity is 1 after scaling),
// evaluated by the binomial expansion for integer α and by the split series for fractional α.
// RDP composes by addition, so T steps cost T times one step.

import { logAdd, logErfc, logSubtract } from './logMath';

/**
 * The orders Opacus's RDPAccountant uses by default (1.1, 1.2, …, 10.9, then 12, …, 63): dense
 * near 1 where small ε are won, sparse above where only large budgets are.
 */
export const DEFAULT_ORDERS: readonly number[] = [
  ...Array.from({ length: 99 }, (_, i) => 1 + (i + 1) / 10),
  ...Array.from({ length: 52 }, (_, i) => 12 + i),
];

export interface SampledGaussian {
  /** probability that one shopper takes part in a step, in [0, 1] */
  samplingRate: number;
  /** noise standard deviation divided by the clipping norm, >= 0 */
  noiseMultiplier: number;
  /** how many steps (rounds) the mechanism is repeated, a non-negative integer */
  steps: number;
}

/**
 * Which RDP → (ε, δ) conversion to use.
 * - `classic`: ε = rdp + log(1/δ)/(α-1), Mironov 2017 ("Rényi Differential Privacy", Prop. 3).
 * - `balle2020`: ε = rdp + log((α-1)/α) - (log δ + log α)/(α-1), Balle et al. 2020 ("Hypothesis
 *   testing interpretations and Renyi differential privacy", Thm. 21); never larger than
 *   `classic` for α > 1, and what Opacus and Google's dp_accounting report.
 */
export type Conversion = 'classic' | 'balle2020';

export interface PrivacySpent {
  epsilon: number;
  delta: number;
  /** the order at which the bound was tightest */
  order: number;
}

/**
 * How precisely the fractional series is summed: the first omitted term, which bounds the error of
 * an alternating series, must be below this fraction of log A_α (so the RDP's relative error is
 * below it too), or below e^-40·A_α, which a double cannot resolve anyway.
 */
const SERIES_RELATIVE_TOLERANCE = 1e-10;
const LOG_UNRESOLVABLE = -40;
/** A safeguard only: the tolerance above took at most 11,000 terms in every case measured (q = 0.5, σ = 5, α = 1.1). */
const MAX_SERIES_TERMS = 1_000_000;

function checkMechanism({ samplingRate, noiseMultiplier, steps }: SampledGaussian): void {
  if (!(samplingRate >= 0 && samplingRate <= 1)) {
    throw new RangeError(`The sampling rate must lie in [0, 1], got ${samplingRate}.`);
  }
  if (!(noiseMultiplier >= 0) || !Number.isFinite(noiseMultiplier)) {
    throw new RangeError(`The noise multiplier must be a finite number >= 0, got ${noiseMultiplier}.`);
  }
  if (!Number.isInteger(steps) || steps < 0) {
    throw new RangeError(`The number of steps must be a whole number >= 0, got ${steps}.`);
  }
}

function checkOrder(order: number): void {
  if (!(order > 1) || !Number.isFinite(order)) {
    throw new RangeError(`An RDP order must be a finite number > 1, got ${order}.`);
  }
}

/** log of (1-q)^(α-m) q^m e^((m²-m)/(2σ²)): the m-th term of A_α's expansion, without C(α,m). */
function logExpansionTerm(q: number, sigma: number, order: number, m: number): number {
  return (order - m) * Math.log1p(-q) + m * Math.log(q) + (m * m - m) / (2 * sigma * sigma);
}

/**
 * log A_α for integer α: A_α = Σ_{k=0..α} C(α,k) (1-q)^(α-k) q^k exp((k²-k)/(2σ²)), all terms
 * positive, so one log-sum.
 */
function logMomentIntegerOrder(q: number, sigma: number, order: number): number {
  let logTotal = -Infinity;
  let logBinomial = 0; // log C(α, 0)
  for (let k = 0; k <= order; k++) {
    logTotal = logAdd(logTotal, logBinomial + logExpansionTerm(q, sigma, order, k));
    logBinomial += Math.log((order - k) / (k + 1));
  }
  return logTotal;
}

/**
 * log A_α for fractional α. The integrand's two mixture terms swap dominance at
 * x₀ = σ² log(1/q - 1) + 1/2; below x₀ it is expanded in powers of q·exp(…)/(1-q), above in powers
 * of (1-q)/(q·exp(…)), each converging there. Integrating term k against N(0,σ²) over each half
 * line gives a Gaussian tail, ½·erfc(…), hence
 *   A_α = Σ_k C(α,k) [ (1-q)^(α-k) q^k e^((k²-k)/(2σ²)) ½erfc((k-x₀)/(√2σ))
 *                    + (1-q)^k q^(α-k) e^(((α-k)²-(α-k))/(2σ²)) ½erfc((x₀-(α-k))/(√2σ)) ].
 * For k > α the generalised binomial C(α,k) alternates in sign, so positive and negative terms
 * are summed apart in log space and subtracted.
 *
 * The tail does not shrink geometrically: near x₀ the expansion's ratio is close to 1, and past
 * k ≈ x₀ the Gaussian weight and e^((k²-k)/(2σ²)) cancel, leaving terms of about
 * |C(α,k)|·(1-q)^α·e^(-x₀²/(2σ²))·σ/k, which fall only like k^-(α+2). For small q, x₀ lies far out
 * in the Gaussian tail and e^(-x₀²/(2σ²)) makes every such term negligible at once; for q ≥ 0.25,
 * x₀ ≤ σ²·log 3 + 1/2 sits in the bulk, and a fixed cut-off of e^-40 took 107,000 terms at q = 0.25,
 * σ = 1, α = 1.1 and 235,000 at q = 0.5, σ = 5 (past the old 100,000-term limit; TensorFlow
 * Privacy's and Opacus's e^-30 take 3,400 and 7,500). The series now stops once an alternating,
 * shrinking term (which bounds the error of what is left) is below SERIES_RELATIVE_TOLERANCE of
 * log A_α: 2,600 and 11,000 terms there. Its terms are thousands of times larger than log A_α
 * when q is large, so they need erfc to double precision (logMath.ts).
 */
function logMomentFractionalOrder(q: number, sigma: number, order: number): number {
  let logPositive = -Infinity;
  let logNegative = -Infinity;
  const splitPoint = sigma * sigma * Math.log(1 / q - 1) + 0.5;
  const logHalf = Math.log(0.5);
  const tailScale = Math.SQRT2 * sigma;
  let logAbsBinomial = 0; // log |C(α, 0)|
  let binomialSign = 1;
  let logPreviousTerm = Infinity;
  for (let k = 0; k < MAX_SERIES_TERMS; k++) {
    const j = order - k;
    // the expansion's term k below x₀, and its term α-k above (where the roles of q and 1-q swap)
    const logLowerTerm =
      logAbsBinomial + logExpansionTerm(q, sigma, order, k) + logHalf + logErfc((k - splitPoint) / tailScale);
    const logUpperTerm =
      logAbsBinomial + logExpansionTerm(q, sigma, order, j) + logHalf + logErfc((splitPoint - j) / tailScale);
    const logTerm = logAdd(logLowerTerm, logUpperTerm);
    if (binomialSign > 0) logPositive = logAdd(logPositive, logTerm);
    else logNegative = logAdd(logNegative, logTerm);
    if (k > order && logTerm < logPreviousTerm) {
      const logMoment = logSubtract(logPositive, logNegative);
      // log A_α >= 0 (Jensen), so log(log A_α) is -Infinity only when A_α rounds to 1
      const logPrecision = Math.max(Math.log(SERIES_RELATIVE_TOLERANCE * logMoment), LOG_UNRESOLVABLE);
      if (logTerm < logMoment + logPrecision) return logMoment;
    }
    logPreviousTerm = logTerm;
    // C(α, k+1) = C(α, k)·(α-k)/(k+1); the factor turns negative once k passes α
    const ratio = (order - k) / (k + 1);
    logAbsBinomial += Math.log(Math.abs(ratio));
    if (ratio < 0) binomialSign = -binomialSign;
  }
  throw new Error(
    `The RDP series at order ${order} (q = ${q}, σ = ${sigma}) did not converge in ${MAX_SERIES_TERMS} terms.`,
  );
}

/** RDP of one step of the sampled Gaussian mechanism at one order (Infinity when σ = 0). */
export function rdpOfOneStep(samplingRate: number, noiseMultiplier: number, order: number): number {
  checkOrder(order);
  if (samplingRate === 0) return 0;
  if (noiseMultiplier === 0) return Infinity;
  // Without subsampling it is the plain Gaussian mechanism, whose RDP is α/(2σ²) exactly.
  if (samplingRate === 1) return order / (2 * noiseMultiplier * noiseMultiplier);
  const logMoment = Number.isInteger(order)
    ? logMomentIntegerOrder(samplingRate, noiseMultiplier, order)
    : logMomentFractionalOrder(samplingRate, noiseMultiplier, order);
  return logMoment / (order - 1);
}

/** RDP of the whole run, one value per order: T times one step, since RDP composes additively. */
export function rdpOfRun(mechanism: SampledGaussian, orders: readonly number[] = DEFAULT_ORDERS): number[] {
  checkMechanism(mechanism);
  if (mechanism.steps === 0) return orders.map(() => 0);
  return orders.map(
    (order) => mechanism.steps * rdpOfOneStep(mechanism.samplingRate, mechanism.noiseMultiplier, order),
  );
}

/** ε at one order for the chosen conversion; a negative bound means (0, δ)-DP, so it is clamped. */
function epsilonAtOrder(rdp: number, order: number, delta: number, conversion: Conversion): number {
  // A Rényi divergence of 0 means the two output distributions are identical: no loss at all,
  // which the finite-order formulas below would only approach as α grows.
  if (rdp === 0) return 0;
  const epsilon =
    conversion === 'classic'
      ? rdp + Math.log(1 / delta) / (order - 1)
      : rdp + Math.log((order - 1) / order) - (Math.log(delta) + Math.log(order)) / (order - 1);
  return Math.max(0, epsilon);
}

/** The tightest (ε, δ) over the orders for given RDP values; ε is Infinity when every order is. */
export function epsilonFromRdp(
  rdp: readonly number[],
  orders: readonly number[],
  delta: number,
  conversion: Conversion = 'balle2020',
): PrivacySpent {
  if (rdp.length !== orders.length || orders.length === 0) {
    throw new RangeError(
      `Need one RDP value per order (got ${rdp.length} values for ${orders.length} orders).`,
    );
  }
  if (!(delta > 0 && delta < 1)) throw new RangeError(`δ must lie in (0, 1), got ${delta}.`);
  let best: PrivacySpent = { epsilon: Infinity, delta, order: orders[0] };
  orders.forEach((order, i) => {
    checkOrder(order);
    const epsilon = epsilonAtOrder(rdp[i], order, delta, conversion);
    if (epsilon < best.epsilon) best = { epsilon, delta, order };
  });
  return best;
}

/** (ε, δ) spent by a run of the sampled Gaussian mechanism. */
export function privacySpent(
  mechanism: SampledGaussian,
  delta: number,
  orders: readonly number[] = DEFAULT_ORDERS,
  conversion: Conversion = 'balle2020',
): PrivacySpent {
  return epsilonFromRdp(rdpOfRun(mechanism, orders), orders, delta, conversion);
}

export interface NoiseSearch {
  targetEpsilon: number;
  delta: number;
  samplingRate: number;
  steps: number;
  orders?: readonly number[];
  conversion?: Conversion;
  /** stop when the bracket on z is narrower than this; default 1e-6 */
  tolerance?: number;
}

/** Beyond this multiplier the target is treated as unreachable (the updates would be pure noise). */
const MAX_NOISE_MULTIPLIER = 1e4;

/**
 * The smallest noise multiplier z (to within `tolerance`) whose run spends at most the target ε.
 * ε falls as z grows, so it brackets z by doubling and then bisects, always returning the upper
 * end: the answer errs towards more noise, never towards overspending the budget.
 */
export function noiseMultiplierForEpsilon(search: NoiseSearch): number {
  const {
    targetEpsilon,
    delta,
    samplingRate,
    steps,
    orders = DEFAULT_ORDERS,
    conversion,
    tolerance = 1e-6,
  } = search;
  if (!(targetEpsilon > 0) || !Number.isFinite(targetEpsilon)) {
    throw new RangeError(`The target ε must be a finite number > 0, got ${targetEpsilon}.`);
  }
  const epsilonAt = (noiseMultiplier: number): number =>
    privacySpent({ samplingRate, noiseMultiplier, steps }, delta, orders, conversion).epsilon;
  let low = 0;
  let high = 1;
  while (epsilonAt(high) > targetEpsilon) {
    low = high;
    high *= 2;
    if (high > MAX_NOISE_MULTIPLIER) {
      throw new RangeError(`No noise multiplier up to ${MAX_NOISE_MULTIPLIER} reaches ε = ${targetEpsilon}.`);
    }
  }
  while (high - low > tolerance) {
    const middle = (low + high) / 2;
    if (epsilonAt(middle) > targetEpsilon) low = middle;
    else high = middle;
  }
  return high;
}
