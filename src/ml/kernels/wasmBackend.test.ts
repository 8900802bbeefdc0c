// The wasm backend also runs in Node, so the kernel registration can be exercised for real:
// gather's gradient (an UnsortedSegmentSum) and a short training run of a learned model.
import * as tf from '../tf';
import '@tensorflow/tfjs-backend-wasm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromSequences } from '../interactions';
import { createGru } from '../models/gru';
import { createSasrec } from '../models/sasrec';
import { registerWasmFastUnpack, wasmUnpackConfig } from './unpack';
import { registerWasmUnsortedSegmentSum } from './unsortedSegmentSum';

describe('on the wasm backend', () => {
  let previousBackend: string;

  beforeAll(async () => {
    await tf.ready(); // so getBackend names the default backend instead of undefined
    previousBackend = tf.getBackend();
    registerWasmUnsortedSegmentSum();
    expect(await tf.setBackend('wasm')).toBe(true);
  });

  afterAll(async () => {
    await tf.setBackend(previousBackend);
  });

  it('sums segments and differentiates gather', () => {
    const sums = tf.tidy(() =>
      tf
        .unsortedSegmentSum(tf.tensor2d([1, 2, 3, 4, 5, 6], [3, 2]), tf.tensor1d([2, 0, 2], 'int32'), 3)
        .arraySync(),
    );
    expect(sums).toEqual([
      [3, 4],
      [0, 0],
      [6, 8],
    ]);
    const gradient = tf.tidy(() =>
      tf
        .grad((table: tf.Tensor) => tf.sum(tf.gather(table, [1, 1, 3])))(tf.ones([4, 2]))
        .arraySync(),
    );
    expect(gradient).toEqual([
      [0, 0],
      [2, 2],
      [0, 0],
      [1, 1],
    ]);
  });

  it('unstacks along the leading axis by block copies, and other axes as before', () => {
    const values = [
      [
        [1, 2],
        [3, 4],
      ],
      [
        [5, 6],
        [7, 8],
      ],
      [
        [9, 10],
        [11, 12],
      ],
    ];
    const unstackBoth = (): number[][][] =>
      tf.tidy(() => {
        const x = tf.tensor3d(values);
        return [...tf.unstack(x, 0), ...tf.unstack(x, 1)].map((t) => t.arraySync() as number[][]);
      });
    const stock = unstackBoth();
    registerWasmFastUnpack();
    registerWasmFastUnpack(); // idempotent
    expect(tf.getKernel('Unpack', 'wasm')).toBe(wasmUnpackConfig);
    expect(unstackBoth()).toEqual(stock);
    expect(stock[2]).toEqual(values[2]);
    // and gradients still flow through it
    const gradient = tf.tidy(() =>
      tf
        .grad((x: tf.Tensor) => tf.sum(tf.mul(tf.unstack(x, 0)[1], 3)))(tf.tensor3d(values))
        .arraySync(),
    );
    expect(gradient).toEqual([
      [
        [0, 0],
        [0, 0],
      ],
      [
        [3, 3],
        [3, 3],
      ],
      [
        [0, 0],
        [0, 0],
      ],
    ]);
  });

  it.each(['sasrec', 'gru'] as const)('trains %s end to end', async (name) => {
    const sequences = Array.from({ length: 12 }, (_, user) => [0, 1, 2, 3].map((step) => (user + step) % 6));
    const config = { maxLen: 4, hidden: 8, epochs: 3, batchSize: 12, learningRate: 0.01 };
    const model = name === 'sasrec' ? createSasrec(config) : createGru(config);
    const losses: number[] = [];
    await model.fit(fromSequences(sequences, 6), { onProgress: (p) => losses.push(p.loss) });
    expect(tf.getBackend()).toBe('wasm');
    expect(losses).toHaveLength(3);
    expect(losses.every(Number.isFinite)).toBe(true);
    expect(model.scoreAll({ history: [1, 2] })).toHaveLength(6);
    model.dispose();
  });
});
