// SASRec's training loss (one sampled negative per position, binary cross-entropy) as one kernel
// forward and one backward. Written with tfjs ops it gathers the target and negative rows, takes
// two row-wise dot products, two softpluses, weights and means them (~15 kernels), and autodiff
// adds ~25 more plus an UnsortedSegmentSum per gather; per cell the work is two 50-wide dot
// products. Same maths as sequential.ts's 'bce' branch:
//   loss = Σ_c w_c · (softplus(−h_c·e_t(c)) + softplus(h_c·e_n(c))) / Σ_c w_c.
import * as tf from '../tf';
import { fusedKernelsOn } from './fused';
import { hostKernelConfigs, registerMissing, type HostKernel } from './hostKernel';

export const SAMPLED_BCE_KERNEL = 'AisleSampledBce';
export const SAMPLED_BCE_GRAD_KERNEL = 'AisleSampledBceGrad';

const softplus = (x: number) => (x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x)));
const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

function dot(a: Float32Array, aFrom: number, b: Float32Array, bFrom: number, width: number): number {
  let sum = 0;
  for (let k = 0; k < width; k++) sum += a[aFrom + k] * b[bFrom + k];
  return sum;
}

export interface SampledCells {
  /** [cells, width] hidden states */
  hidden: Float32Array;
  /** [rows, width] item rows the cells' targets and negatives index */
  table: Float32Array;
  targets: Int32Array;
  negatives: Int32Array;
  weights: Float32Array;
  width: number;
}

/** The weighted mean loss over the cells with weight > 0 (NaN when no cell has weight, as 0/0). */
export function sampledBceLoss(cells: SampledCells): number {
  const { hidden, table, targets, negatives, weights, width } = cells;
  let total = 0;
  let weightSum = 0;
  for (let c = 0; c < weights.length; c++) {
    weightSum += weights[c];
    if (weights[c] === 0) continue;
    const positive = dot(hidden, c * width, table, targets[c] * width, width);
    const negative = dot(hidden, c * width, table, negatives[c] * width, width);
    total += weights[c] * (softplus(-positive) + softplus(negative));
  }
  return total / weightSum;
}

/**
 * The gradient of sampledBceLoss times dy, w.r.t. the hidden states and the table rows:
 * with a = w_c·dy / Σw, dh_c = a·(σ(s⁻)·e_n − σ(−s⁺)·e_t), de_t += −a·σ(−s⁺)·h_c, de_n += a·σ(s⁻)·h_c.
 */
export function sampledBceGradient(
  cells: SampledCells,
  dy: number,
  out: { hidden: Float32Array; table: Float32Array },
): void {
  const { hidden, table, targets, negatives, weights, width } = cells;
  let weightSum = 0;
  for (let c = 0; c < weights.length; c++) weightSum += weights[c];
  out.hidden.fill(0);
  out.table.fill(0);
  for (let c = 0; c < weights.length; c++) {
    if (weights[c] === 0) continue;
    const a = (weights[c] * dy) / weightSum;
    const h = c * width;
    const t = targets[c] * width;
    const n = negatives[c] * width;
    const towardTarget = -a * sigmoid(-dot(hidden, h, table, t, width));
    const towardNegative = a * sigmoid(dot(hidden, h, table, n, width));
    for (let k = 0; k < width; k++) {
      out.hidden[h + k] = towardTarget * table[t + k] + towardNegative * table[n + k];
      out.table[t + k] += towardTarget * hidden[h + k];
      out.table[n + k] += towardNegative * hidden[h + k];
    }
  }
}

function cellsOf(
  inputs: Record<string, tf.TensorInfo>,
  view: (t: tf.TensorInfo) => Float32Array | Int32Array,
): SampledCells {
  const { hidden, table, targets, negatives, weights } = inputs;
  const width = hidden.shape[1] ?? 0;
  const rows = table.shape[0] ?? 0;
  const cells: SampledCells = {
    hidden: view(hidden) as Float32Array,
    table: view(table) as Float32Array,
    targets: view(targets) as Int32Array,
    negatives: view(negatives) as Int32Array,
    weights: view(weights) as Float32Array,
    width,
  };
  for (const ids of [cells.targets, cells.negatives]) {
    for (const id of ids)
      if (!(id >= 0 && id < rows)) throw new Error(`sampled BCE: row ${id} outside the table's ${rows}`);
  }
  return cells;
}

const forwardKernel: HostKernel = (args, memory) => {
  const out = memory.allocate([]);
  const loss = sampledBceLoss(cellsOf(args.inputs as Record<string, tf.TensorInfo>, memory.view));
  memory.view(out)[0] = loss;
  return [out];
};

const backwardKernel: HostKernel = (args, memory) => {
  const inputs = args.inputs as Record<string, tf.TensorInfo>;
  const outputs = [memory.allocate(inputs.hidden.shape), memory.allocate(inputs.table.shape)];
  const [hidden, table] = outputs.map((t) => memory.view(t) as Float32Array);
  sampledBceGradient(cellsOf(inputs, memory.view), memory.view(inputs.dy)[0], { hidden, table });
  return outputs;
};

export const sampledBceKernelConfigs: tf.KernelConfig[] = [
  ...hostKernelConfigs(SAMPLED_BCE_KERNEL, forwardKernel),
  ...hostKernelConfigs(SAMPLED_BCE_GRAD_KERNEL, backwardKernel),
];

/**
 * The sampled BCE loss of hidden [cells, d] against rows of table [rows, d], as two fused kernels,
 * when the active backend has them and the fused kernels are on; null otherwise (the caller then
 * uses the op-by-op form). Differentiable w.r.t. hidden and table.
 */
export function fusedSampledBce(
  hidden: tf.Tensor2D,
  table: tf.Tensor2D,
  targets: Int32Array,
  negatives: Int32Array,
  weights: Float32Array,
): tf.Scalar | null {
  if (!fusedKernelsOn()) return null;
  registerMissing(sampledBceKernelConfigs);
  if (!tf.getKernel(SAMPLED_BCE_KERNEL, tf.getBackend())) return null;
  const targetRows = tf.tensor1d(targets, 'int32');
  const negativeRows = tf.tensor1d(negatives, 'int32');
  const cellWeights = tf.tensor1d(weights);
  const loss = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [h, t, save] = args as [tf.Tensor, tf.Tensor, tf.GradSaveFunc];
    // the row ids and weights are saved too: the forward pass's tidy disposes them before backprop
    save([h, t, targetRows, negativeRows, cellWeights]);
    const constants = { targets: targetRows, negatives: negativeRows, weights: cellWeights };
    return {
      // the host kernels return arrays, so runKernel does too
      value: (
        tf.engine().runKernel(SAMPLED_BCE_KERNEL, { hidden: h, table: t, ...constants }) as tf.Tensor[]
      )[0],
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [sh, st, sTargets, sNegatives, sWeights] = saved;
        const inputs = {
          dy,
          hidden: sh,
          table: st,
          targets: sTargets,
          negatives: sNegatives,
          weights: sWeights,
        };
        return tf.engine().runKernel(SAMPLED_BCE_GRAD_KERNEL, inputs) as tf.Tensor[];
      },
    };
  }) as (h: tf.Tensor, t: tf.Tensor) => tf.Scalar;
  return loss(hidden, table);
}
