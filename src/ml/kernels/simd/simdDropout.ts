// The dropout kernels' SIMD path (simdKernels.as's dropoutForward / dropoutBackward): the same
// arguments as dropout.ts's JavaScript loops, given as views of the wasm heap, passed to the module
// as byte offsets. Each returns false, having written nothing, where the SIMD path cannot run, and
// the caller runs its JavaScript loop.
import type { DropoutMask } from '../dropoutMask';
import { viewsOnMemory, type SimdKernels } from './simdModule';

/** The mask as the module takes it: threshold − 1 (a threshold of 0, keep < 2^-33, has no SIMD path). */
function keptBelowOrAt(mask: DropoutMask): number | null {
  return mask.threshold >= 1 ? mask.threshold - 1 : null;
}

/** Rows and width the module walks: one row of every entry without a row scale. */
function rowsOf(length: number, rowScale: Float32Array | null, width: number) {
  return rowScale ? { rows: rowScale.length, width } : { rows: 1, width: length };
}

/** out = (residual + x · mask) · rowScale[row] (dropout.ts's dropoutForward then scaleRows). */
export function simdDropoutForward(
  kernels: SimdKernels,
  input: { x: Float32Array; residual: Float32Array | null; rowScale: Float32Array | null; mask: DropoutMask },
  width: number,
  out: Float32Array,
): boolean {
  const { x, residual, rowScale, mask } = input;
  const kept = keptBelowOrAt(mask);
  if (kept === null || !viewsOnMemory(kernels, [x, residual, rowScale, out])) return false;
  const shape = rowsOf(x.length, rowScale, width);
  kernels.exports.dropoutForward(
    x.byteOffset,
    residual?.byteOffset ?? 0,
    rowScale?.byteOffset ?? 0,
    out.byteOffset,
    shape.rows,
    shape.width,
    mask.key,
    kept,
    mask.multiplier,
    residual !== null,
    rowScale !== null,
  );
  return true;
}

/** dx = (dy · rowScale[row]) · mask, and with a row scale scaled = dy · rowScale[row]. */
export function simdDropoutBackward(
  kernels: SimdKernels,
  input: { dy: Float32Array; rowScale: Float32Array | null; mask: DropoutMask },
  width: number,
  out: { dx: Float32Array; scaled: Float32Array | null },
): boolean {
  const { dy, rowScale, mask } = input;
  const kept = keptBelowOrAt(mask);
  if (kept === null || (rowScale === null) !== (out.scaled === null)) return false;
  if (!viewsOnMemory(kernels, [dy, rowScale, out.dx, out.scaled])) return false;
  const shape = rowsOf(dy.length, rowScale, width);
  kernels.exports.dropoutBackward(
    dy.byteOffset,
    rowScale?.byteOffset ?? 0,
    out.dx.byteOffset,
    out.scaled?.byteOffset ?? 0,
    shape.rows,
    shape.width,
    mask.key,
    kept,
    mask.multiplier,
    rowScale !== null,
  );
  return true;
}
