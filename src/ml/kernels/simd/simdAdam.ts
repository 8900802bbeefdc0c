// The Adam kernels' SIMD path (simdKernels.as's adamDense / adamRows): adamUpdate.ts's update in
// float32 lanes (the JavaScript computes in float64 and rounds on each store): equal to float32
// rounding. Each returns false, having written nothing, where the SIMD path cannot run, and the
// caller runs its JavaScript loop.
import type { AdamCoefficients, AdamInputArrays, AdamOutputArrays } from '../adamUpdate';
import { viewsOnMemory, type SimdKernels } from './simdModule';

const viewsOf = (input: AdamInputArrays, output: AdamOutputArrays) => [
  input.param,
  input.first,
  input.second,
  input.gradient,
  output.param,
  output.first,
  output.second,
];

/** Every entry of the parameter updated (the dense update). */
export function simdAdamDense(
  kernels: SimdKernels,
  c: AdamCoefficients,
  input: AdamInputArrays,
  output: AdamOutputArrays,
): boolean {
  const views = viewsOf(input, output);
  if (!viewsOnMemory(kernels, views)) return false;
  const [p, m, v, g, outP, outM, outV] = views.map((view) => view.byteOffset);
  kernels.exports.adamDense(
    p,
    m,
    v,
    g,
    outP,
    outM,
    outV,
    input.param.length,
    c.beta1,
    c.beta2,
    1 - c.beta1,
    1 - c.beta2,
    c.rate,
    c.epsilon,
  );
  return true;
}

/** The listed rows (unique, within the table) updated; every other entry copied. */
export function simdAdamRows(
  kernels: SimdKernels,
  c: AdamCoefficients,
  input: AdamInputArrays,
  output: AdamOutputArrays,
  rows: Int32Array,
  width: number,
): boolean {
  const views = viewsOf(input, output);
  if (!viewsOnMemory(kernels, [...views, rows])) return false;
  output.param.set(input.param);
  output.first.set(input.first);
  output.second.set(input.second);
  const [p, m, v, g, outP, outM, outV] = views.map((view) => view.byteOffset);
  kernels.exports.adamRows(
    p,
    m,
    v,
    g,
    outP,
    outM,
    outV,
    rows.byteOffset,
    rows.length,
    width,
    c.beta1,
    c.beta2,
    1 - c.beta1,
    1 - c.beta2,
    c.rate,
    c.epsilon,
  );
  return true;
}
