// The position-wise layers SASRec's blocks are built of: layer norm and dense layers applied to
// every position of a [B, L, d] batch. Each uses a fused kernel where the backend has one
// (ml/kernels/) and the op-by-op form otherwise; the maths is the same either way.
import * as tf from '../tf';
import { fusedLayerNorm } from '../kernels/layerNorm';

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
