// tfjs-backend-wasm multiplies untransposed 2-D operands with XNNPACK, but any transposeA or
// transposeB goes to a slow generic loop: [6400, 50] · [50, 50]ᵀ takes ~13 ms instead of ~2 ms.
// Autodiff of every dense layer asks for exactly those (dx = dy · Wᵀ, dW = xᵀ · dy), so they
// were most of a SASRec training step. Materialising the transposed operand with the wasm
// Transpose kernel (a copy of a few hundred KB) and running the plain product is much faster.
// Only single-matrix products (batch 1) take this path: batched ones use the generic loop
// either way, so there the copy would only add work.
import * as tf from '../tf';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { replaceKernel, wasmStandIn } from './standIn';

let stockBatchMatMul: tf.KernelConfig | undefined;

type KernelArgs = Parameters<tf.KernelFunc>[0];

function batchSize(shape: readonly number[]): number {
  return tf.util.sizeFromShape(shape.slice(0, -2));
}

/** The last two axes swapped, through the stock wasm Transpose kernel. */
function transposeLastTwo(backend: BackendWasm, x: tf.TensorInfo): tf.TensorInfo {
  const transpose = tf.getKernel('Transpose', 'wasm');
  if (!transpose) throw new Error('wasm BatchMatMul: the Transpose kernel is missing');
  const rank = x.shape.length;
  const perm = [...Array(rank - 2).keys(), rank - 1, rank - 2];
  return transpose.kernelFunc({ inputs: { x }, backend, attrs: { perm } }) as tf.TensorInfo;
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
