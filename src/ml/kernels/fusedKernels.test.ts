// The training kernels of issue 13 must not change the maths: each is compared with tfjs's stock
// result on hand-sized inputs (values and gradients), on the wasm backend in Node and on cpu, and a
// whole SASRec training step gives the same loss and parameters with and without them (the
// dropout masks are the counter-based ones either way). Dropout and attention: fusedDropout.test.ts.
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
import { bothWays, expectClose } from '../testSupport/fusedKernels';
import { registerTrainingKernels, setFusedKernels } from '.';
import { adamUpdateRange } from './adamUpdate';
import {
  CAUSAL_ATTENTION_GRAD_KERNEL,
  CAUSAL_ATTENTION_KERNEL,
  causalAttentionKernelConfigs,
} from './causalAttention';
import { registerMissing } from './hostKernel';
import {
  LAYER_NORM_GRAD_KERNEL,
  LAYER_NORM_KERNEL,
  layerNormBackward,
  layerNormForward,
  layerNormKernelConfigs,
} from './layerNorm';
import { fusedSampledBce, sampledBceGradient, sampledBceLoss } from './sampledBce';
import { leadingAxesCount, sumLeadingRows } from './wasmSum';

const close = expectClose;

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

  it('refuses inputs whose sizes do not fit the queries or x, naming the input', () => {
    registerMissing([...causalAttentionKernelConfigs, ...layerNormKernelConfigs]);
    const before = tf.memory().numTensors;
    tf.tidy(() => {
      const run = (kernel: string, inputs: Record<string, tf.Tensor>, attrs: Record<string, number>) => () =>
        tf.engine().runKernel(kernel, inputs as unknown as tf.NamedTensorMap, attrs);
      const attention = { scale: 1, keepProbability: 1, seed: 0, firstEntry: 0 };
      const queries = tf.zeros([2, 3, 4]);
      const short = tf.zeros([1, 3, 4]);
      const keyMask = tf.ones([2, 3]);
      const probabilities = tf.zeros([2, 3, 3]);
      expect(
        run(CAUSAL_ATTENTION_KERNEL, { queries, keys: short, values: queries, keyMask }, attention),
      ).toThrow(/AisleCausalAttention: input keys is shape \[1, 3, 4\] \(12 entries\); 24 entries expected/);
      expect(
        run(CAUSAL_ATTENTION_KERNEL, { queries, keys: queries, values: queries, keyMask: short }, attention),
      ).toThrow(/input keyMask .* 6 entries expected/);
      const backward = { queries, keys: queries, values: queries, probabilities, dy: short };
      expect(run(CAUSAL_ATTENTION_GRAD_KERNEL, backward, attention)).toThrow(
        /input dy .* 24 entries expected/,
      );
      const withShortProbabilities = { ...backward, dy: queries, probabilities: short };
      expect(run(CAUSAL_ATTENTION_GRAD_KERNEL, withShortProbabilities, attention)).toThrow(
        /input probabilities .* 18 entries expected/,
      );
      const x = tf.zeros([2, 4]);
      const gain = tf.ones([4]);
      expect(run(LAYER_NORM_KERNEL, { x, gain, shift: tf.zeros([3]) }, { epsilon: 1e-5 })).toThrow(
        /AisleLayerNorm: input shift .* 4 entries expected/,
      );
      const stats = { dy: x, x, gain, mean: tf.zeros([1]), invStd: tf.ones([2]) };
      expect(run(LAYER_NORM_GRAD_KERNEL, stats, {})).toThrow(/input mean .* 2 entries expected/);
    });
    expect(tf.memory().numTensors).toBe(before);
  });

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
      // Adam's ε raised from 1e-8: with it, a gradient that is zero up to float32 rounding (a key
      // bias's always is: softmax ignores a shift of every logit in a row; any entry can be, when
      // its terms cancel) becomes a step of up to the learning rate whose size and sign are the
      // rounding's. ε = 1e-3 (3e-5 after bias correction) keeps rounding's share of a step below
      // ~1e-7 and leaves the step of every gradient above ~1e-2 within a few % of Adam's: the
      // comparison is of the gradients, not of the noise.
      const adam = new Adam({ learningRate: 0.01, epsilon: 1e-3 });
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
    for (const name of Object.keys(stock.params)) close(fused.params[name], stock.params[name], 1e-6);
  });
});
