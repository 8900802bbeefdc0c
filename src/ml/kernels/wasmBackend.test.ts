// The wasm backend also runs in Node, so the kernel registration can be exercised for real:
// gather's gradient (an UnsortedSegmentSum) and a short training run of a learned model.
import * as tf from '../tf';
import '@tensorflow/tfjs-backend-wasm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromSequences } from '../interactions';
import { createGru } from '../models/gru';
import { createSasrec } from '../models/sasrec';
import { prepareSequenceBatch } from '../models/sequenceStep';
import { initialValues } from '../train/params';
import { createRng } from '../random';
import { createPositiveLookup, sampleSequenceBatch } from '../train/sampling';
import { lossAndGradients, type StepParams } from '../train/step';
import { registerTrainingKernels } from '.';
import { registerWasmFastUnpack, wasmUnpackConfig } from './unpack';
import { registerWasmUnsortedSegmentSum } from './unsortedSegmentSum';
import { registerWasmFastGather, wasmGatherConfig } from './wasmGather';
import { registerWasmFastMatMul, transposeInto, wasmBatchMatMulConfig } from './wasmMatMul';

describe('the transpose the wasm matMul feeds XNNPACK with', () => {
  it('swaps rows and columns across partial tiles', () => {
    // [2, 3] -> [3, 2], worked by hand
    const small = new Float32Array(6);
    transposeInto(Float32Array.of(1, 2, 3, 4, 5, 6), 2, 3, small);
    expect(Array.from(small)).toEqual([1, 4, 2, 5, 3, 6]);
    // [17, 33] (one full tile and a one-row, one-column remainder): entry (r, c) = 100·r + c
    const rows = 17;
    const cols = 33;
    const out = new Float32Array(rows * cols);
    transposeInto(
      Float32Array.from({ length: rows * cols }, (_, i) => 100 * Math.floor(i / cols) + (i % cols)),
      rows,
      cols,
      out,
    );
    expect(out[0]).toBe(0);
    expect(out[1]).toBe(100); // (c 0, r 1)
    expect(out[rows]).toBe(1); // (c 1, r 0)
    expect(out[32 * rows + 16]).toBe(1632); // the last entry, from the partial tiles
    expect(out.every((value, i) => value === 100 * (i % rows) + Math.floor(i / rows))).toBe(true);
  });
});

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

  it('unstacks along the leading axis by block copies, and other axes through the stock kernel', () => {
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

// The faster wasm BatchMatMul / GatherV2 replacements must not change results: compare them
// with the cpu backend's kernels (the stock wasm ones may already be replaced by the training
// run above), and a whole SASRec loss and its gradients with the cpu backend.
describe('faster wasm kernels', () => {
  let previousBackend: string;

  beforeAll(async () => {
    await tf.ready();
    previousBackend = tf.getBackend();
    registerWasmUnsortedSegmentSum();
    expect(await tf.setBackend('wasm')).toBe(true);
  });

  afterAll(async () => {
    await tf.setBackend(previousBackend);
  });

  const rng = createRng(11);
  const randomValues = (size: number): Float32Array =>
    Float32Array.from({ length: size }, () => rng.next() * 2 - 1);

  function maxAbsDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
    expect(a.length).toBe(b.length);
    let worst = 0;
    for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]));
    return worst;
  }

  it('matMul agrees with the cpu backend for every transpose combination', async () => {
    const cases = [
      { a: [7, 5], b: [5, 3], transposeA: false, transposeB: false },
      { a: [7, 5], b: [3, 5], transposeA: false, transposeB: true },
      { a: [5, 7], b: [5, 3], transposeA: true, transposeB: false },
      { a: [5, 7], b: [3, 5], transposeA: true, transposeB: true },
      { a: [1, 5, 7], b: [1, 3, 5], transposeA: true, transposeB: true },
      // wider than the transpose's 16 × 16 tiles, with partial tiles at both edges
      { a: [37, 21], b: [37, 18], transposeA: true, transposeB: false },
      { a: [19, 37], b: [21, 37], transposeA: false, transposeB: true },
      { a: [4, 7, 5], b: [4, 3, 5], transposeA: false, transposeB: true }, // batched: stock path
    ];
    const inputs = cases.map((c) => ({
      ...c,
      aValues: randomValues(c.a.reduce((x, y) => x * y)),
      bValues: randomValues(c.b.reduce((x, y) => x * y)),
    }));
    const run = (): { shape: number[]; values: Float32Array }[] =>
      inputs.map((c) =>
        tf.tidy(() => {
          const product = tf.matMul(
            tf.tensor(c.aValues, c.a),
            tf.tensor(c.bValues, c.b),
            c.transposeA,
            c.transposeB,
          );
          return { shape: product.shape, values: product.dataSync() as Float32Array };
        }),
      );
    await tf.setBackend('cpu');
    const stock = run();
    await tf.setBackend('wasm');
    const before = tf.memory().numTensors;
    registerWasmFastMatMul();
    registerWasmFastMatMul(); // idempotent
    expect(tf.getKernel('BatchMatMul', 'wasm')).toBe(wasmBatchMatMulConfig);
    const fast = run();
    expect(tf.memory().numTensors).toBe(before);
    fast.forEach((result, i) => {
      expect(result.shape).toEqual(stock[i].shape);
      expect(maxAbsDifference(result.values, stock[i].values)).toBeLessThan(1e-5);
    });
  });

  it('gathers rows like the cpu backend, including 2-D indices, int32 tables and other axes', async () => {
    const table = randomValues(6 * 3);
    const run = (): unknown[] =>
      tf.tidy(() => {
        const x = tf.tensor2d(table, [6, 3]);
        return [
          tf.gather(x, tf.tensor1d([5, 0, 5, 2], 'int32')).arraySync(),
          tf.gather(x, tf.tensor2d([1, 4, 3, 3], [2, 2], 'int32')).arraySync(),
          tf.gather(tf.tensor2d([1, 2, 3, 4, 5, 6], [3, 2], 'int32'), [2, 0]).arraySync(),
          tf.gather(x, [2, 0], 1).arraySync(),
          tf.gather(tf.tensor1d([7, 8, 9]), [2, 2, 0]).arraySync(),
        ];
      });
    await tf.setBackend('cpu');
    const stock = run();
    await tf.setBackend('wasm');
    registerWasmFastGather();
    registerWasmFastGather(); // idempotent
    expect(tf.getKernel('GatherV2', 'wasm')).toBe(wasmGatherConfig);
    expect(run()).toEqual(stock);
    expect(() => tf.tidy(() => tf.gather(tf.ones([3, 2]), [3]))).toThrow();
  });

  it('gives a SASRec loss and gradients equal to the cpu backend', async () => {
    registerTrainingKernels();
    const sequences = Array.from({ length: 10 }, (_, user) =>
      Array.from({ length: 3 + (user % 5) }, (_, step) => (user * 3 + step * 7) % 9),
    );
    const data = fromSequences(sequences, 9);
    const model = createSasrec({ maxLen: 6, hidden: 8, blocks: 2, heads: 1 });
    const batch = prepareSequenceBatch(
      sampleSequenceBatch(data, [...Array(10).keys()], 6, createRng(5), createPositiveLookup(data)),
      'bce',
      9,
    );
    const specs = model.paramSpecs(9);
    const valuesRng = createRng(8);
    const host: Record<string, { values: Float32Array; shape: number[] }> = {};
    for (const [name, spec] of Object.entries(specs)) {
      const values = initialValues({ ...spec, std: 0.3 }, valuesRng);
      host[name] =
        name === 'itemEmbedding'
          ? {
              values: Float32Array.from(
                Array.from(batch.rows.itemEmbedding).flatMap((row) =>
                  Array.from(values.subarray(row * 8, (row + 1) * 8)),
                ),
              ),
              shape: [batch.rows.itemEmbedding.length, 8],
            }
          : { values, shape: spec.shape };
    }
    const lossAndGrads = (): { loss: number; gradients: Record<string, Float32Array> } =>
      tf.tidy(() => {
        const params: StepParams = {};
        for (const [name, p] of Object.entries(host)) params[name] = tf.tensor(p.values, p.shape);
        const { value, gradients } = lossAndGradients((p) => model.batchLoss(p, batch, null), params);
        const out: Record<string, Float32Array> = {};
        for (const name of Object.keys(gradients)) out[name] = gradients[name].dataSync() as Float32Array;
        return { loss: value.dataSync()[0], gradients: out };
      });
    const onWasm = lossAndGrads();
    await tf.setBackend('cpu');
    const onCpu = lossAndGrads();
    await tf.setBackend('wasm');
    expect(onWasm.loss).toBeCloseTo(onCpu.loss, 5);
    for (const name of Object.keys(onCpu.gradients)) {
      expect(maxAbsDifference(onWasm.gradients[name], onCpu.gradients[name]), name).toBeLessThan(1e-5);
    }
    model.dispose();
  });
});
