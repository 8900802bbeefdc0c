import { describe, expect, it } from 'vitest';
import {
  DEFAULT_ORDERS,
  epsilonFromRdp,
  noiseMultiplierForEpsilon,
  privacySpent,
  rdpOfOneStep,
  rdpOfRun,
} from './accountant';
import { logAdd, logErfc, logSubtract } from './logMath';

/** Relative difference, for values that span many orders of magnitude. */
const relativeError = (actual: number, expected: number): number =>
  Math.abs(actual - expected) / Math.abs(expected);

/**
 * log A_α straight from its definition, E_{x~N(0,σ²)}[((1-q) + q·e^((2x-1)/(2σ²)))^α], by Simpson's
 * rule from -12σ to α + 12σ (the integrand's two bumps sit at 0 and at α): slow but independent of
 * the series, so it checks the series' algebra. TensorFlow Privacy's and dp_accounting's
 * test_compute_log_a_equals_mp check their series the same way, against mpmath's quadrature.
 */
function rdpByQuadrature(q: number, sigma: number, order: number): number {
  const intervals = 20_000;
  const low = -12 * sigma;
  const high = order + 12 * sigma + 1;
  const width = (high - low) / intervals;
  let sum = 0;
  for (let i = 0; i <= intervals; i++) {
    const x = low + i * width;
    const weight = i === 0 || i === intervals ? 1 : i % 2 ? 4 : 2;
    const density = Math.exp((-x * x) / (2 * sigma * sigma)) / (sigma * Math.sqrt(2 * Math.PI));
    // integrate (ratio^α - 1) rather than ratio^α: A_α - 1 is tiny and would drown in rounding
    sum +=
      weight * density * Math.expm1(order * Math.log1p(q * Math.expm1((2 * x - 1) / (2 * sigma * sigma))));
  }
  return Math.log1p((sum * width) / 3) / (order - 1);
}

describe('log-space helpers', () => {
  it('adds and subtracts in log space', () => {
    expect(logAdd(Math.log(2), Math.log(3))).toBeCloseTo(Math.log(5), 14);
    expect(logAdd(-Infinity, 1.5)).toBe(1.5);
    expect(logSubtract(Math.log(5), Math.log(3))).toBeCloseTo(Math.log(2), 14);
    expect(logSubtract(2, 2)).toBe(-Infinity);
    expect(logSubtract(1, 2)).toBeNaN();
  });

  it('gives log erfc to double precision, also far in the tail where erfc underflows', () => {
    // erfc(0) = 1, erfc(1) = 0.157299207050285, erfc(-1) = 1.842700792949715 and erfc(2) =
    // 1 - 0.995322265018953 (Abramowitz & Stegun table 7.1)
    expect(Math.abs(logErfc(0))).toBeLessThan(1e-15);
    expect(relativeError(Math.exp(logErfc(1)), 0.157299207050285)).toBeLessThan(1e-14);
    expect(relativeError(Math.exp(logErfc(-1)), 1.842700792949715)).toBeLessThan(1e-14);
    expect(relativeError(Math.exp(logErfc(2)), 0.004677734981047)).toBeLessThan(1e-12);
    // the series below 2 and the continued fraction from 2 meet: erfc' = -2/√π·e^(-x²)
    const step = 1e-6;
    const slope = (-2 / Math.sqrt(Math.PI)) * Math.exp(-4);
    expect(relativeError(Math.exp(logErfc(2 - step)), Math.exp(logErfc(2)) - step * slope)).toBeLessThan(
      1e-11,
    );
    // erfc(30) ≈ e^-900/(30√π)·(1 - 1/(2x²) + 3/(4x⁴)) underflows a double; its log must not
    const asymptotic = -900 - Math.log(30 * Math.sqrt(Math.PI)) + Math.log(1 - 1 / 1800 + 3 / (4 * 30 ** 4));
    expect(logErfc(30)).toBeCloseTo(asymptotic, 8); // the next term, -15/(8x⁶), is 2.6e-9
  });
});

