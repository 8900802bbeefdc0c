// Dropout (optionally followed by a residual add) as one kernel forward and one backward, tied by
// tf.customGrad. tf.dropout is randomUniform, then Add, Floor, RealDiv and Multiply, each a tensor
// the size of the input, and the residual add is one more; SASRec drops out nine times a step
// (the embeddings, and four times per block), the GRU twice. The mask is the counter-based one of
// dropoutMask.ts, computed entry by entry from the call's seed in both passes, so neither pass
// reads a uniform tensor and the backward pass saves nothing: y = (residual + x · mask) · rowScale,
// where the optional rowScale [..., 1] is SASRec's padding mask (1 real position, 0 padding), which
// would otherwise be one more Multiply each way.
import * as tf from '../tf';
import { dropoutMaskOf, maskStreamStep, mix32, type DropoutMask } from './dropoutMask';
import { fusedKernelsOn } from './fused';
import { hostKernelConfigs, registerMissing, type HostKernel } from './hostKernel';
import { simdDropoutBackward, simdDropoutForward } from './simd/simdDropout';

export const DROPOUT_KERNEL = 'AisleDropout';
export const DROPOUT_GRAD_KERNEL = 'AisleDropoutGrad';

// The loops below walk the mask's stream with a running counter (key + i·φ, mod 2^32; the same
// entries as maskEntry(mask, i)) and test for a residual once, outside the loop. A throwaway
// micro-benchmark under load could not tell this from a multiply per entry (0.53–1.3 ms either way
// for [128, 16, 50]); it is kept as the simpler loop.

/** out = residual + x · mask entry by entry (no residual: + 0), rounded as float32 ops round. */
export function dropoutForward(
  input: { x: Float32Array; residual: Float32Array | null; mask: DropoutMask },
  out: Float32Array,
): void {
  const { x, residual, mask } = input;
  const { key, threshold, multiplier } = mask;
  let counter = key;
  // x · 0, not 0, for a dropped entry: a negative x gives −0, as the stock Multiply does
  if (residual) {
    for (let i = 0; i < x.length; i++) {
      const bits = mix32(counter);
      counter = (counter + maskStreamStep) | 0;
      out[i] = residual[i] + Math.fround(x[i] * (bits < threshold ? multiplier : 0));
    }
  } else {
    for (let i = 0; i < x.length; i++) {
      const bits = mix32(counter);
      counter = (counter + maskStreamStep) | 0;
      out[i] = x[i] * (bits < threshold ? multiplier : 0); // the store rounds to float32
    }
  }
}

/** dx = dy · mask (the residual's gradient is dy itself). */
export function dropoutBackward(
  input: { gradient: Float32Array; mask: DropoutMask },
  out: Float32Array,
): void {
  const { gradient, mask } = input;
  const { key, threshold, multiplier } = mask;
  let counter = key;
  for (let i = 0; i < gradient.length; i++) {
    const bits = mix32(counter);
    counter = (counter + maskStreamStep) | 0;
    out[i] = gradient[i] * (bits < threshold ? multiplier : 0);
  }
}

/** out[i] ·= factors[row of i] in place, for rows of `width` entries (the store rounds to float32). */
export function scaleRows(out: Float32Array, factors: Float32Array, width: number): void {
  for (let row = 0, i = 0; row < factors.length; row++) {
    const factor = factors[row];
    for (const end = i + width; i < end; i++) out[i] = out[i] * factor;
  }
}

function checkSameShape(a: tf.TensorInfo, b: tf.TensorInfo | undefined): void {
  if (a.dtype !== 'float32' || (b && !tf.util.arraysEqual(a.shape, b.shape))) {
    throw new Error(`dropout: float32 tensors of one shape expected, got ${a.shape} and ${b?.shape}`);
  }
}

interface DropoutAttrs {
  seed: number;
  keepProbability: number;
  /** the mask starts at this entry of its seed's stream (a replica's rows of a whole batch) */
  firstEntry: number;
}

const maskOfAttrs = (attrs: unknown) => {
  const { seed, keepProbability, firstEntry } = attrs as DropoutAttrs;
  return dropoutMaskOf(seed, keepProbability, firstEntry);
};

function checkRowScale(x: tf.TensorInfo, rowScale: tf.TensorInfo | undefined): void {
  if (rowScale && rowScale.shape.join() !== [...x.shape.slice(0, -1), 1].join()) {
    throw new Error(`dropout: row scale of shape [..., 1] expected for ${x.shape}, got ${rowScale.shape}`);
  }
}

const forwardKernel: HostKernel = (args, memory) => {
  const { x, residual, rowScale } = args.inputs as Record<string, tf.TensorInfo | undefined>;
  checkSameShape(x!, residual);
  checkRowScale(x!, rowScale);
  const out = memory.allocate(x!.shape);
  const view = (t: tf.TensorInfo) => memory.view(t) as Float32Array;
  const values = view(out);
  const input = { x: view(x!), residual: residual ? view(residual) : null, mask: maskOfAttrs(args.attrs) };
  const scale = rowScale ? view(rowScale) : null;
  const width = x!.shape[x!.shape.length - 1]!;
  if (memory.simd && simdDropoutForward(memory.simd, { ...input, rowScale: scale }, width, values)) {
    return [out];
  }
  dropoutForward(input, values);
  if (scale) scaleRows(values, scale, width);
  return [out];
};

