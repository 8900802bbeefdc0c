// The layer norm kernels' SIMD path (simdKernels.as's layerNormForward / layerNormBackward):
// layerNorm.ts's JavaScript loops with float32 lanes where it computes in float64, so equal to
// float32 rounding. Each returns false, having written nothing, where the SIMD path cannot run (a
// view off the heap, or of a length other than the rows' and width's), and the caller runs its
// JavaScript loop.
import { allOfLength } from './simdAttention';
import { viewsOnMemory, type SimdKernels } from './simdModule';

/** y = (x − mean) · invStd · gain + shift row by row; each row's mean and invStd kept. */
export function simdLayerNormForward(
  kernels: SimdKernels,
  input: { x: Float32Array; gain: Float32Array; shift: Float32Array; width: number; epsilon: number },
  out: { y: Float32Array; mean: Float32Array; invStd: Float32Array },
): boolean {
  const { x, gain, shift, width, epsilon } = input;
  const rows = x.length / width;
  const fits =
    Number.isInteger(rows) &&
    allOfLength([gain, shift], width) &&
    allOfLength([out.y], x.length) &&
    allOfLength([out.mean, out.invStd], rows);
  if (!fits || !viewsOnMemory(kernels, [x, gain, shift, out.y, out.mean, out.invStd])) return false;
  kernels.exports.layerNormForward(
    x.byteOffset,
    gain.byteOffset,
    shift.byteOffset,
    out.y.byteOffset,
    out.mean.byteOffset,
    out.invStd.byteOffset,
    rows,
    width,
    epsilon,
  );
  return true;
}

/** dx, dGain, dShift from dy and what the forward pass kept. */
export function simdLayerNormBackward(
  kernels: SimdKernels,
  dy: Float32Array,
  forward: { x: Float32Array; gain: Float32Array; mean: Float32Array; invStd: Float32Array; width: number },
  out: { dx: Float32Array; dGain: Float32Array; dShift: Float32Array },
): boolean {
  const { x, gain, mean, invStd, width } = forward;
  const rows = x.length / width;
  const fits =
    Number.isInteger(rows) &&
    allOfLength([gain, out.dGain, out.dShift], width) &&
    allOfLength([dy, out.dx], x.length) &&
    allOfLength([mean, invStd], rows);
  if (!fits || !viewsOnMemory(kernels, [dy, x, gain, mean, invStd, out.dx, out.dGain, out.dShift]))
    return false;
  kernels.exports.layerNormBackward(
    dy.byteOffset,
    x.byteOffset,
    gain.byteOffset,
    mean.byteOffset,
    invStd.byteOffset,
    out.dx.byteOffset,
    out.dGain.byteOffset,
    out.dShift.byteOffset,
    rows,
    width,
  );
  return true;
}
