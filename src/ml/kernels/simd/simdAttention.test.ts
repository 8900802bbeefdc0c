// The SIMD causal attention against the JavaScript kernel (causalAttention.ts), on inputs of awkward
// sizes (widths not a multiple of 4, a single position, padded keys), with and without dropout of the
// weights: equal to float32 rounding (the JavaScript sums its products in float64).
import * as tf from '../../tf';
import '@tensorflow/tfjs-backend-wasm';
import { describe, expect, it } from 'vitest';
import { useWasmSimd } from '../../testSupport/wasmSimd';
import { createRng } from '../../random';
import { expectClose } from '../../testSupport/fusedKernels';
import { causalAttentionBackward, causalAttentionForward, type AttentionShape } from '../causalAttention';
import { dropoutMaskOf } from '../dropoutMask';
import { attentionScratchBytes, simdAttentionBackward, simdAttentionForward } from './simdAttention';
import { instantiateSimdKernels } from './simdModule';

describe('SIMD causal attention on the wasm backend', () => {
  const wasm = useWasmSimd();
  const { kernels } = wasm;
  const { heapView } = wasm;

  it('attends by hand: one query past a masked key', () => {
    // fusedDropout.test.ts's case: width 1, scale 1; batch 0 query 1 sees logits 0 and ln 3, so
    // p = [1/4, 3/4], y1 = 4/4 + 8·3/4 = 7; batch 1 masks key 0: query 0 sees nothing (y0 = 0)
    const shape = { batch: 2, length: 2, width: 1 };
    const tensors = [
      tf.tensor([5, 1, 5, 1], [2, 2, 1]),
      tf.tensor([0, Math.log(3), 0, Math.log(3)], [2, 2, 1]),
      tf.tensor([4, 8, 4, 8], [2, 2, 1]),
      tf.tensor([1, 1, 0, 1], [2, 2]),
      tf.zeros([2, 2, 1]),
      tf.zeros([2, 2, 2]),
    ];
    const scratch = kernels().scratch(attentionScratchBytes(shape));
    const [queries, keys, values, keyMask, attended, probabilities] = tensors.map(heapView);
    const ran = simdAttentionForward(
      kernels(),
      shape,
      { queries, keys, values, keyMask },
      { scale: 1, mask: null, scratch },
      { attended, probabilities },
    );
    expect(ran).toBe(true);
    expectClose(attended, [4, 7, 0, 8]);
    expectClose(probabilities, [1, 0, 0.25, 0.75, 0, 0, 0, 1]);
    tf.dispose(tensors);
  });

  const cases: [string, AttentionShape][] = [
    ['one position, width 1', { batch: 1, length: 1, width: 1 }],
    ['width 5 (a vector and a tail)', { batch: 3, length: 4, width: 5 }],
    ['SASRec-like, width 50, length 13', { batch: 4, length: 13, width: 50 }],
    ['width 8, longer than wide', { batch: 2, length: 21, width: 8 }],
  ];

  describe.each(cases)('%s', (_, shape) => {
    it.each([1, 0.8])('keep %f: forward and backward equal the JavaScript kernel', (keep) => {
      const { batch, length, width } = shape;
      const rng = createRng(batch * 100 + length + width);
      const random = (n: number) => Float32Array.from({ length: n }, () => rng.next() * 2 - 1);
      const cells = batch * length * width;
      const q = random(cells);
      const k = random(cells);
      const v = random(cells);
      const dy = random(cells);
      // left padding: row b masks its first b keys
      const keyMaskValues = Float32Array.from({ length: batch * length }, (_, at) =>
        at % length < Math.floor(at / length) ? 0 : 1,
      );
      const mask = keep < 1 ? dropoutMaskOf(5, keep, 17) : null;
      const scale = 1 / Math.sqrt(width);
      const expected = {
        attended: new Float32Array(cells),
        probabilities: new Float32Array(batch * length * length),
      };
      causalAttentionForward(
        shape,
        { queries: q, keys: k, values: v, keyMask: keyMaskValues, mask, scale },
        expected,
      );
      const expectedGrads = {
        queries: new Float32Array(cells),
        keys: new Float32Array(cells),
        values: new Float32Array(cells),
      };
      const backwardInput = {
        queries: q,
        keys: k,
        values: v,
        mask,
        scale,
        probabilities: expected.probabilities,
        gradient: dy,
      };
      causalAttentionBackward(shape, backwardInput, expectedGrads);

      const tensors = [q, k, v, dy].map((values) => tf.tensor(values, [batch, length, width]));
      tensors.push(tf.tensor(keyMaskValues, [batch, length]), tf.zeros([batch, length, length]));
      for (let i = 0; i < 4; i++) tensors.push(tf.fill([batch, length, width], Number.NaN)); // outputs: all overwritten
      const scratch = kernels().scratch(attentionScratchBytes(shape));
      const [queries, keys, values, gradient, keyMask, probabilities, attended, dq, dk, dv] =
        tensors.map(heapView);
      const settings = { scale, mask, scratch };
      const forward = simdAttentionForward(kernels(), shape, { queries, keys, values, keyMask }, settings, {
        attended,
        probabilities,
      });
      expect(forward).toBe(true);
      expectClose(attended, expected.attended, 1e-5);
      expectClose(probabilities, expected.probabilities, 1e-6);
      const backward = simdAttentionBackward(
        kernels(),
        shape,
        { queries, keys, values, probabilities, gradient },
        settings,
        { queries: dq, keys: dk, values: dv },
      );
      expect(backward).toBe(true);
      expectClose(dq, expectedGrads.queries, 1e-5);
      expectClose(dk, expectedGrads.keys, 1e-5);
      expectClose(dv, expectedGrads.values, 1e-5);
      tf.dispose(tensors);
    });
  });

  it('refuses inputs shorter than the shape says, writing nothing', () => {
    // batch 2 of length 2, width 1: keys of one batch only (2 entries, 4 expected), then
    // probabilities of one batch only (4 entries, 8 expected); the kernel would read past them
    const shape = { batch: 2, length: 2, width: 1 };
    const tensors = [
      tf.tensor([1, 2, 3, 4], [2, 2, 1]),
      tf.tensor([1, 2], [1, 2, 1]),
      tf.tensor([1, 2, 3, 4], [2, 2, 1]),
      tf.tensor([1, 1, 1, 1], [2, 2]),
      tf.tensor([1, 0, 0.5, 0.5], [1, 2, 2]),
      tf.fill([2, 2, 1], 9),
      tf.fill([2, 2, 2], 9),
      tf.fill([2, 2, 1], 9),
      tf.fill([2, 2, 1], 9),
    ];
    const scratch = kernels().scratch(attentionScratchBytes(shape));
    const [queries, keys, values, keyMask, shortProbabilities, attended, probabilities, dk, dv] =
      tensors.map(heapView);
    const settings = { scale: 1, mask: null, scratch };
    const forward = simdAttentionForward(kernels(), shape, { queries, keys, values, keyMask }, settings, {
      attended,
      probabilities,
    });
    expect(forward).toBe(false);
    const backward = simdAttentionBackward(
      kernels(),
      shape,
      { queries, keys: values, values, probabilities: shortProbabilities, gradient: queries },
      settings,
      { queries: attended, keys: dk, values: dv },
    );
    expect(backward).toBe(false);
    for (const untouched of [attended, probabilities, dk, dv])
      expect(untouched.every((x) => x === 9)).toBe(true);
    tf.dispose(tensors);
  });
});