/** [dx] or, with a row scale, [dx, dy · rowScale] (the residual's gradient). */
const backwardKernel: HostKernel = (args, memory) => {
  const { dy, rowScale } = args.inputs as Record<string, tf.TensorInfo | undefined>;
  checkSameShape(dy!, undefined);
  checkRowScale(dy!, rowScale);
  const outputs = rowScale
    ? [memory.allocate(dy!.shape), memory.allocate(dy!.shape)]
    : [memory.allocate(dy!.shape)];
  const view = (t: tf.TensorInfo) => memory.view(t) as Float32Array;
  const [dx, scaled] = outputs.map(view);
  let gradient = view(dy!);
  const mask = maskOfAttrs(args.attrs);
  const width = dy!.shape[dy!.shape.length - 1]!;
  if (
    memory.simd &&
    simdDropoutBackward(
      memory.simd,
      { dy: gradient, rowScale: rowScale ? view(rowScale) : null, mask },
      width,
      { dx, scaled: scaled ?? null },
    )
  ) {
    return outputs;
  }
  if (rowScale) {
    scaled.set(gradient);
    scaleRows(scaled, view(rowScale), width);
    gradient = scaled;
  }
  dropoutBackward({ gradient, mask }, dx);
  return outputs;
};

export const dropoutKernelConfigs: tf.KernelConfig[] = [
  ...hostKernelConfigs(DROPOUT_KERNEL, forwardKernel),
  ...hostKernelConfigs(DROPOUT_GRAD_KERNEL, backwardKernel),
];

/**
 * x dropped out at `rate` with the counter-based mask of nextSeed() (dropoutMask.ts's maskedDropout),
 * plus `residual` (same shape) when given, then times `rowScale` ([..., 1], one factor per row of
 * the last axis) when given, as two fused kernels, when the active backend has them and the fused
 * kernels are on; null otherwise (the caller keeps the op-by-op form; nextSeed is then not called,
 * so the caller's seed sequence is the same either way). Differentiable w.r.t. x and residual
 * (rowScale is a constant). `firstEntry`: where in the seed's mask stream x's first entry is
 * (dropoutMaskOf).
 */
export function fusedDropout(
  x: tf.Tensor,
  rate: number,
  nextSeed: () => number,
  residual?: tf.Tensor,
  rowScale?: tf.Tensor,
  firstEntry = 0,
): tf.Tensor | null {
  if (!fusedKernelsOn() || x.dtype !== 'float32' || rate <= 0) return null;
  if (residual && !tf.util.arraysEqual(x.shape, residual.shape)) return null;
  if (
    rowScale &&
    (rowScale.dtype !== 'float32' || !tf.util.arraysEqual(rowScale.shape, [...x.shape.slice(0, -1), 1]))
  )
    return null;
  registerMissing(dropoutKernelConfigs);
  if (!tf.getKernel(DROPOUT_KERNEL, tf.getBackend())) return null;
  const attrs: DropoutAttrs = { seed: nextSeed(), keepProbability: 1 - rate, firstEntry };
  const constants: tf.NamedTensorMap = rowScale ? { rowScale } : {};
  const backward = (dy: tf.Tensor) =>
    // the host kernels return arrays, so runKernel does too
    tf.engine().runKernel(DROPOUT_GRAD_KERNEL, { dy, ...constants }, attrs as never) as tf.Tensor[];
  if (residual) {
    const dropAdd = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
      const [input, skip] = args as [tf.Tensor, tf.Tensor];
      return {
        value: forwardOf({ x: input, residual: skip, ...constants }, attrs),
        gradFunc: (dy: tf.Tensor) => {
          const [dx, scaled] = backward(dy);
          // without a row scale the residual's gradient is dy: a clone (which shares dy's buffer),
          // not dy itself, as the tape may dispose one gradient while it adds it to another
          return [dx, scaled ?? tf.clone(dy)];
        },
      };
    }) as (input: tf.Tensor, skip: tf.Tensor) => tf.Tensor;
    return dropAdd(x, residual);
  }
  const drop = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [input] = args as [tf.Tensor];
    return {
      value: forwardOf({ x: input, ...constants }, attrs),
      gradFunc: (dy: tf.Tensor) => {
        const [dx, scaled] = backward(dy);
        scaled?.dispose(); // no residual to give it to
        return [dx];
      },
    };
  }) as (input: tf.Tensor) => tf.Tensor;
  return drop(x);
}

function forwardOf(inputs: tf.NamedTensorMap, attrs: DropoutAttrs): tf.Tensor {
  return (tf.engine().runKernel(DROPOUT_KERNEL, inputs, attrs as never) as tf.Tensor[])[0];
}
