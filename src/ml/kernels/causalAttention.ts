// One head of causal self-attention as one kernel forward and one backward, tied by tf.customGrad:
// scale, causal and padding mask, softmax, dropout of the weights, and both batched products. With
// tfjs ops this is ~12 kernels forward and ~15 backward per block, and tfjs-wasm runs the batched
// products [B, 1, L, L] × [B, 1, L, d] in a generic loop (no XNNPACK) that costs ~1.5 ns per
// multiply-add (profile:step, --calls) and computes the masked half too. Here each (query, key)
// pair a query may see is visited once per pass, and no [B, L, L] logits or masks are made.
//
// The maths is the stock graph's, for every position the model keeps:
//   p_ij = softmax_j(s · q_i·k_j) over the keys j ≤ i with mask_j = 1,  a_ij = p_ij · keep_ij,
//   y_i = Σ_j a_ij v_j,
// where keep_ij is entry (b·L + i)·L + j of the counter-based dropout mask of the call's seed
// (dropoutMask.ts: 1 / r or 0, r the keep probability), computed where it is used in both passes,
// so no [B, L, L] uniform tensor is drawn or kept. One difference, on purpose: a query that may
// see no key (a padding query in a left-padded window) gets y_i = 0 here, where the stock graph's
// −1e9 logits spread it uniformly over masked keys; SASRec multiplies padding positions by zero after every block, so neither reaches the
// loss, a gradient or a real position's output.
import * as tf from '../tf';
import { dropoutMaskOf, maskStreamStep, mix32, type DropoutMask } from './dropoutMask';
import { fusedKernelsOn } from './fused';
import {
  expectInputSizes,
  hostKernelConfigs,
  registerMissing,
  type HostKernel,
  type HostMemory,
} from './hostKernel';
import { attentionScratchBytes, simdAttentionBackward, simdAttentionForward } from './simd/simdAttention';

export const CAUSAL_ATTENTION_KERNEL = 'AisleCausalAttention';
export const CAUSAL_ATTENTION_GRAD_KERNEL = 'AisleCausalAttentionGrad';

/** One batch of a single head: queries, keys and values are [batch, length, width]. */
export interface AttentionShape {
  batch: number;
  length: number;
  width: number;
}

/** A per-pair keep multiplier for the kernels' loops: the mask's entry, or 1 without dropout. */
function keepOf(mask: DropoutMask | null): (index: number) => number {
  if (!mask) return () => 1;
  const { key, threshold, multiplier } = mask;
  return (index) => (mix32(key + Math.imul(index, maskStreamStep)) < threshold ? multiplier : 0);
}

/** Inputs of the forward pass; `mask` (over [B, L, L]) only when dropping out. */
export interface AttentionForwardInputs {
  queries: Float32Array;
  keys: Float32Array;
  values: Float32Array;
  /** [B, L]: 1 for a real key, 0 for padding */
  keyMask: Float32Array;
  mask: DropoutMask | null;
  scale: number;
}

/** y [B, L, d] and the softmax weights p [B, L, L] before dropout (0 where a key is masked). */
export function causalAttentionForward(
  shape: AttentionShape,
  input: AttentionForwardInputs,
  out: { attended: Float32Array; probabilities: Float32Array },
): void {
  const { batch, length, width } = shape;
  const { queries, keys, values, keyMask, mask, scale } = input;
  const logits = new Float64Array(length);
  const keepAt = keepOf(mask);
  out.attended.fill(0);
  out.probabilities.fill(0);
  for (let b = 0; b < batch; b++) {
    const base = b * length * width;
    for (let i = 0; i < length; i++) {
      const query = base + i * width;
      let max = -Infinity;
      for (let j = 0; j <= i; j++) {
        if (keyMask[b * length + j] === 0) continue;
        const key = base + j * width;
        let dot = 0;
        for (let k = 0; k < width; k++) dot += queries[query + k] * keys[key + k];
        logits[j] = scale * dot;
        if (logits[j] > max) max = logits[j];
      }
      if (max === -Infinity) continue; // no key to see: y_i stays 0
      let total = 0;
      for (let j = 0; j <= i; j++) {
        if (keyMask[b * length + j] === 0) continue;
        logits[j] = Math.exp(logits[j] - max);
        total += logits[j];
      }
      const row = (b * length + i) * length;
      for (let j = 0; j <= i; j++) {
        if (keyMask[b * length + j] === 0) continue;
        const p = logits[j] / total;
        out.probabilities[row + j] = p;
        const weight = p * keepAt(row + j);
        if (weight === 0) continue;
        const value = base + j * width;
        for (let k = 0; k < width; k++) out.attended[query + k] += weight * values[value + k];
      }
    }
  }
}

