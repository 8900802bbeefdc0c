import { describe, expect, it } from 'vitest';
import { reference, referenceLoss, warmUpShape, type WarmUpData } from './warmUp';

describe("the warm-up's reference loss", () => {
  it('is the mean in-batch softmax loss of relu(user · dense) · item, worked by hand', () => {
    // rows 1 and 2 (dim 1), dense = [1]: hidden = [1, 2]; logits row 0 = [1, 2] (positive 1),
    // row 1 = [2, 4] (positive 4). Losses: log(e¹ + e²) − 1 = log(1 + e) and
    // log(e² + e⁴) − 4 = log(1 + e⁻²); their mean is ≈ 0.720095.
    const data: WarmUpData = {
      table: Float32Array.from([1, 2]),
      dense: Float32Array.from([1]),
      users: Int32Array.from([0, 1]),
      items: Int32Array.from([0, 1]),
    };
    const expected = (Math.log(1 + Math.E) + Math.log(1 + Math.exp(-2))) / 2;
    expect(expected).toBeCloseTo(0.720095, 6);
    expect(referenceLoss(data, { rows: 2, dim: 1, batch: 2 })).toBeCloseTo(expected, 12);
  });

  it('a negative hidden unit is cut by relu: every logit is 0, so the loss is log(batch)', () => {
    const data: WarmUpData = {
      table: Float32Array.from([1, 2]),
      dense: Float32Array.from([-1]),
      users: Int32Array.from([0, 1]),
      items: Int32Array.from([0, 1]),
    };
    expect(referenceLoss(data, { rows: 2, dim: 1, batch: 2 })).toBeCloseTo(Math.log(2), 12);
  });

  it('builds the inputs once per shape and reuses them', () => {
    const first = reference(warmUpShape);
    expect(first.data.table).toHaveLength(warmUpShape.rows * warmUpShape.dim);
    expect(first.data.users).toHaveLength(warmUpShape.batch);
    expect(Number.isFinite(first.loss)).toBe(true);
    expect(reference(warmUpShape)).toBe(first);
  });
});
