// Layer norm over the last axis as two kernels, forward and backward, tied by tf.customGrad.
// Written with tfjs ops (moments, subtract, sqrt, divide, scale, shift) it is about a dozen
// kernels forward and three dozen backward, each a tensor the size of the input; SASRec runs five
// per step. The maths is the same: y = (x − μ) / √(σ² + ε) · γ + β over each row of d values, and
// its exact gradient (see layerNormBackward). Host backends (wasm, cpu) only; elsewhere, and when
// the fused kernels are switched off, the caller keeps the op-by-op form.
import * as tf from '../tf';
import { fusedKernelsOn } from './fused';
import { expectInputSizes, hostKernelConfigs, registerMissing, type HostKernel } from './hostKernel';
import { simdLayerNormBackward, simdLayerNormForward } from './simd/simdLayerNorm';

export const LAYER_NORM_KERNEL = 'AisleLayerNorm';
export const LAYER_NORM_GRAD_KERNEL = 'AisleLayerNormGrad';

/**
 * y = (x − mean) · invStd · gain + shift, row by row of `width` values; also each row's mean and
 * invStd = 1 / √(variance + epsilon), which the backward pass reuses.
 */
export function layerNormForward(
  x: Float32Array,
  gain: Float32Array,
  shift: Float32Array,
  width: number,
  epsilon: number,
  out: { y: Float32Array; mean: Float32Array; invStd: Float32Array },
): void {
  const rows = x.length / width;
  for (let r = 0; r < rows; r++) {
    const offset = r * width;
    let sum = 0;
    for (let k = 0; k < width; k++) sum += x[offset + k];
    const mean = sum / width;
    let squares = 0;
    for (let k = 0; k < width; k++) {
      const centred = x[offset + k] - mean;
      squares += centred * centred;
    }
    const invStd = 1 / Math.sqrt(squares / width + epsilon);
    out.mean[r] = mean;
    out.invStd[r] = invStd;
    for (let k = 0; k < width; k++) out.y[offset + k] = (x[offset + k] - mean) * invStd * gain[k] + shift[k];
  }
}

/**
 * The gradient of layerNormForward. With x̂ = (x − μ)·s and g = dy·γ per row:
 * dx = s · (g − mean(g) − x̂ · mean(g · x̂)), dγ = Σ_rows dy · x̂, dβ = Σ_rows dy.
 */
export function layerNormBackward(
  dy: Float32Array,
  forward: { x: Float32Array; gain: Float32Array; mean: Float32Array; invStd: Float32Array; width: number },
  out: { dx: Float32Array; dGain: Float32Array; dShift: Float32Array },
): void {
  const { x, gain, mean, invStd, width } = forward;
  const rows = x.length / width;
  out.dGain.fill(0);
  out.dShift.fill(0);
  for (let r = 0; r < rows; r++) {
    const offset = r * width;
    const mu = mean[r];
    const s = invStd[r];
    let gSum = 0;
    let gxSum = 0;
    for (let k = 0; k < width; k++) {
      const xHat = (x[offset + k] - mu) * s;
      const g = dy[offset + k] * gain[k];
      gSum += g;
      gxSum += g * xHat;
      out.dGain[k] += dy[offset + k] * xHat;
      out.dShift[k] += dy[offset + k];
    }
    const gMean = gSum / width;
    const gxMean = gxSum / width;
    for (let k = 0; k < width; k++) {
      const xHat = (x[offset + k] - mu) * s;
      out.dx[offset + k] = s * (dy[offset + k] * gain[k] - gMean - xHat * gxMean);
    }
  }
}

function widthOf(x: tf.TensorInfo, gain: tf.TensorInfo): number {
  const width = x.shape[x.shape.length - 1] ?? 0;
  if (x.dtype !== 'float32' || tf.util.sizeFromShape(gain.shape) !== width || width === 0) {
    throw new Error(`layer norm: float32 input of width ${width} and a gain of ${gain.shape} do not fit`);
  }
  return width;
}