/** What the backward pass reads: the forward inputs and its saved softmax weights. */
export interface AttentionBackwardInputs extends Omit<AttentionForwardInputs, 'keyMask'> {
  probabilities: Float32Array;
  /** dLoss/dy [B, L, d] */
  gradient: Float32Array;
}

/**
 * The gradients w.r.t. queries, keys and values. With g_ij = dy_i·v_j · keep_ij and
 * dl_ij = p_ij (g_ij − Σ_k p_ik g_ik): dv_j = Σ_i a_ij dy_i, dq_i = s Σ_j dl_ij k_j,
 * dk_j = s Σ_i dl_ij q_i. Masked pairs have p = 0, so they add nothing and are skipped.
 */
export function causalAttentionBackward(
  shape: AttentionShape,
  input: AttentionBackwardInputs,
  out: { queries: Float32Array; keys: Float32Array; values: Float32Array },
): void {
  const { batch, length, width } = shape;
  const { queries, keys, values, mask, scale, probabilities, gradient } = input;
  const weighted = new Float64Array(length);
  const keepAt = keepOf(mask);
  out.queries.fill(0);
  out.keys.fill(0);
  out.values.fill(0);
  for (let b = 0; b < batch; b++) {
    const base = b * length * width;
    for (let i = 0; i < length; i++) {
      const query = base + i * width;
      const row = (b * length + i) * length;
      let expected = 0;
      for (let j = 0; j <= i; j++) {
        const p = probabilities[row + j];
        weighted[j] = 0;
        if (p === 0) continue;
        const keep = keepAt(row + j);
        if (keep === 0) continue;
        const value = base + j * width;
        let dot = 0;
        for (let k = 0; k < width; k++) {
          dot += gradient[query + k] * values[value + k];
          out.values[value + k] += p * keep * gradient[query + k];
        }
        weighted[j] = dot * keep;
        expected += p * weighted[j];
      }
      for (let j = 0; j <= i; j++) {
        const p = probabilities[row + j];
        if (p === 0) continue;
        const dLogit = scale * p * (weighted[j] - expected);
        if (dLogit === 0) continue;
        const key = base + j * width;
        for (let k = 0; k < width; k++) {
          out.queries[query + k] += dLogit * keys[key + k];
          out.keys[key + k] += dLogit * queries[query + k];
        }
      }
    }
  }
}

function shapeOf(queries: tf.TensorInfo): AttentionShape {
  const [batch, length, width] = queries.shape;
  if (queries.shape.length !== 3 || queries.dtype !== 'float32') {
    throw new Error(
      `causal attention: float32 [batch, length, width] queries expected, got ${queries.shape}`,
    );
  }
  return { batch: batch!, length: length!, width: width! };
}

interface AttentionAttrs {
  scale: number;
  /** 1: no dropout (seed unused) */
  keepProbability: number;
  seed: number;
  /** the mask starts at this entry of its seed's stream (a replica's rows of a whole batch) */
  firstEntry: number;
}

/** Views of the inputs both passes read, and the attributes. Call after allocating every output. */
function commonInputs(args: Parameters<tf.KernelFunc>[0], memory: HostMemory) {
  const inputs = args.inputs as Record<string, tf.TensorInfo | undefined>;
  const view = (name: string) => {
    const t = inputs[name];
    return t ? (memory.view(t) as Float32Array) : null;
  };
  const { scale, keepProbability, seed, firstEntry } = args.attrs as unknown as AttentionAttrs;
  const common = {
    queries: view('queries')!,
    keys: view('keys')!,
    values: view('values')!,
    mask: keepProbability < 1 ? dropoutMaskOf(seed, keepProbability, firstEntry) : null,
    scale,
  };
  return { view, common };
}

/** The entry counts the loops index each input by, from the queries' [batch, length, width]. */
function expectedSizes({ batch, length, width }: AttentionShape, names: readonly string[]) {
  const sizes: Record<string, number> = {
    keys: batch * length * width,
    values: batch * length * width,
    keyMask: batch * length,
    probabilities: batch * length * length,
    dy: batch * length * width,
  };
  return Object.fromEntries(names.map((name) => [name, sizes[name]!]));
}

const forwardKernel: HostKernel = (args, memory) => {
  const queries = (args.inputs as Record<string, tf.TensorInfo>).queries;
  const shape = shapeOf(queries);
  const checked = expectedSizes(shape, ['keys', 'values', 'keyMask']);
  expectInputSizes(CAUSAL_ATTENTION_KERNEL, args.inputs, checked);
  const outputs = [
    memory.allocate(queries.shape),
    memory.allocate([shape.batch, shape.length, shape.length]),
  ];
  const scratch = memory.simd?.scratch(attentionScratchBytes(shape)) ?? 0; // before any view
  const [attended, probabilities] = outputs.map((t) => memory.view(t) as Float32Array);
  const { view, common } = commonInputs(args, memory);
  const input = { ...common, keyMask: view('keyMask')! };
  const out = { attended, probabilities };
  const settings = { scale: common.scale, mask: common.mask, scratch };
  if (memory.simd && simdAttentionForward(memory.simd, shape, input, settings, out)) return outputs;
  causalAttentionForward(shape, input, out);
  return outputs;
};

