// Several dense layers that read the same input (SASRec's query, key and value projections) can
// be one product: x · [W₁ W₂ W₃] gives the layers' outputs side by side, as column blocks of one
// [rows, Σ widths] matrix. Op by op that needs the weights concatenated and the product split, and
// tfjs-wasm's Slice walks a column slice element by element (~1.7 ms for one [1024, 50] block of a
// [1024, 150] product, ~40× the copy below). These two kernels copy column blocks row by row:
// - `AisleSplitColumns`: x [rows, Σ w] -> blocks [rows, w_i];
// - `AisleJoinColumns`: blocks [rows, w_i] -> x [rows, Σ w].
// A vector (rank 1) is one row: biases [w_i] join into [Σ w]. Each kernel's gradient is the other
// (tf.registerGradient), so autodiff through join -> matMul -> split is the op-by-op maths.
// Plain JavaScript over the backend's buffers (hostKernel.ts); on wasm, where inputs and outputs
// are views of one heap, each row is one copyWithin (a memmove: ~3× a JavaScript loop, measured).
import * as tf from '../tf';
import { fusedKernelsOn } from './fused';
import { hostKernelConfigs, registerMissing, type HostKernel } from './hostKernel';

export const SPLIT_COLUMNS_KERNEL = 'AisleSplitColumns';
export const JOIN_COLUMNS_KERNEL = 'AisleJoinColumns';

/** The join's inputs named in order, so a kernel's inputs keep the blocks' order. */
const blockName = (i: number) => `block${i}`;

interface ColumnAttrs {
  widths: number[];
}

/**
 * Copies between views: copy(target, to, source, from, count) moves `count` floats from
 * source[from…] to target[to…]. When every view shares one buffer (the wasm heap) each copy is one
 * copyWithin on a view of the whole buffer, made once per kernel call (making it per row cost
 * more than the copies: ~490 µs against ~140 µs for a [1024, 150] split, measured).
 */
function floatCopier(views: readonly Float32Array[]) {
  const buffer = views[0].buffer;
  if (views.every((view) => view.buffer === buffer)) {
    const whole = new Float32Array(buffer);
    return (target: Float32Array, to: number, source: Float32Array, from: number, count: number) => {
      const at = source.byteOffset / 4 + from;
      whole.copyWithin(target.byteOffset / 4 + to, at, at + count);
    };
  }
  return (target: Float32Array, to: number, source: Float32Array, from: number, count: number) => {
    for (let i = 0; i < count; i++) target[to + i] = source[from + i];
  };
}

/** Copies column block i (the w_i columns after the blocks before it) of source [rows, Σ w] into out[i] [rows, w_i]. */
export function splitColumns(
  source: Float32Array,
  rows: number,
  widths: readonly number[],
  out: Float32Array[],
): void {
  const total = widths.reduce((sum, w) => sum + w, 0);
  const copy = floatCopier([source, ...out]);
  for (let r = 0; r < rows; r++) {
    let from = r * total;
    for (let i = 0; i < widths.length; i++) {
      copy(out[i], r * widths[i], source, from, widths[i]);
      from += widths[i];
    }
  }
}

/** The blocks [rows, w_i] side by side in out [rows, Σ w]. */
export function joinColumns(
  blocks: readonly Float32Array[],
  rows: number,
  widths: readonly number[],
  out: Float32Array,
): void {
  const total = widths.reduce((sum, w) => sum + w, 0);
  const copy = floatCopier([out, ...blocks]);
  for (let r = 0; r < rows; r++) {
    let to = r * total;
    for (let i = 0; i < widths.length; i++) {
      copy(out, to, blocks[i], r * widths[i], widths[i]);
      to += widths[i];
    }
  }
}

/** [rows, columns] of a float32 matrix (a vector is one row), or a clear error naming the kernel. */
function matrixOf(kernel: string, t: tf.TensorInfo, columns: number): { rows: number; vector: boolean } {
  const vector = t.shape.length === 1;
  const fits =
    t.dtype === 'float32' && (vector || t.shape.length === 2) && t.shape[t.shape.length - 1] === columns;
  if (!fits)
    throw new Error(`${kernel}: expected a float32 [rows, ${columns}] matrix, got ${t.dtype} [${t.shape}]`);
  return { rows: vector ? 1 : t.shape[0]!, vector };
}