const forwardKernel: HostKernel = (args, memory) => {
  const { x, gain, shift } = args.inputs as { x: tf.TensorInfo; gain: tf.TensorInfo; shift: tf.TensorInfo };
  const width = widthOf(x, gain);
  const rows = tf.util.sizeFromShape(x.shape) / width;
  expectInputSizes(LAYER_NORM_KERNEL, args.inputs, { shift: width });
  const outputs = [memory.allocate(x.shape), memory.allocate([rows]), memory.allocate([rows])];
  const [y, mean, invStd] = outputs.map((t) => memory.view(t) as Float32Array);
  const { epsilon } = args.attrs as { epsilon: number };
  const v = (t: tf.TensorInfo) => memory.view(t) as Float32Array;
  const input = { x: v(x), gain: v(gain), shift: v(shift), width, epsilon };
  if (memory.simd && simdLayerNormForward(memory.simd, input, { y, mean, invStd })) return outputs;
  layerNormForward(input.x, input.gain, input.shift, width, epsilon, { y, mean, invStd });
  return outputs;
};

const backwardKernel: HostKernel = (args, memory) => {
  const { dy, x, gain, mean, invStd } = args.inputs as Record<string, tf.TensorInfo>;
  const width = widthOf(x, gain);
  const rows = tf.util.sizeFromShape(x.shape) / width;
  const sizes = { dy: rows * width, mean: rows, invStd: rows };
  expectInputSizes(LAYER_NORM_GRAD_KERNEL, args.inputs, sizes);
  const outputs = [memory.allocate(x.shape), memory.allocate(gain.shape), memory.allocate(gain.shape)];
  const [dx, dGain, dShift] = outputs.map((t) => memory.view(t) as Float32Array);
  const v = (t: tf.TensorInfo) => memory.view(t) as Float32Array;
  const forward = { x: v(x), gain: v(gain), mean: v(mean), invStd: v(invStd), width };
  if (memory.simd && simdLayerNormBackward(memory.simd, v(dy), forward, { dx, dGain, dShift })) {
    return outputs;
  }
  layerNormBackward(v(dy), forward, { dx, dGain, dShift });
  return outputs;
};

export const layerNormKernelConfigs: tf.KernelConfig[] = [
  ...hostKernelConfigs(LAYER_NORM_KERNEL, forwardKernel),
  ...hostKernelConfigs(LAYER_NORM_GRAD_KERNEL, backwardKernel),
];

const fusedByEpsilon = new Map<number, (x: tf.Tensor, gain: tf.Tensor, shift: tf.Tensor) => tf.Tensor>();

/** The customGrad op for one epsilon (made once). */
function fusedLayerNormOp(epsilon: number): (x: tf.Tensor, gain: tf.Tensor, shift: tf.Tensor) => tf.Tensor {
  let op = fusedByEpsilon.get(epsilon);
  if (!op) {
    op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
      const [x, gain, shift, save] = args as [tf.Tensor, tf.Tensor, tf.Tensor, tf.GradSaveFunc];
      const [y, mean, invStd] = tf
        .engine()
        .runKernel(LAYER_NORM_KERNEL, { x, gain, shift }, { epsilon }) as tf.Tensor[];
      save([x, gain, mean, invStd]);
      return {
        value: y,
        gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
          const [sx, sGain, sMean, sInvStd] = saved;
          return tf.engine().runKernel(LAYER_NORM_GRAD_KERNEL, {
            dy,
            x: sx,
            gain: sGain,
            mean: sMean,
            invStd: sInvStd,
          }) as tf.Tensor[];
        },
      };
    }) as (x: tf.Tensor, gain: tf.Tensor, shift: tf.Tensor) => tf.Tensor;
    fusedByEpsilon.set(epsilon, op);
  }
  return op;
}

/**
 * x [..., d] normalised over the last axis, scaled by gain [d] and shifted by shift [d], as two
 * fused kernels, when the active backend has them and the fused kernels are on; null otherwise
 * (the caller then uses the op-by-op form).
 */
export function fusedLayerNorm(
  x: tf.Tensor,
  gain: tf.Tensor,
  shift: tf.Tensor,
  epsilon: number,
): tf.Tensor | null {
  if (!fusedKernelsOn() || x.dtype !== 'float32') return null;
  registerMissing(layerNormKernelConfigs);
  if (!tf.getKernel(LAYER_NORM_KERNEL, tf.getBackend())) return null;
  return fusedLayerNormOp(epsilon)(x, gain, shift);
}
