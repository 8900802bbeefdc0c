// The training kernels of issue 13 must not change the maths: each is compared with tfjs's stock
// result on hand-sized inputs (values and gradients), on the wasm backend in Node and on cpu, and a
// whole SASRec training step gives the same loss and parameters with and without them.
import * as tf from '../tf';
import '@tensorflow/tfjs-backend-wasm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromSequences } from '../interactions';
import { createGru } from '../models/gru';
import { createSasrec } from '../models/sasrec';
import { layerNorm } from '../models/sequential';
import { createRng } from '../random';
import { Adam } from '../train/adam';
import { ParamStore } from '../train/params';
import { epochRng } from '../train/loop';
import { registerTrainingKernels, setFusedKernels } from '.';
import { adamUpdateRange } from './adamUpdate';
import { dropoutBackward, dropoutForward, fusedDropout } from './dropout';
import {
  causalAttentionBackward,
  causalAttentionForward,
  dropoutMultiplier,
  dropoutMultiplierOf,
  fusedCausalAttention,
} from './causalAttention';
import { layerNormBackward, layerNormForward } from './layerNorm';
import { fusedSampledBce, sampledBceGradient, sampledBceLoss } from './sampledBce';
import { leadingAxesCount, sumLeadingRows } from './wasmSum';

const close = (actual: ArrayLike<number>, expected: ArrayLike<number>, tolerance = 1e-5) => {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) expect(Math.abs(actual[i] - expected[i])).toBeLessThan(tolerance);
};

