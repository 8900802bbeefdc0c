// UnsortedSegmentSum is what tfjs differentiates `gather` with, so every embedding model
// needs it. The wasm backend has no such kernel (training there fails with "kernel not
// registered"), and the cpu backend's version builds one masked copy of the whole input
// per segment: O(segments × input) and thousands of temporary tensors for a 6k-row table.
// Both get the same O(input) pure-JS kernel from here.
import * as tf from '../tf';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

type NumericArray = Float32Array | Int32Array;

/**
 * out[s, :] = Σ over i with segmentIds[i] == s of values[i, :], for rows of rowSize values.
 * Ids outside [0, segmentCount) are dropped, as in TensorFlow.
 */
export function segmentSum<T extends NumericArray>(
  values: T,
  segmentIds: ArrayLike<number>,
  rowSize: number,
  segmentCount: number,
): T {
  if (values.length !== segmentIds.length * rowSize) {
    throw new Error(
      `segmentSum: ${values.length} values do not split into ${segmentIds.length} rows of ${rowSize}`,
    );
  }
  const out = new (values.constructor as new (length: number) => T)(segmentCount * rowSize);
  for (let row = 0; row < segmentIds.length; row++) {
    const segment = segmentIds[row];
    if (!(segment >= 0 && segment < segmentCount)) continue;
    const from = row * rowSize;
    const to = segment * rowSize;
    for (let k = 0; k < rowSize; k++) out[to + k] += values[from + k];
  }
  return out;
}

/** Output shape: segment ids may index a prefix of x's dimensions. */
export function segmentSumShape(
  xShape: readonly number[],
  segmentIdsRank: number,
  segmentCount: number,
): number[] {
  return [segmentCount, ...xShape.slice(segmentIdsRank)];
}

interface SegmentSumArgs {
  inputs: tf.NamedTensorInfoMap;
  attrs?: tf.NamedAttrMap;
}

/** The backend-independent part: read both inputs, sum on the JS side. */
function computeOnHost(
  args: SegmentSumArgs,
  read: (tensor: tf.TensorInfo) => tf.backend_util.BackendValues,
): { shape: number[]; dtype: tf.DataType; values: NumericArray } {
  const { x, segmentIds } = args.inputs as { x: tf.TensorInfo; segmentIds: tf.TensorInfo };
  const segmentCount = Number(args.attrs?.numSegments);
  const ids = read(segmentIds) as Int32Array;
  const raw = read(x);
  // segmentSum only reads its input, so a view of the backend's storage is used as is.
  const values =
    x.dtype === 'int32'
      ? raw instanceof Int32Array
        ? raw
        : Int32Array.from(raw as ArrayLike<number>)
      : raw instanceof Float32Array
        ? raw
        : Float32Array.from(raw as ArrayLike<number>);
  const rowSize = ids.length === 0 ? 0 : values.length / ids.length;
  const rowWidth = tf.util.sizeFromShape(x.shape.slice(segmentIds.shape.length));
  return {
    shape: segmentSumShape(x.shape, segmentIds.shape.length, segmentCount),
    dtype: x.dtype,
    values:
      ids.length === 0
        ? new Float32Array(segmentCount * rowWidth)
        : segmentSum(values, ids, rowSize, segmentCount),
  };
}

export const wasmUnsortedSegmentSumConfig: tf.KernelConfig = {
  kernelName: 'UnsortedSegmentSum',
  backendName: 'wasm',
  kernelFunc: (args) => {
    const backend = args.backend as BackendWasm;
    // Heap views, not readSync (which copies each input): the sum is done before makeOutput
    // allocates, so no view outlives a possible heap growth. (Test doubles lack the views.)
    const heap = backend as Partial<Pick<BackendWasm, 'typedArrayFromHeap'>> & BackendWasm;
    const { shape, dtype, values } = computeOnHost(args, (tensor) =>
      heap.typedArrayFromHeap ? heap.typedArrayFromHeap(tensor) : heap.readSync(tensor.dataId),
    );
    // makeOutput allocates on the wasm heap and copies `values` in.
    return backend.makeOutput(shape, dtype, undefined, values);
  },
};

/** The part of the cpu backend we need; typed structurally so we need not import its package. */
interface HostBackend {
  readSync(dataId: tf.DataId): tf.backend_util.BackendValues;
  makeTensorInfo(shape: number[], dtype: tf.DataType, values: tf.backend_util.BackendValues): tf.TensorInfo;
}

export const cpuUnsortedSegmentSumConfig: tf.KernelConfig = {
  kernelName: 'UnsortedSegmentSum',
  backendName: 'cpu',
  kernelFunc: (args) => {
    const backend = args.backend as HostBackend;
    const { shape, dtype, values } = computeOnHost(args, (tensor) => backend.readSync(tensor.dataId));
    return backend.makeTensorInfo(shape, dtype, values);
  },
};

function registerReplacing(config: tf.KernelConfig): void {
  const existing = tf.getKernel(config.kernelName, config.backendName);
  if (existing === config) return;
  if (existing) tf.unregisterKernel(config.kernelName, config.backendName);
  tf.registerKernel(config);
}

/** Give the wasm backend the UnsortedSegmentSum kernel it lacks (idempotent; safe before wasm loads). */
export function registerWasmUnsortedSegmentSum(): void {
  registerReplacing(wasmUnsortedSegmentSumConfig);
}

/** Replace the cpu backend's O(segments × input) kernel with the linear one (idempotent). */
export function registerCpuUnsortedSegmentSum(): void {
  registerReplacing(cpuUnsortedSegmentSumConfig);
}

/** Both; what training calls before its first step. */
export function registerSegmentSumKernels(): void {
  registerWasmUnsortedSegmentSum();
  registerCpuUnsortedSegmentSum();
}
