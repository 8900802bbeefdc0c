// Several dense layers that read the same input (SASRec's query, key and value projections) can
// be one product: x · [W₁ W₂ W₃] gives the three outputs side by side as column blocks of one
// [rows, Σ widths] matrix. Done op by op that needs a concat of the weights, a split of the
// product (tfjs-wasm's Slice walks column slices element by element: ~1.7 ms for one [1024, 50]
// block of a [1024, 150] product) and a bias Add per block, and backpropagation needs the
// blocks' gradients concatenated and a Sum per bias. These two kernels do the copies in one pass
// each, plain JavaScript over the backend's buffers (hostKernel.ts):
// - `AisleSplitColumns`: x [rows, Σ w] (+ one bias [w_i] per block) -> blocks [rows, w_i];
// - `AisleJoinColumns`: blocks [rows, w_i] -> x [rows, Σ w] (+ each block's column sums [w_i],
//   which are the biases' gradients, added row by row in float32 as tfjs's Sum adds them).
// Each is the other's gradient (registered with tf.registerGradient), so autodiff through
// join -> matMul -> split is the op-by-op maths with fewer launches and no slicing.
import * as tf from '../tf';
import { fusedKernelsOn } from './fused';
import { hostKernelConfigs, registerMissing, type HostKernel } from './hostKernel';

export const SPLIT_COLUMNS_KERNEL = 'AisleSplitColumns';
export const JOIN_COLUMNS_KERNEL = 'AisleJoinColumns';

/** The input's blocks named in order, so a kernel's inputs keep the blocks' order. */
const blockName = (i: number) => `block${i}`;
const biasName = (i: number) => `bias${i}`;

interface SplitAttrs {
  widths: number[];
  /** whether inputs bias0… (one [w_i] per block) are given */
  withBias: boolean;
}

interface JoinAttrs {
  widths: number[];
  /** whether to also return each block's column sums */
  withSums: boolean;
}

/**
 * Copies column block i (columns from…from + w_i of a [rows, total] matrix) into out[i] [rows, w_i],
 * adding biases[i] to every row when given.
 */
export function splitColumns(
  source: Float32Array,
  rows: number,
  widths: readonly number[],
  out: Float32Array[],
  biases?: readonly Float32Array[],
): void {
  const total = widths.reduce((sum, w) => sum + w, 0);
  let from = 0;
  widths.forEach((width, i) => {
    const block = out[i];
    const bias = biases?.[i];
    for (let r = 0; r < rows; r++) {
      const at = r * total + from;
      const to = r * width;
      // plain loops: a subarray per row would allocate rows × blocks views
      if (bias) for (let c = 0; c < width; c++) block[to + c] = source[at + c] + bias[c];
      else for (let c = 0; c < width; c++) block[to + c] = source[at + c];
    }
    from += width;
  });
}

/**
 * The blocks [rows, w_i] side by side in out [rows, Σ w]; with `sums`, sums[i][c] = Σ_r block_i[r, c],
 * accumulated row by row in float32 (the order and precision of tfjs's Sum over the rows).
 */
export function joinColumns(
  blocks: readonly Float32Array[],
  rows: number,
  widths: readonly number[],
  out: Float32Array,
  sums?: Float32Array[],
): void {
  const total = widths.reduce((sum, w) => sum + w, 0);
  let from = 0;
  widths.forEach((width, i) => {
    const block = blocks[i];
    const sum = sums?.[i];
    sum?.fill(0);
    for (let r = 0; r < rows; r++) {
      const at = r * width;
      const to = r * total + from;
      if (sum) {
        for (let c = 0; c < width; c++) {
          const value = block[at + c];
          out[to + c] = value;
          sum[c] += value;
        }
      } else {
        for (let c = 0; c < width; c++) out[to + c] = block[at + c];
      }
    }
    from += width;
  });
}

/** rows of a 2-D float32 tensor, or a clear error naming the kernel. */
function rowsOf(kernel: string, t: tf.TensorInfo, width?: number): number {
  if (t.dtype !== 'float32' || t.shape.length !== 2 || (width !== undefined && t.shape[1] !== width)) {
    throw new Error(
      `${kernel}: expected a float32 [rows, ${width ?? 'columns'}] matrix, got ${t.dtype} [${t.shape}]`,
    );
  }
  return t.shape[0]!;
}