describe('rdpOfOneStep', () => {
  it('is α/(2z²) exactly without subsampling (q = 1), the plain Gaussian mechanism', () => {
    // α = 3, z = 2: 3/(2·4) = 0.375; α = 1.5, z = 0.5: 1.5/(2·0.25) = 3
    expect(rdpOfOneStep(1, 2, 3)).toBe(0.375);
    expect(rdpOfOneStep(1, 0.5, 1.5)).toBe(3);
    // TensorFlow Privacy, rdp_accountant_test.py, test_compute_rdp_no_sampling: compute_rdp(q = 1,
    // z = 10, 1 step, α = 20) = 0.1
    expect(rdpOfOneStep(1, 10, 20)).toBeCloseTo(0.1, 15);
  });

  it('costs nothing when nobody is sampled and everything when there is no noise', () => {
    expect(rdpOfOneStep(0, 1, 2)).toBe(0);
    expect(rdpOfOneStep(0.1, 0, 2)).toBe(Infinity);
  });

  it('matches the closed form at α = 2: log(1 + q²(e^(1/z²) - 1))', () => {
    // the binomial expansion at α = 2 has three terms, (1-q)² + 2q(1-q) + q²e^(1/z²) = 1 + q²(e^(1/z²) - 1)
    const q = 0.1;
    const z = 1.3;
    expect(rdpOfOneStep(q, z, 2)).toBeCloseTo(Math.log1p(q * q * Math.expm1(1 / (z * z))), 14);
  });

  it.each([
    [0.01, 2.5, 1.5],
    [0.01, 2.5, 2.5],
    [0.1, 1, 3.7],
    [0.5, 0.8, 1.3],
    [0.04, 1.5, 3.9],
    // q >= 0.25 near α = 1, where the series used to stop after 100,000 terms without converging
    [0.25, 1, 1.1],
    [0.5, 0.8, 1.1],
    [0.7, 2, 1.01],
    [0.9, 0.5, 2.5],
  ])('agrees at fractional order with the integral itself (q = %f, z = %f, α = %f)', (q, z, order) => {
    expect(relativeError(rdpOfOneStep(q, z, order), rdpByQuadrature(q, z, order))).toBeLessThan(1e-8);
  });

  it('matches the integral where TensorFlow Privacy checks a fractional order at q near 1', () => {
    // rdp_accountant_test.py (and dp_accounting's rdp_privacy_accountant_test.py),
    // test_compute_log_a_equals_mp: q = .999, σ = 100, α = 256.1 against mpmath, rtol 1e-4
    const [q, z, order] = [0.999, 100, 256.1];
    expect(relativeError(rdpOfOneStep(q, z, order), rdpByQuadrature(q, z, order))).toBeLessThan(1e-4);
  });

  it('is finite, positive and grows with the order for every q up to 1, Opacus’s grid included', () => {
    const orders = [1.01, 1.1, 1.5, 2.5, 10.5, 63.5];
    for (const q of [0.25, 0.5, 0.9, 0.999, 1]) {
      for (const z of [0.3, 1, 5]) {
        const rdp = orders.map((order) => rdpOfOneStep(q, z, order));
        expect(rdp.every((value) => Number.isFinite(value) && value > 0)).toBe(true);
        // the Rényi divergence never decreases with its order (van Erven & Harremoës 2014, Thm. 3)
        rdp.slice(1).forEach((value, i) => expect(value).toBeGreaterThanOrEqual(rdp[i] * (1 - 1e-9)));
      }
    }
  });

  it('rejects orders that are not above 1', () => {
    expect(() => rdpOfOneStep(0.1, 1, 1)).toThrow(/order must be a finite number > 1/);
  });
});

