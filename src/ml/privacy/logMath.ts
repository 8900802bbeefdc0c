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

/**
 * log(erfc(x)), accurate in the far right tail where erfc itself underflows (x > ~27).
 *
 * The Chebyshev fit of Press et al., Numerical Recipes (2nd ed., §6.2, "erfcc"): erfc(x) =
 * t·exp(-x² + P(t)) with t = 1/(1 + x/2), relative error below 1.2e-7 for every x >= 0. Its
 * exponential form is what makes the log exact-in-form: log erfc = log t - x² + P(t), no
 * underflow. For x < 0, erfc(x) = 2 - erfc(-x) lies in (1, 2] and is computed directly.
 */
export function logErfc(x: number): number {
  if (x < 0) return Math.log(2 - Math.exp(logErfc(-x)));
  const t = 1 / (1 + 0.5 * x);
  const polynomial =
    -1.26551223 +
    t *
      (1.00002368 +
        t *
          (0.37409196 +
            t *
              (0.09678418 +
                t *
                  (-0.18628806 +
                    t *
                      (0.27886807 +
                        t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277))))))));
  return Math.log(t) - x * x + polynomial;
}