describe('the scratch region when the heap cannot grow', () => {
  it('gives 0 and keeps no region when malloc fails, asks again next time, and attention refuses 0', () => {
    const memory = new WebAssembly.Memory({ initial: 2 });
    const results = [0, 4096];
    const asked: number[] = [];
    const kernels = instantiateSimdKernels(memory, {
      _malloc: (bytes) => {
        asked.push(bytes);
        return results.shift()!;
      },
      _free: () => {},
    })!;
    expect(kernels.scratch(80)).toBe(0);
    // not recorded as held: the same request allocates again (1024, the smallest region)
    expect(kernels.scratch(80)).toBe(4096);
    expect(asked).toEqual([1024, 1024]);
    // attention with scratch 0 runs nothing: batch 1, length 1, width 1 at byte offsets 0..20
    const view = (at: number) => new Float32Array(memory.buffer, at, 1);
    const attended = view(16);
    attended[0] = 9;
    const ran = simdAttentionForward(
      kernels,
      { batch: 1, length: 1, width: 1 },
      { queries: view(0), keys: view(4), values: view(8), keyMask: view(12) },
      { scale: 1, mask: null, scratch: 0 },
      { attended, probabilities: view(20) },
    );
    expect(ran).toBe(false);
    expect(attended[0]).toBe(9);
  });
});