describe('rdpOfRun against Google dp_accounting', () => {
  // github.com/google/differential-privacy, python/dp_accounting/dp_accounting/rdp/
  // rdp_privacy_accountant_test.py, test_compute_rdp_poisson_sampled_gaussian: q = 0.01, z = 2.5,
  // 50 steps, orders [1.5, 2.5, 5, 50, 100] → [6.70579741e-04, 1.08548710e-03, 2.18075656e-03,
  // 2.38460375e-02, 1.67416308e02], compared there with rtol 1e-4.
  const run = { samplingRate: 0.01, noiseMultiplier: 2.5, steps: 50 };

  it('matches the integer orders to the published digits', () => {
    const [five, fifty, hundred] = rdpOfRun(run, [5, 50, 100]);
    expect(relativeError(five, 2.18075656e-3)).toBeLessThan(1e-8);
    expect(relativeError(fifty, 2.38460375e-2)).toBeLessThan(1e-8);
    expect(relativeError(hundred, 1.67416308e2)).toBeLessThan(1e-8);
  });

  it('matches α = 1.5 and 2.5 within the published tolerance', () => {
    // TensorFlow Privacy, rdp_accountant_test.py, test_compute_rdp_sequence: the same run, orders
    // [1.5, 2.5, …] → [0.00065, 0.001085, …], compared there to 1e-5 absolute
    expect(Math.abs(rdpOfRun(run, [1.5])[0] - 0.00065)).toBeLessThan(1e-5);
    expect(relativeError(rdpOfRun(run, [2.5])[0], 1.0854871e-3)).toBeLessThan(1e-4);
  });

  it('is exact at α = 1.5, below the published value, which is an upper bound', () => {
    // That version of dp_accounting adds |C(α,k)|-weighted terms without their alternating
    // signs, an upper bound 3% above the integral here; the integral itself is 50 × 1.30014e-5.
    const [rdp] = rdpOfRun(run, [1.5]);
    expect(relativeError(rdp, 50 * rdpByQuadrature(0.01, 2.5, 1.5))).toBeLessThan(1e-6);
    expect(rdp).toBeLessThan(6.70579741e-4);
  });
});

describe('epsilonFromRdp', () => {
  it('converts a constant RDP curve as dp_accounting does (Balle et al. 2020)', () => {
    // rdp_privacy_accountant_test.py, test_compute_epsilon_delta_pure_dp: orders 2..32, RDP 1.1,
    // δ = 1e-5 → ε = 1.32783806176 at order 32. By hand at α = 32:
    // 1.1 + log(31/32) - (log(1e-5) + log 32)/31 = 1.1 - 0.0317487 + 0.2595867 = 1.3278380.
    const orders = Array.from({ length: 31 }, (_, i) => i + 2);
    const spent = epsilonFromRdp(
      orders.map(() => 1.1),
      orders,
      1e-5,
    );
    expect(spent.epsilon).toBeCloseTo(1.32783806176, 10);
    expect(spent.order).toBe(32);
  });

  it('gives the classic bound rdp + log(1/δ)/(α-1) when asked', () => {
    // α = 11, rdp = 0.5, δ = 1e-5: 0.5 + 11.512925465/10 = 1.6512925465
    expect(epsilonFromRdp([0.5], [11], 1e-5, 'classic').epsilon).toBeCloseTo(1.6512925465, 9);
  });

  it('clamps a negative bound to zero and rejects a bad δ or mismatched lengths', () => {
    // α = 63, rdp = 0.001, δ = 0.9: 0.001 + log(62/63) - (log 0.9 + log 63)/62 = 0.001 - 0.0160 - 0.0651 < 0
    expect(epsilonFromRdp([0.001], [63], 0.9).epsilon).toBe(0);
    expect(() => epsilonFromRdp([1], [2], 0)).toThrow(/δ must lie in \(0, 1\)/);
    expect(() => epsilonFromRdp([1, 2], [2], 1e-5)).toThrow(/one RDP value per order/);
  });
});

