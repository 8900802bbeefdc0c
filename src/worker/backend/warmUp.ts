// The race's workload: one training step of a small embedding model (gather rows from a table,
// two matmuls, a reduction, the gradients and an update, read back with the async data()), with
// deterministic inputs and a plain-JavaScript reference loss every backend's result must match.
import * as tf from '../../ml/tf';

/** Sizes of the warm-up's embedding model: big enough that a real GPU shows its speed. */
export interface WarmUpShape {
  /** rows of the embedding table */
  rows: number;
  /** embedding width */
  dim: number;
  /** users (and their in-batch positive items) per step */
  batch: number;
}

export const warmUpShape: WarmUpShape = { rows: 4096, dim: 64, batch: 512 };

export interface WarmUpData {
  table: Float32Array;
  dense: Float32Array;
  users: Int32Array;
  items: Int32Array;
}

/** Deterministic inputs: the same on every backend, so the loss can be checked. */
function warmUpData({ rows, dim, batch }: WarmUpShape): WarmUpData {
  const table = new Float32Array(rows * dim);
  for (let r = 0; r < rows; r++)
    for (let d = 0; d < dim; d++) table[r * dim + d] = 0.3 * Math.sin(r * 0.37 + d * 1.31);
  const dense = new Float32Array(dim * dim);
  for (let d = 0; d < dim; d++)
    for (let e = 0; e < dim; e++)
      dense[d * dim + e] = 0.25 * Math.cos(d * 0.71 - e * 0.53) + (d === e ? 0.5 : 0);
  const users = Int32Array.from({ length: batch }, (_, k) => (k * 7919) % rows);
  const items = Int32Array.from({ length: batch }, (_, k) => (k * 104729 + (rows >> 1)) % rows);
  return { table, dense, users, items };
}

/**
 * The warm-up's loss, computed in plain JavaScript (float64): in-batch softmax over
 * relu(user · dense) · item, each user's own item the positive. A backend's loss must match it.
 */
export function referenceLoss(data: WarmUpData, { dim, batch }: WarmUpShape): number {
  const { table, dense, users, items } = data;
  const hidden = new Float64Array(batch * dim);
  for (let k = 0; k < batch; k++) {
    const u = users[k] * dim;
    for (let e = 0; e < dim; e++) {
      let sum = 0;
      for (let d = 0; d < dim; d++) sum += table[u + d] * dense[d * dim + e];
      hidden[k * dim + e] = Math.max(0, sum);
    }
  }
  const logits = new Float64Array(batch);
  let total = 0;
  for (let k = 0; k < batch; k++) {
    let max = -Infinity;
    for (let j = 0; j < batch; j++) {
      const i = items[j] * dim;
      let dot = 0;
      for (let d = 0; d < dim; d++) dot += hidden[k * dim + d] * table[i + d];
      logits[j] = dot;
      if (dot > max) max = dot;
    }
    let exps = 0;
    for (let j = 0; j < batch; j++) exps += Math.exp(logits[j] - max);
    total += max + Math.log(exps) - logits[k];
  }
  return total / batch;
}

let cachedReference: { shape: WarmUpShape; data: WarmUpData; loss: number } | null = null;

export function reference(shape: WarmUpShape): { data: WarmUpData; loss: number } {
  if (cachedReference?.shape !== shape) {
    const data = warmUpData(shape);
    cachedReference = { shape, data, loss: referenceLoss(data, shape) };
  }
  return cachedReference;
}

/** One training step; the result is [loss, sum of the updated table, sum of the updated dense]. */
function trainingStep([table, dense, users, items]: tf.Tensor[]): tf.Tensor1D {
  return tf.tidy(() => {
    const lossAndGrads = tf.valueAndGrads((table: tf.Tensor, dense: tf.Tensor) => {
      const userRows = tf.gather(table, users);
      const itemRows = tf.gather(table, items);
      const hidden = tf.relu(tf.matMul(userRows, dense));
      const logits = tf.matMul(hidden, itemRows, false, true);
      const positives = tf.sum(tf.mul(hidden, itemRows), 1);
      return tf.mean(tf.sub(tf.logSumExp(logits, 1), positives));
    });
    const { value, grads } = lossAndGrads([table, dense]);
    const newTable = tf.sub(table, tf.mul(grads[0], 0.05));
    const newDense = tf.sub(dense, tf.mul(grads[1], 0.05));
    return tf.stack([value, tf.sum(newTable), tf.sum(newDense)]) as tf.Tensor1D;
  });
}

/** Runs one step and reads it back (async data(): dataSync breaks WebGPU in a worker). */
export async function runStep(inputs: tf.Tensor[], expectedLoss: number): Promise<void> {
  const result = trainingStep(inputs);
  let values: Float32Array | Int32Array | Uint8Array;
  try {
    values = await result.data();
  } finally {
    result.dispose();
  }
  const [loss, tableSum, denseSum] = values;
  if (![loss, tableSum, denseSum].every(Number.isFinite))
    throw new Error(`the warm-up step returned ${[...values].join(', ')}`);
  if (Math.abs(loss - expectedLoss) > 1e-2 * Math.abs(expectedLoss))
    throw new Error(`the warm-up step's loss was ${loss}, expected ${expectedLoss.toFixed(4)}`);
}
