import { describe, expect, it } from 'vitest';
import { solveSymmetricPositiveDefinite } from '../models/linalg';
import { newtonMinimise, pairAccuracy, weightedLoss } from './pairObjective';

describe('the Cholesky solve Newton steps use (ml/models/linalg)', () => {
  it('solves a 2 × 2 system', () => {
    // [[4, 2], [2, 3]]⁻¹ = [[3, −2], [−2, 4]] / 8, so x = [3·2 − 2·1, −2·2 + 4·1] / 8 = [0.5, 0]
    const x = solveSymmetricPositiveDefinite(Float64Array.of(4, 2, 2, 3), Float64Array.of(2, 1), 2);
    expect(x[0]).toBeCloseTo(0.5, 12);
    expect(x[1]).toBeCloseTo(0, 12);
  });

  it('refuses a matrix that is not positive definite', () => {
    expect(() =>
      solveSymmetricPositiveDefinite(Float64Array.of(1, 2, 2, 1), Float64Array.of(1, 1), 2),
    ).toThrow('not positive definite');
  });
});

describe('the weighted pairwise loss', () => {
  // two pairs, d = (1, 0) and (0, −1), weights ¾ and ¼
  const pairs = { width: 2, differences: Float64Array.of(1, 0, 0, -1) };
  const pairWeight = Float64Array.of(0.75, 0.25);

  it('is Σ c·log(1 + e^(−w·d)) and counts pairs the right way round', () => {
    // w = (ln 3, ln 3): margins ln 3 and −ln 3; log(1 + 1/3) = ln(4/3), log(1 + 3) = ln 4
    const weights = [Math.log(3), Math.log(3)];
    expect(weightedLoss(pairs, pairWeight, weights)).toBeCloseTo(
      0.75 * Math.log(4 / 3) + 0.25 * Math.log(4),
      12,
    );
    expect(pairAccuracy(pairs, pairWeight, weights)).toBe(0.75);
    expect(pairAccuracy(pairs, pairWeight, [0, 0])).toBe(0.5);
  });

  it('Newton stops at the penalised optimum whatever the start', () => {
    // each weight has its own pair: w₁ solves ¾ σ(−w₁) = λ w₁, w₂ solves ¼ σ(w₂) = −λ w₂
    const settings = { l2: 0.1, maxIterations: 50, tolerance: 1e-14 };
    const fromZero = newtonMinimise(pairs, pairWeight, settings, new Float64Array(2));
    const fromFar = newtonMinimise(pairs, pairWeight, settings, Float64Array.of(30, 30));
    const [w1, w2] = fromZero.weights;
    expect(0.75 / (1 + Math.exp(w1))).toBeCloseTo(0.1 * w1, 10);
    expect(0.25 / (1 + Math.exp(-w2))).toBeCloseTo(-0.1 * w2, 10);
    expect(fromZero.converged && fromFar.converged).toBe(true);
    expect(fromFar.weights[0]).toBeCloseTo(w1, 9);
    expect(fromFar.weights[1]).toBeCloseTo(w2, 9);
  });
});