describe('privacySpent', () => {
  it('matches Opacus: q = 0.04, z = 1.5, 2250 steps, δ = 1e-5 → ε = 7.32911117143', () => {
    // github.com/pytorch/opacus, opacus/tests/accountants_test.py, test_rdp_accountant
    // (RDPAccountant with DEFAULT_ALPHAS, steps = int(90 / 0.04) = 2250)
    const spent = privacySpent({ samplingRate: 0.04, noiseMultiplier: 1.5, steps: 2250 }, 1e-5);
    expect(spent.epsilon).toBeCloseTo(7.32911117143, 7);
  });

  it('matches the Opacus docs example: q = 0.01, z = 1, 300 steps, orders [2,5,10,20,100] → ε 2.39 at α 5', () => {
    // https://opacus.ai/api/compute_dp_sgd_privacy.html
    const spent = privacySpent(
      { samplingRate: 0.01, noiseMultiplier: 1, steps: 300 },
      1e-5,
      [2, 5, 10, 20, 100],
    );
    expect(spent.epsilon).toBeCloseTo(2.39, 2);
    expect(spent.order).toBe(5);
  });

  it('is never looser with Balle et al. 2020 than with the classic conversion', () => {
    const run = { samplingRate: 256 / 60000, noiseMultiplier: 1.1, steps: Math.ceil((60 * 60000) / 256) };
    const improved = privacySpent(run, 1e-5);
    const classic = privacySpent(run, 1e-5, DEFAULT_ORDERS, 'classic');
    expect(improved.epsilon).toBeLessThan(classic.epsilon);
  });

  it('matches dp_accounting on the plain Gaussian at 99,000 fractional orders: z = 4.530877117 is (1, 1e-6)-DP', () => {
    // rdp_privacy_accountant_test.py, test_compute_epsilon_delta_gaussian: orders 1.000…99.999 by
    // 0.001, q = 1, one step, δ = 1e-6 → ε = 1 (assertAlmostEqual: 7 places)
    const orders = Array.from({ length: 99_000 }, (_, i) => (1000 + i) / 1000).filter((order) => order > 1);
    const spent = privacySpent({ samplingRate: 1, noiseMultiplier: 4.530877117, steps: 1 }, 1e-6, orders);
    expect(spent.epsilon).toBeCloseTo(1, 7);
  });

  it('spends nothing over zero steps and rejects impossible parameters', () => {
    expect(privacySpent({ samplingRate: 0.1, noiseMultiplier: 1, steps: 0 }, 1e-5).epsilon).toBe(0);
    expect(() => privacySpent({ samplingRate: 1.5, noiseMultiplier: 1, steps: 1 }, 1e-5)).toThrow(
      /sampling rate/,
    );
    expect(() => privacySpent({ samplingRate: 0.1, noiseMultiplier: -1, steps: 1 }, 1e-5)).toThrow(
      /noise multiplier/,
    );
    expect(() => privacySpent({ samplingRate: 0.1, noiseMultiplier: 1, steps: 2.5 }, 1e-5)).toThrow(/steps/);
  });

  it('lists the Opacus default orders: 1.1…10.9 by tenths, then 12…63', () => {
    expect(DEFAULT_ORDERS).toHaveLength(99 + 52);
    expect(DEFAULT_ORDERS[0]).toBeCloseTo(1.1, 12);
    expect(DEFAULT_ORDERS[98]).toBeCloseTo(10.9, 12);
    expect(DEFAULT_ORDERS.slice(99, 101)).toEqual([12, 13]);
    expect(DEFAULT_ORDERS.at(-1)).toBe(63);
  });
});

describe('noiseMultiplierForEpsilon', () => {
  const setting = { delta: 1e-5, samplingRate: 0.04, steps: 2250 };

  it('round-trips: the z it finds spends the target ε, and a little less noise would overspend', () => {
    const z = noiseMultiplierForEpsilon({ ...setting, targetEpsilon: 8 });
    const spentAt = (noiseMultiplier: number): number =>
      privacySpent({ ...setting, noiseMultiplier }, setting.delta).epsilon;
    expect(spentAt(z)).toBeLessThanOrEqual(8);
    expect(spentAt(z)).toBeGreaterThan(8 - 1e-4);
    expect(spentAt(z - 1e-5)).toBeGreaterThan(8);
  });

  it('says so when no reasonable noise reaches the target', () => {
    expect(() => noiseMultiplierForEpsilon({ ...setting, targetEpsilon: 1e-9 })).toThrow(
      /No noise multiplier/,
    );
    expect(() => noiseMultiplierForEpsilon({ ...setting, targetEpsilon: 0 })).toThrow(/target ε/);
  });
});
