// tfjs-backend-wasm multiplies untransposed 2-D operands with XNNPACK, but any transposeA or
// transposeB goes to a slow generic loop: [6400, 50] · [50, 50]ᵀ takes ~13 ms instead of ~2 ms.
// Autodiff of every dense layer asks for exactly those (dx = dy · Wᵀ, dW = xᵀ · dy), so they
// were most of a SASRec training step. Materialising the transposed operand and running the plain
// product is much faster. The copy is a cache-blocked JavaScript loop over the wasm heap: the stock
// wasm Transpose kernel walks the output element by element through a generic N-d index, and for
// dW's [1024, 50] operand it cost about twice the XNNPACK product it fed (profile:step, --calls).
// Where the SIMD module is available (simd/) the same copy runs there in 4 × 4 blocks.
// Only single-matrix products (batch 1) take this path: batched ones use the generic loop
// either way, so there the copy would only add work.
import * as tf from '../tf';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { fusedKernelsOn } from './fused';
import { simdKernelsFor } from './simd/simdModule';
import { simdTranspose } from './simd/simdTranspose';
import { replaceKernel, wasmStandIn } from './standIn';

let stockBatchMatMul: tf.KernelConfig | undefined;

type KernelArgs = Parameters<tf.KernelFunc>[0];

function batchSize(shape: readonly number[]): number {
  return tf.util.sizeFromShape(shape.slice(0, -2));
}

/** Side of the square tiles the transpose copies: 16 × 16 floats of source and output stay in cache. */
const TILE = 16;

/** out [cols, rows] = source [rows, cols]ᵀ, both row-major, tile by tile. */
export function transposeInto(source: Float32Array, rows: number, cols: number, out: Float32Array): void {
  for (let rowStart = 0; rowStart < rows; rowStart += TILE) {
    const rowEnd = Math.min(rows, rowStart + TILE);
    for (let colStart = 0; colStart < cols; colStart += TILE) {
      const colEnd = Math.min(cols, colStart + TILE);
      for (let r = rowStart; r < rowEnd; r++) {
        const from = r * cols;
        for (let c = colStart; c < colEnd; c++) out[c * rows + r] = source[from + c];
      }
    }
  }
}

/** The last two axes swapped, through the stock wasm Transpose kernel (the fused kernels off). */
function stockTransposeLastTwo(backend: BackendWasm, x: tf.TensorInfo): tf.TensorInfo {
  const transpose = tf.getKernel('Transpose', 'wasm');
  if (!transpose) throw new Error('wasm BatchMatMul: the Transpose kernel is missing');
  const rank = x.shape.length;
  const perm = [...Array(rank - 2).keys(), rank - 1, rank - 2];
  return transpose.kernelFunc({ inputs: { x }, backend, attrs: { perm } }) as tf.TensorInfo;
}

/** A single matrix (any leading axes of size 1) with its last two axes swapped, on the wasm heap. */
function transposeLastTwo(backend: BackendWasm, x: tf.TensorInfo): tf.TensorInfo {
  if (!fusedKernelsOn()) return stockTransposeLastTwo(backend, x);
  const rank = x.shape.length;
  const rows = x.shape[rank - 2]!;
  const cols = x.shape[rank - 1]!;
  const out = backend.makeOutput([...x.shape.slice(0, -2), cols, rows], 'float32');
  // views after the allocation, which may grow (and so detach) the heap
  const source = backend.typedArrayFromHeap(x) as Float32Array;
  const target = backend.typedArrayFromHeap(out) as Float32Array;
  // the SIMD module's 4 × 4 shuffles (simd/simdKernels.as) where available: the same copy
  const simd = simdKernelsFor(backend);
  if (!(simd && simdTranspose(simd, source, rows, cols, target))) transposeInto(source, rows, cols, target);
  return out;
}

function batchMatMulViaTranspose(args: KernelArgs): tf.TensorInfo | tf.TensorInfo[] {
  if (!stockBatchMatMul) throw new Error('wasm BatchMatMul: the stock kernel is missing');
  const backend = args.backend as BackendWasm;
  const { a, b } = args.inputs as { a: tf.TensorInfo; b: tf.TensorInfo };
  const attrs = (args.attrs ?? {}) as { transposeA?: boolean; transposeB?: boolean };
  const transposeA = Boolean(attrs.transposeA);
  const transposeB = Boolean(attrs.transposeB);
  if (
    (!transposeA && !transposeB) ||
    a.dtype !== 'float32' ||
    b.dtype !== 'float32' ||
    batchSize(a.shape) !== 1 ||
    batchSize(b.shape) !== 1
  ) {
    return stockBatchMatMul.kernelFunc(args);
  }
  const temporaries: tf.TensorInfo[] = [];
  const plainA = transposeA ? transposeLastTwo(backend, a) : a;
  if (transposeA) temporaries.push(plainA);
  const plainB = transposeB ? transposeLastTwo(backend, b) : b;
  if (transposeB) temporaries.push(plainB);
  try {
    return stockBatchMatMul.kernelFunc({
      ...args,
      inputs: { a: plainA, b: plainB },
      attrs: { ...args.attrs, transposeA: false, transposeB: false },
    });
  } finally {
    for (const t of temporaries) backend.disposeData(t.dataId);
  }
}

export const wasmBatchMatMulConfig = wasmStandIn(
  'BatchMatMul',
  batchMatMulViaTranspose,
  () => stockBatchMatMul,
);

/**
 * Route transposed single-matrix products through an explicit transpose (idempotent).
 * Call after importing '@tensorflow/tfjs-backend-wasm', which registers the stock kernel.
 */
export function registerWasmFastMatMul(): void {
  stockBatchMatMul = replaceKernel(wasmBatchMatMulConfig) ?? stockBatchMatMul;
}
