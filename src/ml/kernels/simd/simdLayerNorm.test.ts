// The SIMD layer norm against the JavaScript kernel (layerNorm.ts) on widths that are and are not a
// multiple of 4, one row and many: equal to float32 rounding (the JavaScript works in float64).
import * as tf from '../../tf';
import '@tensorflow/tfjs-backend-wasm';
import { describe, expect, it } from 'vitest';
import { useWasmSimd } from '../../testSupport/wasmSimd';
import { createRng } from '../../random';
import { layerNormBackward, layerNormForward } from '../layerNorm';
import { simdLayerNormBackward, simdLayerNormForward } from './simdLayerNorm';

/** Each entry within `relative` of the expected one (or of 1, for entries near 0). */
function expectNear(actual: Float32Array, expected: Float32Array, relative = 2e-5): void {
  expect(actual.length).toBe(expected.length);
  const worst = expected.reduce(
    (most, e, i) => Math.max(most, Math.abs(actual[i] - e) / Math.max(1, Math.abs(e))),
    0,
  );
  expect(worst).toBeLessThan(relative);
}

describe('SIMD layer norm on the wasm backend', () => {
  const wasm = useWasmSimd();
  const { kernels } = wasm;
  const { heapView } = wasm;

  it('normalises a hand-worked row and differentiates it', () => {
    // x = [1, 2, 3, 6]: mean 3, variance (4 + 1 + 0 + 9) / 4 = 3.5, ε = 0 → x̂ = (x − 3) / √3.5;
    // gain 2, shift 1: y = 2·x̂ + 1. dy = [1, 0, 0, 0]: dShift = dy, dGain = dy·x̂ = [x̂0, 0, 0, 0]
    const tensors = [
      tf.tensor([1, 2, 3, 6], [1, 4]),
      tf.fill([4], 2),
      tf.fill([4], 1),
      tf.tensor([1, 0, 0, 0], [1, 4]),
    ];
    tensors.push(
      tf.zeros([1, 4]),
      tf.zeros([1]),
      tf.zeros([1]),
      tf.zeros([1, 4]),
      tf.zeros([4]),
      tf.zeros([4]),
    );
    const [x, gain, shift, dy, y, mean, invStd, dx, dGain, dShift] = tensors.map(heapView);
    expect(
      simdLayerNormForward(kernels(), { x, gain, shift, width: 4, epsilon: 0 }, { y, mean, invStd }),
    ).toBe(true);
    const s = 1 / Math.sqrt(3.5);
    const xHat = [-2 * s, -s, 0, 3 * s];
    xHat.forEach((value, k) => expect(y[k]).toBeCloseTo(2 * value + 1, 5));
    expect(mean[0]).toBe(3);
    expect(invStd[0]).toBeCloseTo(s, 6);
    const forward = { x, gain, mean, invStd, width: 4 };
    expect(simdLayerNormBackward(kernels(), dy, forward, { dx, dGain, dShift })).toBe(true);
    expect(Array.from(dShift)).toEqual([1, 0, 0, 0]);
    expect(dGain[0]).toBeCloseTo(xHat[0], 6);
    // dx = s · (g − mean(g) − x̂ · mean(g·x̂)), g = dy·γ = [2, 0, 0, 0]: mean(g) = 1/2, mean(g·x̂) = x̂0/2
    xHat.forEach((value, k) =>
      expect(dx[k]).toBeCloseTo(s * ((k === 0 ? 2 : 0) - 0.5 - (value * xHat[0]) / 2), 5),
    );
    tf.dispose(tensors);
  });

  const shapes: [number, number][] = [
    [1, 1],
    [1, 3],
    [7, 5],
    [1, 50],
    [640, 50],
    [9, 16],
  ];

  it.each(shapes)('[%i, %i]: forward and backward equal the JavaScript kernel', (rows, width) => {
    const rng = createRng(rows * 10 + width);
    const random = (n: number, offset = 0) =>
      Float32Array.from({ length: n }, () => offset + rng.next() * 4 - 2);
    const cells = rows * width;
    const xValues = random(cells, 0.5);
    const gainValues = random(width, 1);
    const shiftValues = random(width);
    const dyValues = random(cells);
    const epsilon = 1e-8;
    const expected = {
      y: new Float32Array(cells),
      mean: new Float32Array(rows),
      invStd: new Float32Array(rows),
    };
    layerNormForward(xValues, gainValues, shiftValues, width, epsilon, expected);
    const expectedGrads = {
      dx: new Float32Array(cells),
      dGain: new Float32Array(width),
      dShift: new Float32Array(width),
    };
    const jsForward = { x: xValues, gain: gainValues, mean: expected.mean, invStd: expected.invStd, width };
    layerNormBackward(dyValues, jsForward, expectedGrads);

    const tensors = [
      tf.tensor(xValues, [rows, width]),
      tf.tensor(gainValues, [width]),
      tf.tensor(shiftValues, [width]),
      tf.tensor(dyValues, [rows, width]),
      // outputs start as NaN: every entry must be written
      ...[[rows, width], [rows], [rows], [rows, width], [width], [width]].map((shape) =>
        tf.fill(shape, Number.NaN),
      ),
    ];
    const [x, gain, shift, dy, y, mean, invStd, dx, dGain, dShift] = tensors.map(heapView);
    expect(simdLayerNormForward(kernels(), { x, gain, shift, width, epsilon }, { y, mean, invStd })).toBe(
      true,
    );
    expectNear(y, expected.y);
    expectNear(mean, expected.mean);
    expectNear(invStd, expected.invStd);
    // the backward pass from the JavaScript's saved statistics, so it is compared alone
    mean.set(expected.mean);
    invStd.set(expected.invStd);
    expect(
      simdLayerNormBackward(kernels(), dy, { x, gain, mean, invStd, width }, { dx, dGain, dShift }),
    ).toBe(true);
    expectNear(dx, expectedGrads.dx, 1e-4);
    expectNear(dGain, expectedGrads.dGain, 1e-4);
    expectNear(dShift, expectedGrads.dShift, 1e-4);
    tf.dispose(tensors);
  });

  it('refuses a shift, dy or row statistics of the wrong length, writing nothing', () => {
    // 2 rows of width 3: a shift of 2 (3 expected), a dy of 3 (6), means of 1 (2)
    const tensors = [
      tf.tensor([1, 2, 3, 4, 5, 6], [2, 3]),
      tf.tensor([1, 1, 1], [3]),
      tf.tensor([0, 0], [2]),
      tf.tensor([1, 1, 1], [3]),
      tf.tensor([2], [1]),
      tf.tensor([1, 1], [2]),
      tf.fill([2, 3], 9),
      tf.fill([2], 9),
      tf.fill([2], 9),
      tf.fill([3], 9),
      tf.fill([3], 9),
    ];
    const [x, gain, shortShift, shortDy, shortMean, invStd, y, mean, inv, dGain, dShift] =
      tensors.map(heapView);
    const input = { x, gain, shift: shortShift, width: 3, epsilon: 1e-5 };
    expect(simdLayerNormForward(kernels(), input, { y, mean, invStd: inv })).toBe(false);
    const forward = { x, gain, mean: invStd, invStd, width: 3 };
    expect(simdLayerNormBackward(kernels(), shortDy, forward, { dx: y, dGain, dShift })).toBe(false);
    const shortStats = { x, gain, mean: shortMean, invStd, width: 3 };
    expect(simdLayerNormBackward(kernels(), x, shortStats, { dx: y, dGain, dShift })).toBe(false);
    for (const untouched of [y, mean, inv, dGain, dShift]) expect(untouched.every((v) => v === 9)).toBe(true);
    tf.dispose(tensors);
  });
});
