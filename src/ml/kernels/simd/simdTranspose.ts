// The transpose's SIMD path (simdKernels.as's transpose, 4 × 4 blocks of shuffles): wasmMatMul.ts's
// copy of a matrix with its axes swapped, the same entries moved, so equal bit for bit. Returns
// false, having written nothing, where the SIMD path cannot run (a view off the memory or of a
// length other than rows · cols), and the caller runs its JavaScript loop.
import { viewsOnMemory, type SimdKernels } from './simdModule';

/** target (cols × rows) = sourceᵀ, source rows × cols, both row-major views of the kernels' memory. */
export function simdTranspose(
  kernels: SimdKernels,
  source: Float32Array,
  rows: number,
  cols: number,
  target: Float32Array,
): boolean {
  const entries = rows * cols;
  if (source.length !== entries || target.length !== entries) return false;
  if (!viewsOnMemory(kernels, [source, target])) return false;
  kernels.exports.transpose(source.byteOffset, rows, cols, target.byteOffset);
  return true;
}