const sumOf = (widths: readonly number[]) => widths.reduce((sum, w) => sum + w, 0);

const splitKernel: HostKernel = (args, memory) => {
  const { widths } = args.attrs as unknown as ColumnAttrs;
  const x = args.inputs.x as tf.TensorInfo;
  const { rows, vector } = matrixOf(SPLIT_COLUMNS_KERNEL, x, sumOf(widths));
  const outputs = widths.map((width) => memory.allocate(vector ? [width] : [rows, width]));
  const view = (t: tf.TensorInfo) => memory.view(t) as Float32Array;
  splitColumns(view(x), rows, widths, outputs.map(view));
  return outputs;
};

const joinKernel: HostKernel = (args, memory) => {
  const { widths } = args.attrs as unknown as ColumnAttrs;
  const blocks = widths.map((_, i) => args.inputs[blockName(i)] as tf.TensorInfo);
  const first = matrixOf(JOIN_COLUMNS_KERNEL, blocks[0], widths[0]);
  blocks.forEach((block, i) => {
    const { rows, vector } = matrixOf(JOIN_COLUMNS_KERNEL, block, widths[i]);
    if (rows !== first.rows || vector !== first.vector) {
      throw new Error(`${JOIN_COLUMNS_KERNEL}: block ${i} is [${block.shape}], block 0 [${blocks[0].shape}]`);
    }
  });
  const total = sumOf(widths);
  const joined = memory.allocate(first.vector ? [total] : [first.rows, total]);
  const view = (t: tf.TensorInfo) => memory.view(t) as Float32Array;
  joinColumns(blocks.map(view), first.rows, widths, view(joined));
  return [joined];
};

export const columnBlockKernelConfigs: tf.KernelConfig[] = [
  ...hostKernelConfigs(SPLIT_COLUMNS_KERNEL, splitKernel),
  ...hostKernelConfigs(JOIN_COLUMNS_KERNEL, joinKernel),
];

/** x [rows, Σ widths] (or [Σ widths]) as its column blocks [rows, w_i] (or [w_i]). */
export function splitColumnBlocks(x: tf.Tensor, widths: number[]): tf.Tensor[] {
  const attrs: ColumnAttrs = { widths };
  return tf.engine().runKernel(SPLIT_COLUMNS_KERNEL, { x }, attrs as never) as tf.Tensor[];
}

/** Blocks [rows, w_i] (or vectors [w_i]) side by side: [rows, Σ w_i] (or [Σ w_i]). */
export function joinColumnBlocks(blocks: tf.Tensor[]): tf.Tensor {
  const inputs: tf.NamedTensorMap = {};
  blocks.forEach((block, i) => (inputs[blockName(i)] = block));
  const attrs: ColumnAttrs = { widths: blocks.map((block) => block.shape[block.shape.length - 1]!) };
  return (tf.engine().runKernel(JOIN_COLUMNS_KERNEL, inputs, attrs as never) as tf.Tensor[])[0];
}

let gradientsRegistered = false;

/** Each kernel's gradient is the other kernel (registered once; gradients are backend-free). */
function registerColumnBlockGradients(): void {
  if (gradientsRegistered) return;
  gradientsRegistered = true;
  tf.registerGradient({
    kernelName: SPLIT_COLUMNS_KERNEL,
    // a block nothing used comes back as zeros (the engine fills it in)
    gradFunc: (dy) => {
      const joined = joinColumnBlocks(Array.isArray(dy) ? dy : [dy]);
      return { x: () => joined };
    },
  });
  tf.registerGradient({
    kernelName: JOIN_COLUMNS_KERNEL,
    gradFunc: (dy, _saved, attrs) => {
      const { widths } = attrs as unknown as ColumnAttrs;
      const blockGrads = splitColumnBlocks(Array.isArray(dy) ? dy[0] : dy, widths);
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
