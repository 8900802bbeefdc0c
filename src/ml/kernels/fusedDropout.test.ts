// The fused dropout and attention kernels draw their masks from the counter-based generator
// (dropoutMask.ts) inside the kernel: worked by hand on pinned masks, compared with stock tfjs ops
// fed the same mask (values and gradients, wasm and cpu), and a training run replays to the bit.
import * as tf from '../tf';
import '@tensorflow/tfjs-backend-wasm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromSequences } from '../interactions';
import { createGru } from '../models/gru';
import { createSasrec } from '../models/sasrec';
import { createRng } from '../random';
import { Adam } from '../train/adam';
import { epochRng } from '../train/loop';
import { ParamStore } from '../train/params';
import { bothWays, expectClose as close } from '../testSupport/fusedKernels';
import { registerTrainingKernels, setFusedKernels } from '.';
import { causalAttentionBackward, causalAttentionForward, fusedCausalAttention } from './causalAttention';
import { dropoutBackward, dropoutForward, fusedDropout, scaleRows } from './dropout';
import { dropoutMaskOf, maskedDropout, maskValues } from './dropoutMask';

describe('dropout and attention kernels, worked by hand on pinned masks', () => {
  // the first entries of two masks at keep 0.8 (kept entries are 1 / 0.8 = 1.25); pinned, so a
  // change of the stream fails here first
  const seed8 = dropoutMaskOf(8, 0.8);
  const seed10 = dropoutMaskOf(10, 0.8);

  it('the pinned masks', () => {
    expect(Array.from(maskValues(seed8, 8))).toEqual([1.25, 0, 1.25, 1.25, 0, 1.25, 1.25, 1.25]);
    expect(Array.from(maskValues(seed10, 8))).toEqual([1.25, 0, 1.25, 0, 0, 1.25, 1.25, 1.25]);
  });

  it('drops out with a residual and differentiates it', () => {
    // seed 8 keeps entry 0 (× 1.25) and drops entry 1; y = residual + x · mask
    const out = new Float32Array(2);
    dropoutForward({ x: Float32Array.of(2, 3), residual: Float32Array.of(1, 1), mask: seed8 }, out);
    expect(Array.from(out)).toEqual([3.5, 1]);
    dropoutForward({ x: Float32Array.of(-2, -3), residual: null, mask: seed8 }, out);
    expect(Array.from(out)).toEqual([-2.5, -0]); // a dropped negative is −0, as x · 0 is
    dropoutBackward({ gradient: Float32Array.of(4, 4), mask: seed8 }, out);
    expect(Array.from(out)).toEqual([5, 0]);
    // rows of width 2 scaled by 0.5 and 0: [3.5, 1, 2, 6] → [1.75, 0.5, 0, 0]
    const rows = Float32Array.of(3.5, 1, 2, 6);
    scaleRows(rows, Float32Array.of(0.5, 0), 2);
    expect(Array.from(rows)).toEqual([1.75, 0.5, 0, 0]);
  });

  it('attends causally past masked keys and differentiates it', () => {
    // width 1, scale 1, two batches of two positions. Batch 0: query 1 sees keys 0 and 1 with
    // logits 1·0 and 1·ln 3, so p = [1/4, 3/4] and y1 = 4/4 + 8·3/4 = 7; query 0 sees key 0 only
    // (y0 = v0 = 4). Batch 1 masks key 0: query 0 sees nothing (y0 = 0), query 1 only key 1 (y1 = 8).
    const shape = { batch: 2, length: 2, width: 1 };
    const queries = Float32Array.of(5, 1, 5, 1);
    const keys = Float32Array.of(0, Math.log(3), 0, Math.log(3));
    const values = Float32Array.of(4, 8, 4, 8);
    const keyMask = Float32Array.of(1, 1, 0, 1);
    const forward = { attended: new Float32Array(4), probabilities: new Float32Array(8) };
    const input = { queries, keys, values, mask: null, scale: 1 };
    causalAttentionForward(shape, { ...input, keyMask }, forward);
    close(forward.attended, [4, 7, 0, 8]);
    close(forward.probabilities, [1, 0, 0.25, 0.75, 0, 0, 0, 1]);
    // dy = 1 on batch 0 only: g = dy1·v = [4, 8], Σ p·g = 7, dl = [1/4 · (4 − 7), 3/4 · (8 − 7)];
    // dv = [p00 + p10, p11] = [1.25, 0.75], dq1 = dl · k = 0.75 ln 3, dk = dl · q1 = [−0.75, 0.75]
    const backward = { queries: new Float32Array(4), keys: new Float32Array(4), values: new Float32Array(4) };
    const gradient = Float32Array.of(1, 1, 0, 0);
    causalAttentionBackward(shape, { ...input, probabilities: forward.probabilities, gradient }, backward);
    close(backward.values, [1.25, 0.75, 0, 0]);
    close(backward.queries, [0, 0.75 * Math.log(3), 0, 0]);
    close(backward.keys, [-0.75, 0.75, 0, 0]);

    // With seed 10's mask over [2, 2, 2]: pair (b, i, j) is entry (2b + i)·2 + j, so batch 0 keeps
    // (0,0) and (1,0) and drops (1,1); batch 1 keeps (1,1). y0 = 1.25·4 = 5, y1 = 1.25 · 4/4 = 1.25,
    // batch 1: y1 = 1.25 · 8 = 10. Backward, dy = 1 on batch 0: query 1's g = [4·1.25, 0] = [5, 0],
    // Σ p·g = 1.25, dl = [1/4 · 3.75, 3/4 · (−1.25)] = [0.9375, −0.9375] (query 0's dl is 0);
    // dv0 = 1.25 (query 0) + 0.3125 (query 1), dv1 = 0; dq1 = −0.9375 ln 3, dk = dl · q1.
    const dropping = { ...input, mask: seed10 };
    causalAttentionForward(shape, { ...dropping, keyMask }, forward);
    close(forward.attended, [5, 1.25, 0, 10]);
    close(forward.probabilities, [1, 0, 0.25, 0.75, 0, 0, 0, 1]); // saved before dropout
    causalAttentionBackward(shape, { ...dropping, probabilities: forward.probabilities, gradient }, backward);
    close(backward.values, [1.5625, 0, 0, 0]);
    close(backward.queries, [0, -0.9375 * Math.log(3), 0, 0]);
    close(backward.keys, [0.9375, -0.9375, 0, 0]);
  });
});