describe('the kernels’ arithmetic, worked by hand', () => {
  it('updates one Adam entry as the textbook does', () => {
    // m = 0.1 · 0.5 = 0.05, v = 0.001 · 0.25 = 0.00025, p = 1 − 0.1 · 0.05 / √0.00025 = 0.683772
    const input = {
      param: Float32Array.of(1),
      first: Float32Array.of(0),
      second: Float32Array.of(0),
      gradient: Float32Array.of(0.5),
    };
    const output = { param: new Float32Array(1), first: new Float32Array(1), second: new Float32Array(1) };
    adamUpdateRange({ beta1: 0.9, beta2: 0.999, rate: 0.1, epsilon: 0 }, input, output, 0, 0, 1);
    close(output.first, [0.05], 1e-7);
    close(output.second, [0.00025], 1e-9);
    close(output.param, [0.683772], 1e-6);
  });

  it('sums leading rows column by column and recognises leading axes', () => {
    const out = new Float32Array(2);
    sumLeadingRows(Float32Array.of(1, 2, 3, 4, 5, 6), 3, 2, out);
    expect(Array.from(out)).toEqual([9, 12]);
    expect(leadingAxesCount([1, 0], 3)).toBe(2);
    expect(leadingAxesCount([-3], 3)).toBe(1);
    expect(leadingAxesCount([1], 3)).toBe(0);
    expect(leadingAxesCount([0, 2], 3)).toBe(0);
  });

  it('scores a sampled BCE cell and differentiates it', () => {
    // h = [1, 0], target row 1 = [2, 0] (s⁺ = 2), negative row 2 = [−1, 0] (s⁻ = −1), weight 1:
    // loss = softplus(−2) + softplus(−1) = 0.126928 + 0.313262; σ(−2) = 0.119203, σ(−1) = 0.268941
    const cells = {
      hidden: Float32Array.of(1, 0, 5, 5),
      table: Float32Array.of(0, 0, 2, 0, -1, 0),
      targets: Int32Array.of(1, 0),
      negatives: Int32Array.of(2, 0),
      weights: Float32Array.of(1, 0), // the second cell is padding
      width: 2,
    };
    expect(sampledBceLoss(cells)).toBeCloseTo(0.44019, 5);
    const out = { hidden: new Float32Array(4), table: new Float32Array(6) };
    sampledBceGradient(cells, 1, out);
    close(out.hidden, [-0.119203 * 2 - 0.268941, 0, 0, 0]);
    close(out.table, [0, 0, -0.119203, 0, 0.268941, 0]);
  });

  it('attends causally past masked keys and differentiates it', () => {
    // width 1, scale 1, two batches of two positions. Batch 0: query 1 sees keys 0 and 1 with
    // logits 1·0 and 1·ln 3, so p = [1/4, 3/4] and y1 = 4/4 + 8·3/4 = 7; query 0 sees key 0 only
    // (y0 = v0 = 4). Batch 1 masks key 0: query 0 sees nothing (y0 = 0), query 1 only key 1 (y1 = 8).
    const shape = { batch: 2, length: 2, width: 1 };
    const queries = Float32Array.of(5, 1, 5, 1);
    const keys = Float32Array.of(0, Math.log(3), 0, Math.log(3));
    const values = Float32Array.of(4, 8, 4, 8);
    const forward = { attended: new Float32Array(4), probabilities: new Float32Array(8) };
    const input = { queries, keys, values, uniform: null, keepProbability: 1, scale: 1 };
    causalAttentionForward(shape, { ...input, keyMask: Float32Array.of(1, 1, 0, 1) }, forward);
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
  });

  it('drops out as tf.dropout does: ⌊u + keep⌋ / keep', () => {
    expect(dropoutMultiplier(0.5, 0.8)).toBe(1.25);
    expect(dropoutMultiplier(0.1, 0.8)).toBe(0);
    expect(dropoutMultiplier(0.5, 1)).toBe(1);
    // the kernels' shortcut agrees everywhere, the draws at the keep/drop boundary and a draw
    // rounded up to 1 (fround(1 − 1e-8)) included
    for (const keep of [0.8, 0.75, 0.5, 0.3]) {
      const multiplier = dropoutMultiplierOf(keep);
      for (const u of [0, 1e-8, 0.2, 0.2 - 1e-8, 0.2 + 1e-8, 0.25, 0.5, 0.7, 0.7 + 1e-8, 1 - 1e-8]) {
        expect(multiplier(Math.fround(u))).toBe(dropoutMultiplier(Math.fround(u), keep));
      }
    }
  });

  it('drops out with a residual and differentiates it', () => {
    // keep 0.8: u = 0.5 keeps (× 1.25), u = 0.1 drops; y = residual + x · multiplier
    const out = new Float32Array(2);
    const uniform = Float32Array.of(0.5, 0.1);
    dropoutForward(
      { x: Float32Array.of(2, 3), uniform, residual: Float32Array.of(1, 1), keepProbability: 0.8 },
      out,
    );
    expect(Array.from(out)).toEqual([3.5, 1]);
    dropoutBackward({ gradient: Float32Array.of(4, 4), uniform, keepProbability: 0.8 }, out);
    expect(Array.from(out)).toEqual([5, 0]);
  });

  it('normalises a row and differentiates it', () => {
    // x = [0, 1, 2]: mean 1, variance 2/3, invStd = 1.2247449, x̂ = [−1.2247, 0, 1.2247]
    const x = Float32Array.of(0, 1, 2);
    const forward = { y: new Float32Array(3), mean: new Float32Array(1), invStd: new Float32Array(1) };
    layerNormForward(x, Float32Array.of(2, 1, 1), Float32Array.of(0, 0, 1), 3, 0, forward);
    close(forward.y, [-2.44949, 0, 2.224745]);
    close(forward.mean, [1]);
    close(forward.invStd, [1.2247449]);
    // dy = [1, 0, 0], gain 1: g = [1, 0, 0], mean g = 1/3, mean g·x̂ = −0.408248;
    // dx = s · (g − 1/3 − x̂ · (−0.408248)) = [0.204124, −0.408248, 0.204124]
    const backward = { dx: new Float32Array(3), dGain: new Float32Array(3), dShift: new Float32Array(3) };
    layerNormBackward(
      Float32Array.of(1, 0, 0),
      { x, gain: Float32Array.of(1, 1, 1), mean: forward.mean, invStd: forward.invStd, width: 3 },
      backward,
    );
    close(backward.dx, [0.204124, -0.408248, 0.204124]);
    close(backward.dGain, [-1.2247449, 0, 0]);
    close(backward.dShift, [1, 0, 0]);
  });
});

