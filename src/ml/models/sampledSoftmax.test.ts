import * as tf from '../tf';
import { describe, expect, it } from 'vitest';
import { fromSequences } from '../interactions';
import { createRng } from '../random';
import { createPositiveLookup, sampleSequenceBatch } from '../train/sampling';
import {
  accidentalHitLogit,
  accidentalHitMask,
  drawSharedNegatives,
  sampledSoftmaxCrossEntropy,
} from './sampledSoftmax';
import { prepareSequenceBatch } from './sequenceStep';

const ln = Math.log;

// Two cells reading one axis each, so every logit is a coordinate of a row:
// cell 0, h = [1, 0]: target [ln 2, 0] → ln 2; negatives [0, ln 3], [ln 2, 0] → 0, ln 2
//   Σ exp = 2 + 1 + 2 = 5, loss = ln 5 − ln 2 = ln 2.5
// cell 1, h = [0, 1]: target [0, 0] → 0; negatives → ln 3, 0
//   Σ exp = 1 + 3 + 1 = 5, loss = ln 5 − 0 = ln 5
const hiddenValues = [1, 0, 0, 1];
const targetValues = [ln(2), 0, 0, 0];
const negativeValues = [0, ln(3), ln(2), 0];

/** Per-cell losses and the gradients of hidden, targets and negatives of Σ loss, read back. */
function lossAndGrads(loss: (h: tf.Tensor2D, t: tf.Tensor2D, n: tf.Tensor2D) => tf.Tensor1D): {
  perCell: number[];
  grads: number[][];
} {
  return tf.tidy(() => {
    const inputs = [
      tf.tensor2d(hiddenValues, [2, 2]),
      tf.tensor2d(targetValues, [2, 2]),
      tf.tensor2d(negativeValues, [2, 2]),
    ] as const;
    const perCell = Array.from(loss(...inputs).dataSync());
    const grads = tf.grads((h: tf.Tensor, t: tf.Tensor, n: tf.Tensor) =>
      tf.sum(loss(h as tf.Tensor2D, t as tf.Tensor2D, n as tf.Tensor2D)),
    )([...inputs]);
    return { perCell, grads: grads.map((g) => Array.from(g.dataSync())) };
  });
}

/** The same loss written the plain way, for tfjs's own autodiff: −logSoftmax(logits)[target]. */
function referenceLoss(mask: Float32Array) {
  return (h: tf.Tensor2D, t: tf.Tensor2D, n: tf.Tensor2D): tf.Tensor1D => {
    const logits = tf.concat(
      [tf.sum(tf.mul(h, t), 1, true), tf.add(tf.matMul(h, n, false, true), tf.tensor2d(mask, [2, 2]))],
      1,
    );
    return tf.neg(tf.reshape(tf.slice(tf.logSoftmax(logits), [0, 0], [2, 1]), [2]));
  };
}

describe('sampledSoftmaxCrossEntropy', () => {
  const noHits = new Float32Array(4);

  it('gives the hand-worked losses and gradients, as tfjs differentiates the plain form', () => {
    const before = tf.memory().numTensors;
    const ours = lossAndGrads((h, t, n) => sampledSoftmaxCrossEntropy(h, t, n, noHits));
    const reference = lossAndGrads(referenceLoss(noHits));
    expect(tf.memory().numTensors).toBe(before);
    expect(ours.perCell[0]).toBeCloseTo(ln(2.5), 5);
    expect(ours.perCell[1]).toBeCloseTo(ln(5), 5);
    // d loss_c / d h_c = Σ_j p_j v_j − t_c. Cell 0: p = [2/5, 1/5, 2/5] over [t, n1, n2], so
    // [4/5 ln 2, 1/5 ln 3] − [ln 2, 0] = [−ln 2 / 5, ln 3 / 5]
    expect(ours.grads[0][0]).toBeCloseTo(-ln(2) / 5, 5);
    expect(ours.grads[0][1]).toBeCloseTo(ln(3) / 5, 5);
    // d / d n1 = Σ_c p_c(n1) h_c = 1/5 · [1, 0] + 3/5 · [0, 1] (cell 1: p = [1/5, 3/5, 1/5])
    expect(ours.grads[2][0]).toBeCloseTo(0.2, 5);
    expect(ours.grads[2][1]).toBeCloseTo(0.6, 5);
    // d / d t_0 = (p_0(t) − 1) h_0 = −3/5 · [1, 0]
    expect(ours.grads[1][0]).toBeCloseTo(-0.6, 5);
    expect(ours.grads[1][1]).toBeCloseTo(0, 5);
    ours.perCell.forEach((value, i) => expect(value).toBeCloseTo(reference.perCell[i], 5));
    ours.grads.forEach((grad, g) =>
      grad.forEach((value, i) => expect(value).toBeCloseTo(reference.grads[g][i], 5)),
    );
  });

  it('leaves out a negative that is the cell’s own target, and sends it no gradient from that cell', () => {
    // cell 1's second negative is masked: Σ exp = 1 + 3 = 4, loss ln 4; cell 0 unchanged
    const mask = Float32Array.from([0, 0, 0, accidentalHitLogit]);
    const ours = lossAndGrads((h, t, n) => sampledSoftmaxCrossEntropy(h, t, n, mask));
    expect(ours.perCell[0]).toBeCloseTo(ln(2.5), 5);
    expect(ours.perCell[1]).toBeCloseTo(ln(4), 5);
    // n2's gradient comes from cell 0 alone: p_0(n2) h_0 = 2/5 · [1, 0]
    expect(ours.grads[2][2]).toBeCloseTo(0.4, 5);
    expect(ours.grads[2][3]).toBeCloseTo(0, 5);
    const reference = lossAndGrads(referenceLoss(mask));
    ours.grads.forEach((grad, g) =>
      grad.forEach((value, i) => expect(value).toBeCloseTo(reference.grads[g][i], 5)),
    );
  });
});

