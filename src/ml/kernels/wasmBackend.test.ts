// The wasm backend also runs in Node, so the kernel registration can be exercised for real:
// gather's gradient (an UnsortedSegmentSum) and a short training run of a learned model.
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromSequences } from '../interactions';
import { createSasrec } from '../models/sasrec';
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

  it('trains a sequence model end to end', async () => {
    const sequences = Array.from({ length: 12 }, (_, user) => [0, 1, 2, 3].map((step) => (user + step) % 6));
    const model = createSasrec({ maxLen: 4, hidden: 8, epochs: 3, batchSize: 12, learningRate: 0.01 });
    const losses: number[] = [];
    await model.fit(fromSequences(sequences, 6), { onProgress: (p) => losses.push(p.loss) });
    expect(tf.getBackend()).toBe('wasm');
    expect(losses).toHaveLength(3);
    expect(losses.every(Number.isFinite)).toBe(true);
    expect(model.scoreAll({ history: [1, 2] })).toHaveLength(6);
    model.dispose();
  });
});