const splitKernel: HostKernel = (args, memory) => {
  const { widths, withBias } = args.attrs as unknown as SplitAttrs;
  const x = args.inputs.x as tf.TensorInfo;
  const total = widths.reduce((sum, w) => sum + w, 0);
  const rows = rowsOf(SPLIT_COLUMNS_KERNEL, x, total);
  const outputs = widths.map((width) => memory.allocate([rows, width]));
  const view = (t: tf.TensorInfo) => memory.view(t) as Float32Array;
  const biases = withBias ? widths.map((_, i) => view(args.inputs[biasName(i)] as tf.TensorInfo)) : undefined;
  biases?.forEach((bias, i) => {
    if (bias.length !== widths[i])
      throw new Error(`${SPLIT_COLUMNS_KERNEL}: bias ${i} is not [${widths[i]}]`);
  });
  splitColumns(view(x), rows, widths, outputs.map(view), biases);
  return outputs;
};

const joinKernel: HostKernel = (args, memory) => {
  const { widths, withSums } = args.attrs as unknown as JoinAttrs;
  const blocks = widths.map((_, i) => args.inputs[blockName(i)] as tf.TensorInfo);
  const rows = rowsOf(JOIN_COLUMNS_KERNEL, blocks[0], widths[0]);
  blocks.forEach((block, i) => {
    if (rowsOf(JOIN_COLUMNS_KERNEL, block, widths[i]) !== rows) {
      throw new Error(`${JOIN_COLUMNS_KERNEL}: block ${i} has ${block.shape[0]} rows, block 0 ${rows}`);
    }
  });
  const total = widths.reduce((sum, w) => sum + w, 0);
  const outputs = [
    memory.allocate([rows, total]),
    ...(withSums ? widths.map((w) => memory.allocate([w])) : []),
  ];
  const view = (t: tf.TensorInfo) => memory.view(t) as Float32Array;
  const [joined, ...sums] = outputs.map(view);
  joinColumns(blocks.map(view), rows, widths, joined, withSums ? sums : undefined);
  return outputs;
};

export const columnBlockKernelConfigs: tf.KernelConfig[] = [
  ...hostKernelConfigs(SPLIT_COLUMNS_KERNEL, splitKernel),
  ...hostKernelConfigs(JOIN_COLUMNS_KERNEL, joinKernel),
];

function runSplit(x: tf.Tensor, widths: number[], biases?: tf.Tensor[]): tf.Tensor[] {
  const inputs: tf.NamedTensorMap = { x };
  biases?.forEach((bias, i) => (inputs[biasName(i)] = bias));
  const attrs: SplitAttrs = { widths, withBias: Boolean(biases) };
  return tf.engine().runKernel(SPLIT_COLUMNS_KERNEL, inputs, attrs as never) as tf.Tensor[];
}

function runJoin(blocks: tf.Tensor[], withSums: boolean): tf.Tensor[] {
  const inputs: tf.NamedTensorMap = {};
  blocks.forEach((block, i) => (inputs[blockName(i)] = block));
  const attrs: JoinAttrs = { widths: blocks.map((block) => block.shape[1]!), withSums };
  return tf.engine().runKernel(JOIN_COLUMNS_KERNEL, inputs, attrs as never) as tf.Tensor[];
}

let gradientsRegistered = false;

/** Each kernel's gradient is the other kernel (registered once; gradients are backend-free). */
function registerColumnBlockGradients(): void {
  if (gradientsRegistered) return;
  gradientsRegistered = true;
  tf.registerGradient({
    kernelName: SPLIT_COLUMNS_KERNEL,
    gradFunc: (dy, _saved, attrs) => {
      const { withBias } = attrs as unknown as SplitAttrs;
      const dys = Array.isArray(dy) ? dy : [dy];
      const [dx, ...dBiases] = runJoin(dys, withBias);
      const grads: Record<string, () => tf.Tensor> = { x: () => dx };
      dBiases.forEach((dBias, i) => (grads[biasName(i)] = () => dBias));
      return grads;
    },
  });
  tf.registerGradient({
    kernelName: JOIN_COLUMNS_KERNEL,
    gradFunc: (dy, _saved, attrs) => {
      const { widths, withSums } = attrs as unknown as JoinAttrs;
      // the sums are a by-product for the split's gradient, never differentiated through
      if (withSums) throw new Error(`${JOIN_COLUMNS_KERNEL}: no gradient through the column sums`);
      const blockGrads = runSplit(Array.isArray(dy) ? dy[0] : dy, widths);
      const grads: Record<string, () => tf.Tensor> = {};
      blockGrads.forEach((grad, i) => (grads[blockName(i)] = () => grad));
      return grads;
    },
  });
}

/** Whether the active backend runs the column-block kernels (wasm, cpu) and the fused kernels are on. */
export function columnBlocksAvailable(): boolean {
  if (!fusedKernelsOn()) return false;
  registerMissing(columnBlockKernelConfigs);
  if (!tf.getKernel(SPLIT_COLUMNS_KERNEL, tf.getBackend())) return false;
  registerColumnBlockGradients();
  return true;
}

export { runJoin as joinColumnBlocks, runSplit as splitColumnBlocks };
