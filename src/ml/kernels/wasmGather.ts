// tfjs-backend-wasm's GatherV2 walks every element through generic strides: gathering a few
// thousand 50-wide rows of an embedding table took 10–20 ms, and a SASRec step gathers the
// item table, its two Adam moments and the per-cell rows (seven gathers). Along axis 0 every
// output row is a contiguous block of the input, so it is copied straight between heap views.
// Other axes, batch dims and dtypes keep the stock kernel.
import * as tf from '../tf';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { replaceKernel, wasmStandIn } from './standIn';

let stockWasmGather: tf.KernelConfig | undefined;

function gatherRows(args: Parameters<tf.KernelFunc>[0]): tf.TensorInfo | tf.TensorInfo[] {
  if (!stockWasmGather) throw new Error('wasm GatherV2: the stock kernel is missing');
  const backend = args.backend as BackendWasm;
  const { x, indices } = args.inputs as { x: tf.TensorInfo; indices: tf.TensorInfo };
  const rank = x.shape.length;
  const axis = ((Number(args.attrs?.axis ?? 0) % rank) + rank) % rank;
  const batchDims = Number(args.attrs?.batchDims ?? 0);
  if (
    axis !== 0 ||
    batchDims !== 0 ||
    rank === 0 ||
    (x.dtype !== 'float32' && x.dtype !== 'int32') ||
    indices.dtype !== 'int32' ||
    tf.util.sizeFromShape(x.shape) === 0 ||
    tf.util.sizeFromShape(indices.shape) === 0
  ) {
    return stockWasmGather.kernelFunc(args);
  }
  const rowCount = x.shape[0];
  const ids = backend.typedArrayFromHeap(indices) as Int32Array;
  for (let i = 0; i < ids.length; i++) {
    // out of range: let the stock kernel raise its usual error
    if (!(ids[i] >= 0 && ids[i] < rowCount)) return stockWasmGather.kernelFunc(args);
  }
  const rowShape = x.shape.slice(1);
  const rowSize = tf.util.sizeFromShape(rowShape);
  const out = backend.makeOutput([...indices.shape, ...rowShape], x.dtype);
  // Take every view after the allocation: growing the heap detaches earlier views.
  const source = backend.typedArrayFromHeap(x) as Float32Array | Int32Array;
  const target = backend.typedArrayFromHeap(out) as Float32Array | Int32Array;
  const rows = backend.typedArrayFromHeap(indices) as Int32Array;
  for (let i = 0; i < rows.length; i++) {
    const from = rows[i] * rowSize;
    target.set(source.subarray(from, from + rowSize), i * rowSize);
  }
  return out;
}

export const wasmGatherConfig = wasmStandIn('GatherV2', gatherRows, () => stockWasmGather);

/**
 * Replace the wasm GatherV2 with row copies along axis 0 (idempotent).
 * Call after importing '@tensorflow/tfjs-backend-wasm', which registers the stock kernel.
 */
export function registerWasmFastGather(): void {
  stockWasmGather = replaceKernel(wasmGatherConfig) ?? stockWasmGather;
}