describe.each(['wasm', 'cpu'])(
  'fused dropout and attention against stock ops on the %s backend',
  (backend) => {
    let previousBackend: string;

    beforeAll(async () => {
      await tf.ready();
      previousBackend = tf.getBackend();
      expect(await tf.setBackend(backend)).toBe(true);
    });

    afterAll(async () => {
      setFusedKernels(true);
      registerTrainingKernels();
      await tf.setBackend(previousBackend);
    });

    it('causal attention: same values at real positions and same gradients as the op-by-op form with the same mask', () => {
      const [batch, length, width] = [3, 5, 4];
      const rng = createRng(8);
      const random = (n: number) => Float32Array.from({ length: n }, () => rng.next() * 2 - 1);
      const [q, k, v, weights] = [0, 1, 2, 3].map(() => random(batch * length * width));
      // left-padded windows of 5, 3 and 1 real items
      const mask = Float32Array.from({ length: batch * length }, (_, i) =>
        i % length >= [0, 2, 4][Math.floor(i / length)] ? 1 : 0,
      );
      const realRows = Float32Array.from(
        { length: batch * length * width },
        (_, i) => mask[Math.floor(i / width)],
      );
      const stockAttention = (qs: tf.Tensor, ks: tf.Tensor, vs: tf.Tensor, seed: number) => {
        const bias = tf.add(
          tf.mul(
            tf.tensor2d(
              Float32Array.from({ length: length * length }, (_, i) =>
                i % length > Math.floor(i / length) ? 1 : 0,
              ),
              [length, length],
            ),
            -1e9,
          ),
          tf.reshape(tf.mul(tf.sub(1, tf.tensor2d(mask, [batch, length])), -1e9), [batch, 1, length]),
        );
        const logits = tf.add(tf.mul(tf.matMul(qs, ks, false, true), 0.5), bias);
        return tf.matMul(maskedDropout(tf.softmax(logits), 0.3, seed), vs);
      };
      const run = (seed: number) =>
        bothWays(() =>
          tf.tidy(() => {
            const attend = (qs: tf.Tensor, ks: tf.Tensor, vs: tf.Tensor) =>
              fusedCausalAttention(
                qs as tf.Tensor3D,
                ks as tf.Tensor3D,
                vs as tf.Tensor3D,
                tf.tensor2d(mask, [batch, length]),
                0.5,
                {
                  rate: 0.3,
                  nextSeed: () => seed,
                },
              ) ?? stockAttention(qs, ks, vs, seed);
            const inputs = [q, k, v].map((values) => tf.tensor3d(values, [batch, length, width]));
            // the loss reads real positions only: the padding rows are the model's to zero
            const { value, grads } = tf.valueAndGrads((qs: tf.Tensor, ks: tf.Tensor, vs: tf.Tensor) =>
              tf.sum(
                tf.mul(
                  attend(qs, ks, vs),
                  tf
                    .tensor3d(weights, [batch, length, width])
                    .mul(tf.tensor3d(realRows, [batch, length, width])),
                ),
              ),
            )(inputs as [tf.Tensor, tf.Tensor, tf.Tensor]);
            const y = tf.mul(
              attend(inputs[0], inputs[1], inputs[2]),
              tf.tensor3d(realRows, [batch, length, width]),
            );
            return {
              y: y.dataSync() as Float32Array,
              loss: value.dataSync()[0],
              grads: grads.map((g) => g.dataSync() as Float32Array),
            };
          }),
        );
      // two seeds, two dropout masks, each dropping some of the 22 visible pairs
      for (const seed of [11, 12]) {
        const dropped = maskValues(dropoutMaskOf(seed, 0.7), batch * length * length).filter((m) => m === 0);
        expect(dropped.length).toBeGreaterThan(0);
        const { stock, fused } = run(seed);
        close(fused.y, stock.y);
        expect(fused.loss).toBeCloseTo(stock.loss, 5);
        fused.grads.forEach((g, i) => close(g, stock.grads[i]));
      }
    });

    it('dropout (and dropout + residual): same values to the bit and same gradients as stock ops with the same mask', () => {
      const rng = createRng(9);
      const [x, residual, weights] = [0, 1, 2].map(() =>
        Float32Array.from({ length: 4 * 6 }, () => rng.next() * 4 - 2),
      );
      const { stock, fused } = bothWays(() =>
        tf.tidy(() => {
          const drop = (input: tf.Tensor, skip?: tf.Tensor) =>
            fusedDropout(input, 0.25, () => 7, skip) ??
            (skip ? tf.add(skip, maskedDropout(input, 0.25, 7)) : maskedDropout(input, 0.25, 7));
          const w = tf.tensor2d(weights, [4, 6]);
          const { value, grads } = tf.valueAndGrads((input: tf.Tensor, skip: tf.Tensor) =>
            tf.add(tf.sum(tf.mul(drop(input, skip), w)), tf.sum(tf.mul(drop(input), tf.square(w)))),
          )([tf.tensor2d(x, [4, 6]), tf.tensor2d(residual, [4, 6])]);
          return {
            dropped: Array.from(drop(tf.tensor2d(x, [4, 6])).dataSync()),
            added: Array.from(drop(tf.tensor2d(x, [4, 6]), tf.tensor2d(residual, [4, 6])).dataSync()),
            loss: value.dataSync()[0],
            grads: grads.map((g) => g.dataSync() as Float32Array),
          };
        }),
      );
      expect(fused.dropped).toEqual(stock.dropped);
      expect(fused.added).toEqual(stock.added);
      expect(stock.dropped.filter((value) => value === 0).length).toBeGreaterThan(0); // some were dropped
      expect(fused.loss).toBeCloseTo(stock.loss, 5);
      fused.grads.forEach((g, i) => close(g, stock.grads[i]));
    });

    it('dropout with a row scale (SASRec’s padding mask): same values to the bit and same gradients as stock ops', () => {
      const rng = createRng(10);
      const [x, residual, weights] = [0, 1, 2].map(() =>
        Float32Array.from({ length: 2 * 3 * 4 }, () => rng.next() * 4 - 2),
      );
      const factors = Float32Array.of(1, 0, 1, 0.5, 0, 1); // one per row of 4: [2, 3, 1]
      const { stock, fused } = bothWays(() =>
        tf.tidy(() => {
          const rows = tf.tensor3d(factors, [2, 3, 1]);
          const drop = (input: tf.Tensor, skip?: tf.Tensor) =>
            fusedDropout(input, 0.25, () => 5, skip, rows) ??
            tf.mul(skip ? tf.add(skip, maskedDropout(input, 0.25, 5)) : maskedDropout(input, 0.25, 5), rows);
          const w = tf.tensor3d(weights, [2, 3, 4]);
          const { value, grads } = tf.valueAndGrads((input: tf.Tensor, skip: tf.Tensor) =>
            tf.add(tf.sum(tf.mul(drop(input, skip), w)), tf.sum(tf.mul(drop(input), tf.square(w)))),
          )([tf.tensor3d(x, [2, 3, 4]), tf.tensor3d(residual, [2, 3, 4])]);
          return {
            dropped: Array.from(drop(tf.tensor3d(x, [2, 3, 4])).dataSync()),
            added: Array.from(drop(tf.tensor3d(x, [2, 3, 4]), tf.tensor3d(residual, [2, 3, 4])).dataSync()),
            loss: value.dataSync()[0],
            grads: grads.map((g) => g.dataSync() as Float32Array),
          };
        }),
      );
      expect(fused.dropped).toEqual(stock.dropped);
      expect(fused.added).toEqual(stock.added);
      expect(fused.added.slice(4, 8).map(Math.abs)).toEqual([0, 0, 0, 0]); // row 1 is padding (±0)
      expect(fused.loss).toBeCloseTo(stock.loss, 5);
      fused.grads.forEach((g, i) => close(g, stock.grads[i]));
      expect(Array.from(fused.grads[1].slice(4, 8), Math.abs)).toEqual([0, 0, 0, 0]); // none into padding
    });

    it.each([
      ['SASRec', createSasrec],
      ['GRU', createGru],
    ])(
      'a %s training run replays to the bit from its seed, and another seed trains otherwise',
      (_, create) => {
        const sequences = Array.from({ length: 24 }, (_, user) =>
          Array.from({ length: 3 + (user % 6) }, (_, step) => (user * 7 + step * 3) % 13),
        );
        const data = fromSequences(sequences, 13);
        const train = (seed: number) => {
          const model = create({ maxLen: 6, hidden: 8, batchSize: 8, dropout: 0.3 });
          const schedule = model.stepper(data);
          const store = ParamStore.initialise(model.paramSpecs(13), createRng(3));
          const adam = new Adam({ learningRate: 0.01 });
          const rng = epochRng(seed, 1);
          schedule.startEpoch(rng);
          for (let step = 0; step < schedule.stepsPerEpoch; step++)
            schedule.step(store, adam, rng, step).dispose();
          const params = Object.values(store.variables).map((v) => Array.from(v.dataSync()));
          adam.dispose();
          store.dispose();
          model.dispose();
          return params;
        };
        setFusedKernels(true);
        registerTrainingKernels();
        const before = tf.memory().numTensors;
        const first = train(5);
        expect(train(5)).toEqual(first);
        expect(train(6)).not.toEqual(first);
        expect(tf.memory().numTensors).toBe(before);
      },
    );
  },
);
