import { describe, expect, it } from 'vitest';
import { createRng } from '../random';
import { blendScores, minMaxOver, minMaxScaled, trainLogisticRanker, unionOfTopK } from './logisticBlend';

describe('the candidate pool', () => {
  it("is the union of each list's top items, in list order, missing lists and filtered items skipped", () => {
    const first = Float32Array.from([0, 5, 4, 1]);
    const second = Float32Array.from([9, 0, 8, 7]);
    // top 2: first → 1, 2; second → 0, 2 (2 already in)
    expect(unionOfTopK([first, undefined, second], 2)).toEqual([1, 2, 0]);
    expect(unionOfTopK([first, second], 2, { exclude: new Set([2]) })).toEqual([1, 3, 0]);
  });
});

describe('min-max scaling over a pool', () => {
  const scores = Float32Array.from([10, 2, Number.NaN, 6, 100]);

  it('takes the low and span over the pool only, ignoring non-finite scores', () => {
    expect(minMaxOver(scores, [0, 1, 2, 3])).toEqual({ low: 2, span: 8 });
  });

  it('maps the pool to [0, 1] and keeps items outside it on the same line', () => {
    const scaling = minMaxOver(scores, [0, 1, 3]);
    expect([0, 1, 3].map((item) => minMaxScaled(scores, item, scaling))).toEqual([1, 0, 0.5]);
    expect(minMaxScaled(scores, 4, scaling)).toBe(12.25); // (100 − 2) / 8
    expect(minMaxScaled(scores, 2, scaling)).toBe(0); // not finite
  });

  it('reads 0 for a source that is constant over the pool', () => {
    const flat = Float32Array.from([3, 3, 3]);
    expect(minMaxScaled(flat, 0, minMaxOver(flat, [0, 1, 2]))).toBe(0);
  });
});

describe('blending', () => {
  it('is w · x + b per row, as wide as the weight vector', () => {
    const rows = Float32Array.from([1, 0, 0.5, 0.5, 0, 1]);
    expect(Array.from(blendScores({ weights: [2, -1], bias: 0.25 }, rows))).toEqual([2.25, 0.75, -0.75]);
  });
});

describe('the logistic ranker', () => {
  it('puts its weight on the one feature that tells positives from negatives', () => {
    // 400 examples over five features: feature 3 is high exactly for the positives, the rest is noise
    const rng = createRng(3);
    const width = 5;
    const informative = 3;
    const labels = Uint8Array.from({ length: 400 }, (_, i) => (i % 5 === 0 ? 1 : 0));
    const rows = new Float32Array(400 * width);
    labels.forEach((label, row) => {
      for (let f = 0; f < width; f++) rows[row * width + f] = rng.next();
      rows[row * width + informative] = label ? 0.7 + 0.3 * rng.next() : 0.6 * rng.next();
    });
    const model = trainLogisticRanker({ rows, labels });
    const weight = model.weights[informative];
    expect(weight).toBeGreaterThan(3);
    for (const [f, other] of model.weights.entries()) {
      if (f !== informative) expect(Math.abs(other)).toBeLessThan(weight / 4);
    }
  });

  it('needs both positives and negatives, and one row per label', () => {
    expect(() =>
      trainLogisticRanker({ rows: Float32Array.from([1, 2]), labels: Uint8Array.from([1, 1]) }),
    ).toThrow(/positive and negative/);
    expect(() =>
      trainLogisticRanker({ rows: Float32Array.from([1, 2, 3]), labels: Uint8Array.from([1, 0]) }),
    ).toThrow(/one row of features per label/);
  });
});
