// tfjs-backend-wasm sums only over the innermost axes: any other reduction first transposes the
// whole input (a strided copy), then sums. Autodiff reduces over the LEADING axes all the time
// (the gradient of every bias, layer-norm gain and shift broadcast over [batch, positions, d] is
// a sum over batch and positions), so a SASRec step ran ~40 such transposes. Summing a leading
// prefix of axes is a column sum of a [rows, columns] view: one pass over the input, in the same
// order the stock kernel adds (row by row, in float32), so the result is the same.
import * as tf from '../tf';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { replaceKernel, restoreKernel, wasmStandIn } from './standIn';

let stockSum: tf.KernelConfig | undefined;

/** out[c] = Σ_r values[r · columns + c], accumulated row by row in float32. */
export function sumLeadingRows(values: Float32Array, rows: number, columns: number, out: Float32Array): void {
  out.fill(0, 0, columns);
  for (let r = 0; r < rows; r++) {
    const offset = r * columns;
    for (let c = 0; c < columns; c++) out[c] += values[offset + c];
  }
}

/** How many leading axes `axes` covers when it is exactly [0, 1, …, k − 1]; 0 otherwise. */
export function leadingAxesCount(axes: readonly number[], rank: number): number {
  const sorted = [...new Set(axes.map((axis) => ((axis % rank) + rank) % rank))].sort((a, b) => a - b);
  return sorted.every((axis, i) => axis === i) ? sorted.length : 0;
}

function sumOverLeadingAxes(args: Parameters<tf.KernelFunc>[0]): tf.TensorInfo | tf.TensorInfo[] {
  if (!stockSum) throw new Error('wasm Sum: the stock kernel is missing');
  const backend = args.backend as BackendWasm;
  const { x } = args.inputs as { x: tf.TensorInfo };
  const { axis, keepDims } = (args.attrs ?? {}) as { axis?: number | number[]; keepDims?: boolean };
  const rank = x.shape.length;
  const axes = tf.util.parseAxisParam(axis ?? [...Array(rank).keys()], x.shape);
  const leading = rank === 0 ? 0 : leadingAxesCount(axes, rank);
  // all axes, or only inner ones, are already a straight pass in the stock kernel
  if (x.dtype !== 'float32' || leading === 0 || leading === rank || tf.util.sizeFromShape(x.shape) === 0) {
    return stockSum.kernelFunc(args);
  }
  const rows = tf.util.sizeFromShape(x.shape.slice(0, leading));
  const kept = x.shape.slice(leading);
  const columns = tf.util.sizeFromShape(kept);
  const outShape = keepDims ? [...Array(leading).fill(1), ...kept] : kept;
  const out = backend.makeOutput(outShape, 'float32');
  // views after the allocation: growing the heap detaches earlier ones
  sumLeadingRows(
    backend.typedArrayFromHeap(x) as Float32Array,
    rows,
    columns,
    backend.typedArrayFromHeap(out) as Float32Array,
  );
  return out;
}

export const wasmSumConfig = wasmStandIn('Sum', sumOverLeadingAxes, () => stockSum);

/** Sum over leading axes without the transpose (idempotent; after importing the wasm backend). */
export function registerWasmLeadingSum(): void {
  stockSum = replaceKernel(wasmSumConfig) ?? stockSum;
}

export function unregisterWasmLeadingSum(): void {
  restoreKernel(wasmSumConfig, stockSum);
}
