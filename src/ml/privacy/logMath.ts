// Log-space arithmetic for the privacy accountant. The sampled Gaussian's moments mix terms from
// e^-700 to e^+800 at high orders, far outside a double, so every sum is done on logarithms.

/** log(e^a + e^b), exact when either is -Infinity. */
export function logAdd(a: number, b: number): number {
  if (a === -Infinity) return b;
  if (b === -Infinity) return a;
  const high = Math.max(a, b);
  return high + Math.log1p(Math.exp(Math.min(a, b) - high));
}

/** log(e^a - e^b) for a >= b; NaN when b > a, since the difference would be negative. */
export function logSubtract(a: number, b: number): number {
  if (b === -Infinity) return a;
  if (b > a) return NaN;
  if (b === a) return -Infinity;
  // log(e^a - e^b) = a + log(1 - e^(b-a)); expm1 keeps the precision when b is close to a
  return a + Math.log(-Math.expm1(b - a));
}

/** Below this, erfc(x) = 1 - erf(x) loses at most ~3 of a double's digits (erfc(2) ≈ 0.0047). */
const SERIES_LIMIT = 2;
const LOG_SQRT_PI = 0.5 * Math.log(Math.PI);

/**
 * erf(x) for 0 <= x < 2 by its series of positive terms, erf(x) = 2/√π·e^(-x²)·Σ 2ⁿx^(2n+1)/(2n+1)!!
 * (Abramowitz & Stegun 7.1.6): no cancellation, so exact to the last digit or two.
 */
function erfBySeries(x: number): number {
  let term = x;
  let sum = x;
  for (let n = 1; term > sum * 1e-17; n++) {
    term *= (2 * x * x) / (2 * n + 1);
    sum += term;
  }
  return (2 / Math.sqrt(Math.PI)) * Math.exp(-x * x) * sum;
}

/**
 * log(√π·e^(x²)·erfc(x)) for x >= 2 by the continued fraction 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + …))))
 * (A&S 7.1.14), evaluated by the modified Lentz method: a few dozen steps at x = 2, fewer beyond.
 */
function logScaledErfcByFraction(x: number): number {
  const tiny = 1e-300;
  let value = x;
  let c = x;
  let d = 0;
  for (let n = 1; n < 500; n++) {
    const a = n / 2;
    d = x + a * d;
    d = 1 / (Math.abs(d) < tiny ? tiny : d);
    c = x + a / c;
    if (Math.abs(c) < tiny) c = tiny;
    const delta = c * d;
    value *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return -Math.log(value);
}

/**
 * log(erfc(x)) to about 1e-15 relative, also far in the right tail where erfc itself underflows
 * (x > ~27). The privacy accountant's fractional series subtracts sums of erfc-weighted terms
 * that can be thousands of times its result, so an approximation good to 1e-7 (Numerical
 * Recipes' erfcc) would leave errors of 1e-4 in the RDP; this is exact to double precision.
 */
export function logErfc(x: number): number {
  // erfc(x) = 2 - erfc(-x) lies in (1, 2] for x < 0: no precision is at stake there
  if (x < 0) return Math.log(2 - Math.exp(logErfc(-x)));
  if (x < SERIES_LIMIT) return Math.log1p(-erfBySeries(x));
  return logScaledErfcByFraction(x) - x * x - LOG_SQRT_PI;
}
