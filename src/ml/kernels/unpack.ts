// tfjs-backend-wasm unstacks with one Slice per output, and each Slice starts with
// backend.readSync, which copies the WHOLE input off the wasm heap. Unstacking a
// [L, B, d] tensor into L steps therefore copies L × the tensor: for a GRU over 50 steps
// that is most of a training step. Along axis 0 every output is a contiguous block, so it
// can be copied straight from a heap view instead. Other axes keep the stock kernel.
import * as tf from '../tf';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { replaceKernel } from './standIn';

let stockWasmUnpack: tf.KernelConfig | undefined;

function unpackLeadingAxis(args: Parameters<tf.KernelFunc>[0]): tf.TensorInfo | tf.TensorInfo[] {
  const backend = args.backend as BackendWasm;
  const { value } = args.inputs as { value: tf.TensorInfo };
  const rank = value.shape.length;
  const axis = ((Number(args.attrs?.axis ?? 0) % rank) + rank) % rank;
  if (axis !== 0 || value.dtype === 'string' || !stockWasmUnpack) {
    if (!stockWasmUnpack) throw new Error('wasm Unpack: the stock kernel is missing');
    return stockWasmUnpack.kernelFunc(args);
  }
  const count = value.shape[0];
  const outShape = value.shape.slice(1);
  const blockSize = tf.util.sizeFromShape(outShape);
  const outputs: tf.TensorInfo[] = [];
  for (let i = 0; i < count; i++) {
    const out = backend.makeOutput(outShape, value.dtype);
    // Take both views after the allocation: growing the heap detaches earlier views.
    const source = backend.typedArrayFromHeap(value);
    backend.typedArrayFromHeap(out).set(source.subarray(i * blockSize, (i + 1) * blockSize));
    outputs.push(out);
  }
  return outputs;
}

export const wasmUnpackConfig: tf.KernelConfig = {
  kernelName: 'Unpack',
  backendName: 'wasm',
  kernelFunc: unpackLeadingAxis,
};

/**
 * Replace the wasm Unpack with one that copies contiguous blocks for axis 0 (idempotent).
 * Call after importing '@tensorflow/tfjs-backend-wasm', which registers the stock kernel.
 */
export function registerWasmFastUnpack(): void {
  stockWasmUnpack = replaceKernel(wasmUnpackConfig) ?? stockWasmUnpack;
}