describe('accidentalHitMask and drawSharedNegatives', () => {
  it('masks exactly the (cell, negative) pairs that name the same item', () => {
    expect(Array.from(accidentalHitMask([3, 5], [5, 3, 5]))).toEqual([
      0,
      accidentalHitLogit,
      0,
      accidentalHitLogit,
      0,
      accidentalHitLogit,
    ]);
  });

  it('draws uniformly from the catalogue, replayed by its seed, and refuses a count below 1', () => {
    const a = drawSharedNegatives(2000, 10, createRng(5));
    expect(Array.from(a)).toEqual(Array.from(drawSharedNegatives(2000, 10, createRng(5))));
    expect(Array.from(a)).not.toEqual(Array.from(drawSharedNegatives(2000, 10, createRng(6))));
    const counts = new Array(10).fill(0);
    a.forEach((item) => counts[item]++);
    // 200 expected per item; a binomial's sd is 13.4, so ±60 is > 4 sd
    counts.forEach((count) => expect(Math.abs(count - 200)).toBeLessThan(60));
    expect(() => drawSharedNegatives(0, 10, createRng(5))).toThrow(/sampledNegatives/);
    expect(() => drawSharedNegatives(2.5, 10, createRng(5))).toThrow(/sampledNegatives/);
  });
});

describe('prepareSequenceBatch (sampled-softmax)', () => {
  const data = fromSequences(
    [
      [0, 1, 2, 3],
      [2, 3, 4],
    ],
    5,
  );
  const prepare = (seed: number, count = 6) =>
    prepareSequenceBatch(
      sampleSequenceBatch(data, [0, 1], 4, createRng(1), createPositiveLookup(data)),
      'sampledSoftmax',
      5,
      { count, rng: createRng(seed) },
    );

  it('gathers inputs, targets and the shared negatives only, and masks negatives equal to a target', () => {
    const batch = prepare(3);
    const shared = batch.sharedNegatives!;
    expect(shared.rows).toHaveLength(6);
    expect(batch.negatives).toHaveLength(0); // BCE's per-position negatives are not gathered
    const tokenOf = (local: number) => batch.rows.itemEmbedding[local];
    const gathered = new Set(batch.rows.itemEmbedding);
    expect(gathered.has(0)).toBe(true); // the padding token, an input of the shorter row
    shared.rows.forEach((local) => expect(tokenOf(local)).toBeGreaterThan(0)); // never padding
    expect(shared.hitMask).toHaveLength(batch.targetCells.length * 6);
    expect(shared.hitMask.some((value) => value !== 0)).toBe(true); // seed 3 draws a target, so a hit is masked
    batch.targetCells.forEach((cell, c) =>
      shared.rows.forEach((local, k) =>
        expect(shared.hitMask[c * 6 + k]).toBe(local === batch.targets[cell] ? accidentalHitLogit : 0),
      ),
    );
    expect(batch.rows.itemEmbedding.length).toBeLessThanOrEqual(6); // at most tokens 0..5
  });

  it('replays the same negatives from the same seed and refuses a batch without a generator', () => {
    const tokens = (seed: number) =>
      Array.from(prepare(seed).sharedNegatives!.rows, (local) => prepare(seed).rows.itemEmbedding[local]);
    expect(tokens(3)).toEqual(tokens(3));
    expect(tokens(3)).not.toEqual(tokens(4));
    const raw = sampleSequenceBatch(data, [0, 1], 4, createRng(1), createPositiveLookup(data));
    expect(() => prepareSequenceBatch(raw, 'sampledSoftmax', 5)).toThrow(/negatives/);
  });
});
