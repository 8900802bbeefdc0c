// The SIMD Adam against the JavaScript kernel (adamUpdate.ts), dense and by rows, on sizes that are
// and are not a multiple of 4: equal to float32 rounding (the JavaScript computes in float64).
import * as tf from '../../tf';
import '@tensorflow/tfjs-backend-wasm';
import { describe, expect, it } from 'vitest';
import { useWasmSimd } from '../../testSupport/wasmSimd';
import { createRng } from '../../random';
import { adamSparseUpdate, adamUpdateRange, type AdamCoefficients } from '../adamUpdate';
import { simdAdamDense, simdAdamRows } from './simdAdam';

/** Each entry within `relative` of the expected one (or of 1e-3, for entries near 0). */
function expectNear(actual: Float32Array, expected: Float32Array, relative = 1e-5): void {
  expect(actual.length).toBe(expected.length);
  const worst = expected.reduce(
    (most, e, i) => Math.max(most, Math.abs(actual[i] - e) / Math.max(1e-3, Math.abs(e))),
    0,
  );
  expect(worst).toBeLessThan(relative);
}

describe('SIMD Adam on the wasm backend', () => {
  const wasm = useWasmSimd();
  const { kernels } = wasm;
  const { heapView } = wasm;
  // step 3 of Adam(0.01): rate and ε carry the bias corrections as adam.ts folds them in
  const c: AdamCoefficients = {
    beta1: 0.9,
    beta2: 0.999,
    rate: 0.01 * (Math.sqrt(1 - 0.999 ** 3) / (1 - 0.9 ** 3)),
    epsilon: 1e-8 * Math.sqrt(1 - 0.999 ** 3),
  };

  it('updates one entry as the textbook does', () => {
    // g = 2, m = 0.5, v = 0.25: m' = 0.45 + 0.2 = 0.65, v' = 0.24975 + 0.004 = 0.25375
    const one: AdamCoefficients = { beta1: 0.9, beta2: 0.999, rate: 0.1, epsilon: 0 };
    const tensors = [
      tf.tensor([1]),
      tf.tensor([0.5]),
      tf.tensor([0.25]),
      tf.tensor([2]),
      tf.zeros([1]),
      tf.zeros([1]),
      tf.zeros([1]),
    ];
    const [param, first, second, gradient, p, m, v] = tensors.map(heapView);
    expect(
      simdAdamDense(kernels(), one, { param, first, second, gradient }, { param: p, first: m, second: v }),
    ).toBe(true);
    expect(m[0]).toBeCloseTo(0.65, 6);
    expect(v[0]).toBeCloseTo(0.25375, 6);
    expect(p[0]).toBeCloseTo(1 - (0.1 * 0.65) / Math.sqrt(0.25375), 6);
    tf.dispose(tensors);
  });

  it.each([1, 3, 4, 50, 2501])('dense, %i entries: equal to the JavaScript kernel', (size) => {
    const rng = createRng(size);
    const random = (scale: number, offset = 0) =>
      Float32Array.from({ length: size }, () => offset + (rng.next() - 0.5) * scale);
    const arrays = { param: random(2), first: random(0.2), second: random(0.01, 0.01), gradient: random(1) };
    const expected = {
      param: new Float32Array(size),
      first: new Float32Array(size),
      second: new Float32Array(size),
    };
    adamUpdateRange(c, arrays, expected, 0, 0, size);
    const tensors = [arrays.param, arrays.first, arrays.second, arrays.gradient].map((values) =>
      tf.tensor(values),
    );
    for (let i = 0; i < 3; i++) tensors.push(tf.fill([size], Number.NaN));
    const [param, first, second, gradient, p, m, v] = tensors.map(heapView);
    expect(
      simdAdamDense(kernels(), c, { param, first, second, gradient }, { param: p, first: m, second: v }),
    ).toBe(true);
    expectNear(p, expected.param);
    expectNear(m, expected.first);
    expectNear(v, expected.second);
    tf.dispose(tensors);
  });

  it.each([
    [7, 5, [6, 0, 3]],
    [40, 50, [39, 1, 2, 17]],
    [3, 1, [1]],
  ])('rows of a [%i, %i] table: the listed rows updated, the others copied', (tableRows, width, listed) => {
    const size = tableRows * width;
    const rng = createRng(size);
    const random = (n: number, scale: number, offset = 0) =>
      Float32Array.from({ length: n }, () => offset + (rng.next() - 0.5) * scale);
    const arrays = {
      param: random(size, 2),
      first: random(size, 0.2),
      second: random(size, 0.01, 0.01),
      gradient: random(listed.length * width, 1),
    };
    const rowIndices = Int32Array.from(listed);
    const expected = {
      param: new Float32Array(size),
      first: new Float32Array(size),
      second: new Float32Array(size),
    };
    adamSparseUpdate(c, arrays, expected, rowIndices, width);
    const tensors = [arrays.param, arrays.first, arrays.second].map((values) =>
      tf.tensor(values, [tableRows, width]),
    );
    tensors.push(
      tf.tensor(arrays.gradient, [listed.length, width]),
      tf.tensor(rowIndices, [listed.length], 'int32'),
    );
    for (let i = 0; i < 3; i++) tensors.push(tf.fill([tableRows, width], Number.NaN));
    const [param, first, second, gradient, rows, p, m, v] = tensors.map((t) =>
      wasm.backend().typedArrayFromHeap(t),
    );
    const input = { param, first, second, gradient } as Record<string, Float32Array>;
    const output = { param: p, first: m, second: v } as Record<string, Float32Array>;
    expect(simdAdamRows(kernels(), c, input as never, output as never, rows as Int32Array, width)).toBe(true);
    expectNear(output.param, expected.param);
    expectNear(output.first, expected.first);
    expectNear(output.second, expected.second);
    // an unlisted row is its input, bit for bit
    const unlisted = Array.from({ length: tableRows }, (_, r) => r).find((r) => !listed.includes(r));
    if (unlisted !== undefined) {
      const at = unlisted * width;
      expect(Array.from(output.param.subarray(at, at + width))).toEqual(
        Array.from(arrays.param.subarray(at, at + width)),
      );
    }
    tf.dispose(tensors);
  });
});
