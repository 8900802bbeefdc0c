// The sampled-softmax next-item loss of the sequence models: each target competes with a few
// hundred negatives shared by the whole batch instead of with every item. The full softmax makes
// [cells × items] logits per step (128 × 50 × 12,101 on amazon-beauty) and a dense update of the
// item table; this makes [cells × (1 + negatives)] and touches only the rows the batch gathers.
import * as tf from '../tf';
import type { Rng } from '../random';
import { logSumExpRows } from './chunkedSoftmax';

/** Added to a negative's logit where it is the cell's own target: exp of it is exactly 0. */
export const accidentalHitLogit = -1e9;

/**
 * `count` item ids (0-based) drawn uniformly, with replacement, from [0, itemCount). Uniform
 * sampling needs no logQ correction: every item has the same probability, so the correction
 * would add the same constant to every negative's logit and cancel in the softmax.
 */
export function drawSharedNegatives(count: number, itemCount: number, rng: Rng): Int32Array {
  if (!(Number.isInteger(count) && count >= 1)) {
    throw new RangeError(`sampledNegatives must be a whole number ≥ 1, got ${count}`);
  }
  return Int32Array.from({ length: count }, () => rng.nextInt(itemCount));
}

/**
 * [cells × negatives], row-major: accidentalHitLogit where negative k is cell c's own target, else
 * 0. Without it a drawn negative equal to the target would be pushed down and pulled up at once.
 */
export function accidentalHitMask(
  cellTargets: ArrayLike<number>,
  negatives: ArrayLike<number>,
): Float32Array {
  const mask = new Float32Array(cellTargets.length * negatives.length);
  for (let c = 0; c < cellTargets.length; c++) {
    for (let k = 0; k < negatives.length; k++) {
      if (negatives[k] === cellTargets[c]) mask[c * negatives.length + k] = accidentalHitLogit;
    }
  }
  return mask;
}

/**
 * −log softmax(target) over [target, negatives] for each cell:
 * logSumExp([h·t, h·n_1 + m_1, …, h·n_N + m_N]) − h·t, where m is the accidental-hit mask.
 * hidden [cells, d], targetRows [cells, d] (each cell's target vector), negativeRows [N, d]
 * (shared by every cell), hitMask [cells × N]. Returns [cells].
 */
export function sampledSoftmaxCrossEntropy(
  hidden: tf.Tensor2D,
  targetRows: tf.Tensor2D,
  negativeRows: tf.Tensor2D,
  hitMask: Float32Array,
): tf.Tensor1D {
  const cells = hidden.shape[0];
  const negatives = negativeRows.shape[0];
  const targetLogits = tf.sum(tf.mul(hidden, targetRows), 1, true); // [cells, 1]
  const negativeLogits = tf.add(
    tf.matMul(hidden, negativeRows, false, true),
    tf.tensor2d(hitMask, [cells, negatives]),
  );
  const logits = tf.concat([targetLogits, negativeLogits], 1);
  return tf.sub(logSumExpRows(logits), tf.reshape(targetLogits, [cells]));
}
