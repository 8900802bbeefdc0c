// The fused training kernels' tests run each computation twice, with the kernels off (stock tfjs
// ops) and on, on one backend; shared by the kernel test files.
import { expect } from 'vitest';
import * as tf from '../tf';
import { registerTrainingKernels, setFusedKernels } from '../kernels';

/** Run `compute` with the kernels off, then on; no tensor may outlive either run. */
export function bothWays<T>(compute: () => T): { stock: T; fused: T } {
  const before = tf.memory().numTensors;
  setFusedKernels(false);
  registerTrainingKernels();
  const stock = compute();
  setFusedKernels(true);
  registerTrainingKernels();
  const fused = compute();
  expect(tf.memory().numTensors).toBe(before);
  return { stock, fused };
}

/** Each entry of `actual` within `tolerance` of `expected`'s. */
export function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tolerance = 1e-5): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) expect(Math.abs(actual[i] - expected[i])).toBeLessThan(tolerance);
}