const backwardKernel: HostKernel = (args, memory) => {
  const queries = (args.inputs as Record<string, tf.TensorInfo>).queries;
  const shape = shapeOf(queries);
  const checked = expectedSizes(shape, ['keys', 'values', 'probabilities', 'dy']);
  expectInputSizes(CAUSAL_ATTENTION_GRAD_KERNEL, args.inputs, checked);
  const outputs = [0, 1, 2].map(() => memory.allocate(queries.shape));
  const scratch = memory.simd?.scratch(attentionScratchBytes(shape)) ?? 0; // before any view
  const [dQueries, dKeys, dValues] = outputs.map((t) => memory.view(t) as Float32Array);
  const { view, common } = commonInputs(args, memory);
  const input = { ...common, probabilities: view('probabilities')!, gradient: view('dy')! };
  const out = { queries: dQueries, keys: dKeys, values: dValues };
  const settings = { scale: common.scale, mask: common.mask, scratch };
  if (memory.simd && simdAttentionBackward(memory.simd, shape, input, settings, out)) return outputs;
  causalAttentionBackward(shape, input, out);
  return outputs;
};

export const causalAttentionKernelConfigs: tf.KernelConfig[] = [
  ...hostKernelConfigs(CAUSAL_ATTENTION_KERNEL, forwardKernel),
  ...hostKernelConfigs(CAUSAL_ATTENTION_GRAD_KERNEL, backwardKernel),
];

/** Dropout of the attention weights: the rate, and where the mask's seed comes from (called only
 *  when the fused op runs, so the caller's seed sequence is the op-by-op form's either way). */
export interface AttentionDropout {
  rate: number;
  nextSeed: () => number;
  /** the batch's first row within the whole batch the masks are drawn for (default 0) */
  firstRow?: number;
}

/**
 * One head of causal self-attention over queries, keys and values [B, L, d] with keyMask [B, L]
 * (1 real, 0 padding): the weights scaled by `scale`, masked, softmaxed and (with `dropout`) dropped
 * out with the counter-based mask of nextSeed() over [B, L, L] (dropoutMask.ts's maskedDropout); as
 * two fused kernels, when the active backend has them and the fused kernels are on; null otherwise
 * (the caller keeps the op-by-op form). Differentiable w.r.t. queries, keys and values.
 */
export function fusedCausalAttention(
  queries: tf.Tensor3D,
  keys: tf.Tensor3D,
  values: tf.Tensor3D,
  keyMask: tf.Tensor2D,
  scale: number,
  dropout: AttentionDropout | null,
): tf.Tensor3D | null {
  if (!fusedKernelsOn()) return null;
  registerMissing(causalAttentionKernelConfigs);
  if (!tf.getKernel(CAUSAL_ATTENTION_KERNEL, tf.getBackend())) return null;
  const dropping = dropout !== null && dropout.rate > 0;
  const attrs: AttentionAttrs = {
    scale,
    keepProbability: dropping ? 1 - dropout.rate : 1,
    seed: dropping ? dropout.nextSeed() : 0,
    // entry (b·L + i)·L + j: row b of this part is row firstRow + b of the whole batch
    firstEntry: dropping ? (dropout.firstRow ?? 0) * queries.shape[1] * queries.shape[1] : 0,
  };
  const attend = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [q, k, v, save] = args as [tf.Tensor, tf.Tensor, tf.Tensor, tf.GradSaveFunc];
    const [attended, probabilities] = tf
      .engine()
      .runKernel(
        CAUSAL_ATTENTION_KERNEL,
        { queries: q, keys: k, values: v, keyMask },
        attrs as never,
      ) as tf.Tensor[];
    save([q, k, v, probabilities]);
    return {
      value: attended,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [sq, sk, sv, sProbabilities] = saved;
        const inputs = { dy, queries: sq, keys: sk, values: sv, probabilities: sProbabilities };
        return tf.engine().runKernel(CAUSAL_ATTENTION_GRAD_KERNEL, inputs, attrs as never) as tf.Tensor[];
      },
    };
  }) as (q: tf.Tensor, k: tf.Tensor, v: tf.Tensor) => tf.Tensor3D;
  return attend(queries, keys, values);
}