describe.each(['wasm', 'cpu'])('fused against stock on the %s backend', (backend) => {
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

  /** Run `compute` with the kernels off, then on; no tensor may outlive either run. */
  function bothWays<T>(compute: () => T): { stock: T; fused: T } {
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

  it('layer norm: same values and gradients for x, gain and shift', () => {
    const rng = createRng(4);
    const random = (n: number) => Float32Array.from({ length: n }, () => rng.next() * 4 - 2);
    const xValues = random(2 * 3 * 5);
    const gainValues = random(5);
    const shiftValues = random(5);
    const weights = random(2 * 3 * 5);
    const { stock, fused } = bothWays(() =>
      tf.tidy(() => {
        const { value, grads } = tf.valueAndGrads((x: tf.Tensor, gain: tf.Tensor, shift: tf.Tensor) =>
          tf.sum(tf.mul(layerNorm(x, gain, shift), tf.tensor(weights, [2, 3, 5]))),
        )([tf.tensor(xValues, [2, 3, 5]), tf.tensor1d(gainValues), tf.tensor1d(shiftValues)]);
        const y = layerNorm(tf.tensor(xValues, [2, 3, 5]), tf.tensor1d(gainValues), tf.tensor1d(shiftValues));
        return {
          y: y.dataSync() as Float32Array,
          loss: value.dataSync()[0],
          grads: grads.map((g) => g.dataSync() as Float32Array),
        };
      }),
    );
    close(fused.y, stock.y);
    expect(fused.loss).toBeCloseTo(stock.loss, 4);
    fused.grads.forEach((g, i) => close(g, stock.grads[i], 1e-4));
  });

  it('sampled BCE: same loss and gradients as the op-by-op form', () => {
    const rng = createRng(6);
    const hiddenValues = Float32Array.from({ length: 6 * 4 }, () => rng.next() * 2 - 1);
    const tableValues = Float32Array.from({ length: 5 * 4 }, () => rng.next() * 2 - 1);
    const targets = Int32Array.of(1, 2, 3, 1, 4, 0);
    const negatives = Int32Array.of(4, 4, 0, 2, 1, 0);
    const weights = Float32Array.of(1, 1, 1, 1, 1, 0);
    const stockLoss = (h: tf.Tensor2D, t: tf.Tensor2D) => {
      const positive = tf.sum(tf.mul(h, tf.gather(t, targets)), 1);
      const negative = tf.sum(tf.mul(h, tf.gather(t, negatives)), 1);
      const perCell = tf.add(tf.softplus(tf.neg(positive)), tf.softplus(negative));
      return tf.div(tf.sum(tf.mul(perCell, tf.tensor1d(weights))), tf.sum(tf.tensor1d(weights))) as tf.Scalar;
    };
    const { stock, fused } = bothWays(() =>
      tf.tidy(() => {
        const loss = (h: tf.Tensor, t: tf.Tensor) =>
          fusedSampledBce(h as tf.Tensor2D, t as tf.Tensor2D, targets, negatives, weights) ??
          stockLoss(h as tf.Tensor2D, t as tf.Tensor2D);
        const { value, grads } = tf.valueAndGrads(loss)([
          tf.tensor2d(hiddenValues, [6, 4]),
          tf.tensor2d(tableValues, [5, 4]),
        ]);
        return { loss: value.dataSync()[0], grads: grads.map((g) => g.dataSync() as Float32Array) };
      }),
    );
    expect(fused.loss).toBeCloseTo(stock.loss, 5);
    fused.grads.forEach((g, i) => close(g, stock.grads[i]));
  });

  it('causal attention: same values at real positions and same gradients as the op-by-op form', () => {
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
      return tf.matMul(tf.dropout(tf.softmax(logits), 0.3, undefined, seed), vs);
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
    // two seeds, two dropout masks (rate 0.3 over 22 visible pairs drops some weight in each)
    for (const seed of [11, 12]) {
      const { stock, fused } = run(seed);
      close(fused.y, stock.y);
      expect(fused.loss).toBeCloseTo(stock.loss, 5);
      fused.grads.forEach((g, i) => close(g, stock.grads[i]));
    }
  });

  it('dropout (and dropout + residual): same values to the bit and same gradients as tf.dropout', () => {
    const rng = createRng(9);
    const [x, residual, weights] = [0, 1, 2].map(() =>
      Float32Array.from({ length: 4 * 6 }, () => rng.next() * 4 - 2),
    );
    const { stock, fused } = bothWays(() =>
      tf.tidy(() => {
        const drop = (input: tf.Tensor, skip?: tf.Tensor) =>
          fusedDropout(input, 0.25, () => 7, skip) ??
          (skip
            ? tf.add(skip, tf.dropout(input, 0.25, undefined, 7))
            : tf.dropout(input, 0.25, undefined, 7));
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

  it('sums over leading axes (with and without keepDims) like the stock kernel', () => {
    const values = Float32Array.from({ length: 4 * 3 * 2 }, (_, i) => (i % 7) - 3.5);
    const { stock, fused } = bothWays(() =>
      tf.tidy(() => {
        const x = tf.tensor3d(values, [4, 3, 2]);
        return [tf.sum(x, 0), tf.sum(x, [0, 1]), tf.sum(x, [1, 0], true), tf.sum(x, 2), tf.sum(x)].map(
          (t) => ({
            shape: t.shape,
            values: Array.from(t.dataSync()),
          }),
        );
      }),
    );
    expect(fused).toEqual(stock);
    // by hand: (i % 7) − 3.5 over the even i < 24 adds to 34 − 42, over the odd ones to 32 − 42
    expect(stock[1].values).toEqual([-8, -10]);
  });

  it('clones and casts to the same dtype without losing the values when the source goes', () => {
    const before = tf.memory().numTensors;
    const x = tf.tensor1d([1.5, -2, 3]);
    setFusedKernels(true);
    registerTrainingKernels();
    const copies = [tf.clone(x), tf.cast(x, 'float32'), tf.cast(x, 'int32')];
    x.dispose();
    const [clone, same, ints] = copies.map((t) => Array.from(t.dataSync()));
    expect(clone).toEqual([1.5, -2, 3]);
    expect(same).toEqual([1.5, -2, 3]);
    expect(ints).toEqual([1, -2, 3]);
    tf.dispose(copies);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('Adam: the one-pass update equals the op-by-op one, dense and lazy', () => {
    const run = () => {
      const store = ParamStore.fromArrays(
        { table: { shape: [4, 2], init: 'zeros', sparse: true }, weight: { shape: [3], init: 'zeros' } },
        { table: [1, 2, 3, 4, 5, 6, 7, 8], weight: [0.5, -0.5, 2] },
      );
      const adam = new Adam({ learningRate: 0.1 });
      for (let step = 1; step <= 3; step++) {
        adam.beginStep();
        tf.tidy(() => {
          adam.applyDense(store.variables.weight, tf.tensor1d([0.3 * step, -1, 0.01]));
          adam.applySparse(
            store.variables.table,
            tf.tensor1d([2, 0], 'int32'),
            tf.tensor2d([
              [1, -1],
              [0.5 * step, 2],
            ]),
          );
        });
      }
      const values = Object.fromEntries(
        Object.entries(store.variables).map(([name, v]) => [name, Array.from(v.dataSync())]),
      );
      adam.dispose();
      store.dispose();
      return values;
    };
    const { stock, fused } = bothWays(run);
    close(fused.weight, stock.weight, 1e-6);
    close(fused.table, stock.table, 1e-6);
    // row 1 and row 3 were never touched
    expect(fused.table.slice(2, 4)).toEqual([3, 4]);
    expect(fused.table.slice(6, 8)).toEqual([7, 8]);
  });

  it.each([
    ['SASRec', createSasrec],
    ['GRU', createGru],
  ])('one %s training step: same loss and parameters with and without the fused kernels', (_, create) => {
    const sequences = Array.from({ length: 16 }, (_, user) =>
      Array.from({ length: 3 + (user % 6) }, (_, step) => (user * 5 + step * 3) % 11),
    );
    const data = fromSequences(sequences, 11);
    const train = () => {
      const model = create({ maxLen: 6, hidden: 8, batchSize: 16, dropout: 0.2 });
      const schedule = model.stepper(data);
      const store = ParamStore.initialise(model.paramSpecs(11), createRng(3));
      const adam = new Adam({ learningRate: 0.01 });
      const rng = epochRng(3, 1);
      schedule.startEpoch(rng);
      const losses: number[] = [];
      for (let step = 0; step < schedule.stepsPerEpoch; step++) {
        const loss = schedule.step(store, adam, rng, step);
        losses.push(loss.dataSync()[0]);
        loss.dispose();
      }
      const params = Object.fromEntries(
        Object.entries(store.variables).map(([name, v]) => [name, v.dataSync() as Float32Array]),
      );
      adam.dispose();
      store.dispose();
      model.dispose();
      return { losses, params };
    };
    const { stock, fused } = bothWays(train);
    expect(stock.losses).toHaveLength(1);
    close(fused.losses, stock.losses, 1e-5);
    for (const name of Object.keys(stock.params)) {
      // A key bias adds q·b to every logit of a query's row, which softmax ignores: its true
      // gradient is exactly zero, so what either version computes is rounding noise, which Adam
      // scales to steps of up to the learning rate. Both must stay within those steps of zero's.
      if (name.endsWith('KeyBias'))
        close(fused.params[name], stock.params[name], 2 * 0.01 * stock.losses.length);
      else close(fused.params[name], stock.params[name], 1e-6);
    }
  });
});
