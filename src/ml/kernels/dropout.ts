// Dropout (optionally followed by a residual add) as one kernel forward and one backward, tied by
// tf.customGrad. tf.dropout is randomUniform, then Add, Floor, RealDiv and Multiply, each a tensor
// the size of the input, and the residual add is one more; SASRec drops out nine times a step
// (the embeddings, and four times per block), the GRU twice. The draws are tf.dropout's own
// (randomUniform with the same seed and shape) and the multiplier is rounded as its float32 ops
// round it, so the result is the same to the bit: y = residual + x · ⌊u + r⌋ / r.
import * as tf from '../tf';
import { dropoutMultiplierOf } from './causalAttention';
import { fusedKernelsOn } from './fused';
import { hostKernelConfigs, registerMissing, type HostKernel } from './hostKernel';

export const DROPOUT_KERNEL = 'AisleDropout';
export const DROPOUT_GRAD_KERNEL = 'AisleDropoutGrad';

/** out = residual + x · multiplier(u) entry by entry (no residual: + 0), rounded as float32 ops round. */
export function dropoutForward(
  input: { x: Float32Array; uniform: Float32Array; residual: Float32Array | null; keepProbability: number },
  out: Float32Array,
): void {
  const { x, uniform, residual, keepProbability } = input;
  const multiplier = dropoutMultiplierOf(keepProbability);
  for (let i = 0; i < x.length; i++) {
    const dropped = Math.fround(x[i] * multiplier(uniform[i]));
    out[i] = residual ? residual[i] + dropped : dropped;
  }
}

/** dx = dy · multiplier(u) (the residual's gradient is dy itself). */
export function dropoutBackward(
  input: { gradient: Float32Array; uniform: Float32Array; keepProbability: number },
  out: Float32Array,
): void {
  const { gradient, uniform, keepProbability } = input;
  const multiplier = dropoutMultiplierOf(keepProbability);
  for (let i = 0; i < gradient.length; i++) {
    out[i] = gradient[i] * multiplier(uniform[i]);
  }
}

function checkSameShape(a: tf.TensorInfo, b: tf.TensorInfo | undefined): void {
  if (b && (a.dtype !== 'float32' || !tf.util.arraysEqual(a.shape, b.shape))) {
    throw new Error(`dropout: float32 tensors of one shape expected, got ${a.shape} and ${b.shape}`);
  }
}

const forwardKernel: HostKernel = (args, memory) => {
  const { x, uniform, residual } = args.inputs as Record<string, tf.TensorInfo | undefined>;
  checkSameShape(x!, uniform);
  checkSameShape(x!, residual);
  const out = memory.allocate(x!.shape);
  const view = (t: tf.TensorInfo) => memory.view(t) as Float32Array;
  const { keepProbability } = args.attrs as { keepProbability: number };
  dropoutForward(
    { x: view(x!), uniform: view(uniform!), residual: residual ? view(residual) : null, keepProbability },
    view(out),
  );
  return [out];
};

const backwardKernel: HostKernel = (args, memory) => {
  const { dy, uniform } = args.inputs as Record<string, tf.TensorInfo>;
  checkSameShape(dy, uniform);
  const out = memory.allocate(dy.shape);
  const view = (t: tf.TensorInfo) => memory.view(t) as Float32Array;
  const { keepProbability } = args.attrs as { keepProbability: number };
  dropoutBackward({ gradient: view(dy), uniform: view(uniform), keepProbability }, view(out));
  return [out];
};

export const dropoutKernelConfigs: tf.KernelConfig[] = [
  ...hostKernelConfigs(DROPOUT_KERNEL, forwardKernel),
  ...hostKernelConfigs(DROPOUT_GRAD_KERNEL, backwardKernel),
];

/**
 * tf.dropout(x, rate, undefined, nextSeed()), plus `residual` (same shape) when given, as two
 * fused kernels, when the active backend has them and the fused kernels are on; null otherwise (the
 * caller keeps the op-by-op form; nextSeed is then not called, so the caller's seed sequence is the
 * same either way). Differentiable w.r.t. x and residual.
 */
export function fusedDropout(
  x: tf.Tensor,
  rate: number,
  nextSeed: () => number,
  residual?: tf.Tensor,
): tf.Tensor | null {
  if (!fusedKernelsOn() || x.dtype !== 'float32' || rate <= 0) return null;
  if (residual && !tf.util.arraysEqual(x.shape, residual.shape)) return null;
  registerMissing(dropoutKernelConfigs);
  if (!tf.getKernel(DROPOUT_KERNEL, tf.getBackend())) return null;
  const uniform = tf.randomUniform(x.shape, 0, 1, 'float32', nextSeed());
  const attrs = { keepProbability: 1 - rate };
  const backward = (dy: tf.Tensor, saved: tf.Tensor[]) =>
    // the host kernels return arrays, so runKernel does too
    (tf.engine().runKernel(DROPOUT_GRAD_KERNEL, { dy, uniform: saved[0] }, attrs as never) as tf.Tensor[])[0];
  if (residual) {
    const dropAdd = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
      const [input, skip, save] = args as [tf.Tensor, tf.Tensor, tf.GradSaveFunc];
      // the draws are saved: the forward pass's tidy disposes them before backprop
      save([uniform]);
      return {
        value: forwardOf(input, uniform, attrs, skip),
        // a clone (which shares dy's buffer), not dy itself: the tape may dispose one gradient
        // while it adds it to another
        gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => [backward(dy, saved), tf.clone(dy)],
      };
    }) as (input: tf.Tensor, skip: tf.Tensor) => tf.Tensor;
    return dropAdd(x, residual);
  }
  const drop = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [input, save] = args as [tf.Tensor, tf.GradSaveFunc];
    save([uniform]);
    return {
      value: forwardOf(input, uniform, attrs),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => [backward(dy, saved)],
    };
  }) as (input: tf.Tensor) => tf.Tensor;
  return drop(x);
}

function forwardOf(
  x: tf.Tensor,
  uniform: tf.Tensor,
  attrs: { keepProbability: number },
  residual?: tf.Tensor,
): tf.Tensor {
  const inputs: tf.NamedTensorMap = residual ? { x, uniform, residual } : { x, uniform };
  return (tf.engine().runKernel(DROPOUT_KERNEL, inputs, attrs as never) as tf.Tensor[])[0];
}
