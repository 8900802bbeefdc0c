// The position-wise layers SASRec's blocks are built of: layer norm and dense layers applied to
// every position of a [B, L, d] batch. Each uses a fused kernel where the backend has one
// (ml/kernels/) and the op-by-op form otherwise; the maths is the same either way.
import * as tf from '../tf';
import { fusedLayerNorm } from '../kernels/layerNorm';
import { columnBlocksAvailable, joinColumnBlocks, splitColumnBlocks } from '../kernels/columnBlocks';

/** x [..., d] -> normalised over the last axis, then scaled and shifted. */
export function layerNorm(x: tf.Tensor, gain: tf.Tensor, shift: tf.Tensor, epsilon = 1e-6): tf.Tensor {
  const fused = fusedLayerNorm(x, gain, shift, epsilon);
  if (fused) return fused;
  const { mean, variance } = tf.moments(x, -1, true);
  return tf.add(tf.mul(tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, epsilon))), gain), shift);
}

/** x [B, L, dIn] · weight [dIn, dOut] + bias, as one 2-D matMul. */
export function denseOverPositions(x: tf.Tensor3D, weight: tf.Tensor, bias?: tf.Tensor): tf.Tensor3D {
  const [batch, length, inSize] = x.shape;
  const outSize = weight.shape[1]!;
  let y = tf.matMul(tf.reshape(x, [batch * length, inSize]), weight as tf.Tensor2D);
  if (bias) y = tf.add(y, bias);
  return tf.reshape(y, [batch, length, outSize]);
}

/** One dense layer's parameters: weight [dIn, dOut], bias [dOut]. */
export interface DenseLayer {
  weight: tf.Tensor;
  bias: tf.Tensor;
}

/**
 * Several dense layers that all read x [B, L, dIn] (SASRec's query, key and value projections):
 * each layer's output [B, L, dOut_i], as denseOverPositions gives it. Where the column-block kernels
 * run (wasm, cpu) it is one product x · [W₁ … W_k] + [b₁ … b_k] (the bias added by XNNPACK inside
 * the product) split into the layers' outputs (kernels/columnBlocks.ts): one product instead of k
 * each way, one transpose of x for the weights' gradient instead of k, one bias Sum instead of k,
 * no bias Adds and no Adds of the k input gradients.
 */
export function denseLayersOverPositions(x: tf.Tensor3D, layers: readonly DenseLayer[]): tf.Tensor3D[] {
  if (layers.length < 2 || x.dtype !== 'float32' || !columnBlocksAvailable()) {
    return layers.map((layer) => denseOverPositions(x, layer.weight, layer.bias));
  }
  const [batch, length, inSize] = x.shape;
  const product = tf.fused.matMul({
    a: tf.reshape(x, [batch * length, inSize]),
    b: joinColumnBlocks(layers.map((layer) => layer.weight)) as tf.Tensor2D,
    bias: joinColumnBlocks(layers.map((layer) => layer.bias)),
  });
  const widths = layers.map((layer) => layer.weight.shape[1]!);
  return splitColumnBlocks(product, widths).map((output, i) =>
    tf.reshape(output, [batch, length, widths[i]]),
  );
}
