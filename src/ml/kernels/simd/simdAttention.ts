// The causal attention kernels' SIMD path (simdKernels.as's attentionForward / attentionBackward):
// causalAttention.ts's JavaScript loops with the products over the width in float32 lanes (equal to
// float32 rounding, not bit for bit: the JavaScript sums in float64). Each returns false, having
// written nothing, where the SIMD path cannot run (a view off the heap, or of a length other than
// the shape's), and the caller runs its JavaScript loop.
import type { AttentionShape } from '../causalAttention';
import type { DropoutMask } from '../dropoutMask';
import { viewsOnMemory, type SimdKernels } from './simdModule';

/** Inputs both passes take besides their arrays: the scale and the mask of the weights' dropout. */
interface AttentionSettings {
  scale: number;
  mask: DropoutMask | null;
  /** the scratch region's pointer (SimdKernels.scratch(attentionScratchBytes(shape))), taken
   *  before the views; 0 (the allocation failed) sends the caller to its JavaScript loop */
  scratch: number;
}

/** The scratch the kernels need: a row of float64, one per key. */
export function attentionScratchBytes(shape: AttentionShape): number {
  return 8 * shape.length;
}

/** Every view has exactly `entries` entries (the kernel reads and writes that many from each). */
export function allOfLength(views: readonly Float32Array[], entries: number): boolean {
  return views.every((view) => view.length === entries);
}

/** The mask's arguments: (dropping, key, threshold − 1, multiplier); null for a threshold of 0. */
function maskArguments(mask: DropoutMask | null): [boolean, number, number, number] | null {
  if (!mask) return [false, 0, 0, 1];
  return mask.threshold >= 1 ? [true, mask.key, mask.threshold - 1, mask.multiplier] : null;
}

export function simdAttentionForward(
  kernels: SimdKernels,
  shape: AttentionShape,
  input: { queries: Float32Array; keys: Float32Array; values: Float32Array; keyMask: Float32Array },
  settings: AttentionSettings,
  out: { attended: Float32Array; probabilities: Float32Array },
): boolean {
  const mask = maskArguments(settings.mask);
  const { queries, keys, values, keyMask } = input;
  const { batch, length, width } = shape;
  const fits =
    allOfLength([queries, keys, values, out.attended], batch * length * width) &&
    allOfLength([keyMask], batch * length) &&
    allOfLength([out.probabilities], batch * length * length);
  const views = [queries, keys, values, keyMask, out.attended, out.probabilities];
  if (!mask || !fits || !settings.scratch || !viewsOnMemory(kernels, views)) {
    return false;
  }
  kernels.exports.attentionForward(
    queries.byteOffset,
    keys.byteOffset,
    values.byteOffset,
    keyMask.byteOffset,
    out.attended.byteOffset,
    out.probabilities.byteOffset,
    settings.scratch,
    shape.batch,
    shape.length,
    shape.width,
    settings.scale,
    ...mask,
  );
  return true;
}

export function simdAttentionBackward(
  kernels: SimdKernels,
  shape: AttentionShape,
  input: {
    queries: Float32Array;
    keys: Float32Array;
    values: Float32Array;
    probabilities: Float32Array;
    gradient: Float32Array;
  },
  settings: AttentionSettings,
  out: { queries: Float32Array; keys: Float32Array; values: Float32Array },
): boolean {
  const mask = maskArguments(settings.mask);
  const { queries, keys, values, probabilities, gradient } = input;
  const { batch, length, width } = shape;
  const sized = [queries, keys, values, gradient, out.queries, out.keys, out.values];
  const fits =
    allOfLength(sized, batch * length * width) && allOfLength([probabilities], batch * length * length);
  if (!mask || !fits || !settings.scratch || !viewsOnMemory(kernels, [...sized, probabilities])) return false;
  kernels.exports.attentionBackward(
    queries.byteOffset,
    keys.byteOffset,
    values.byteOffset,
    probabilities.byteOffset,
    gradient.byteOffset,
    out.queries.byteOffset,
    out.keys.byteOffset,
    out.values.byteOffset,
    settings.scratch,
    shape.batch,
    shape.length,
    shape.width,
    settings.scale,
    ...mask,
  );
  return true;
}
