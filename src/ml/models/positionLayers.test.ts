// Dense layers sharing one input as one product (kernels/columnBlocks.ts) must be the same maths
// as one product per layer: the split and join copies worked by hand, then the layers' outputs
// and the gradients of x, every weight and every bias against the op-by-op form, on odd shapes,
// on the wasm backend in Node and on cpu, with no tensor left behind.
import * as tf from '../tf';
import '@tensorflow/tfjs-backend-wasm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRng } from '../random';
import { bothWays, expectClose } from '../testSupport/fusedKernels';
import { registerTrainingKernels, setFusedKernels } from '../kernels';
import { joinColumnBlocks, joinColumns, splitColumnBlocks, splitColumns } from '../kernels/columnBlocks';
import { denseLayersOverPositions, denseOverPositions } from './positionLayers';

describe('column blocks, worked by hand', () => {
  it('splits a [2, 3] matrix into blocks of widths 2 and 1, and joins them back', () => {
    const left = new Float32Array(4);
    const right = new Float32Array(2);
    splitColumns(Float32Array.of(1, 2, 3, 4, 5, 6), 2, [2, 1], [left, right]);
    expect(Array.from(left)).toEqual([1, 2, 4, 5]);
    expect(Array.from(right)).toEqual([3, 6]);
    const joined = new Float32Array(6);
    joinColumns([right, left], 2, [1, 2], joined);
    expect(Array.from(joined)).toEqual([3, 1, 2, 6, 4, 5]);
  });

  it('copies the same way between views of one buffer (the wasm heap: a memmove per row)', () => {
    const heap = new Float32Array(16);
    heap.set([1, 2, 3, 4, 5, 6], 1);
    const source = heap.subarray(1, 7);
    const [left, right] = [heap.subarray(8, 12), heap.subarray(13, 15)];
    splitColumns(source, 2, [2, 1], [left, right]);
    expect(Array.from(left)).toEqual([1, 2, 4, 5]);
    expect(Array.from(right)).toEqual([3, 6]);
    source.fill(0);
    joinColumns([left, right], 2, [2, 1], source);
    expect(Array.from(heap)).toEqual([0, 1, 2, 3, 4, 5, 6, 0, 1, 2, 4, 5, 0, 3, 6, 0]);
  });
});

describe.each(['wasm', 'cpu'])('dense layers sharing an input, on the %s backend', (backend) => {
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

  it('gives the outputs and gradients of one product per layer (odd shapes)', () => {
    const [batch, length, inSize] = [2, 3, 5];
    const widths = [4, 3, 2];
    const rng = createRng(11);
    const random = (n: number) => Float32Array.from({ length: n }, () => rng.next() * 2 - 1);
    const xValues = random(batch * length * inSize);
    const weightValues = widths.map((w) => random(inSize * w));
    const biasValues = widths.map((w) => random(w));
    // a different weight per output entry, so every entry's gradient differs
    const lossWeights = widths.map((w) => random(batch * length * w));
    const run = (shared: boolean) =>
      tf.tidy(() => {
        const inputs = [
          tf.tensor3d(xValues, [batch, length, inSize]),
          ...weightValues.map((values, i) => tf.tensor2d(values, [inSize, widths[i]])),
          ...biasValues.map((values) => tf.tensor1d(values)),
        ];
        const layersOf = (tensors: tf.Tensor[]) =>
          widths.map((_, i) => ({ weight: tensors[1 + i], bias: tensors[1 + widths.length + i] }));
        const outputsOf = (tensors: tf.Tensor[]) => {
          const x = tensors[0] as tf.Tensor3D;
          return shared
            ? denseLayersOverPositions(x, layersOf(tensors))
            : layersOf(tensors).map((layer) => denseOverPositions(x, layer.weight, layer.bias));
        };
        const outputs = outputsOf(inputs);
        const { value, grads } = tf.valueAndGrads((...tensors: tf.Tensor[]) =>
          tf.addN(outputsOf(tensors).map((y, i) => tf.sum(tf.mul(y, tf.tensor(lossWeights[i], y.shape))))),
        )(inputs);
        return {
          shapes: outputs.map((y) => y.shape),
          outputs: outputs.map((y) => y.dataSync() as Float32Array),
          loss: value.dataSync()[0],
          grads: grads.map((g) => ({ shape: g.shape, values: g.dataSync() as Float32Array })),
        };
      });
    const { stock, fused } = bothWays(() => ({ perLayer: run(false), shared: run(true) }));
    const expected = stock.perLayer;
    for (const actual of [stock.shared, fused.shared, fused.perLayer]) {
      expect(actual.shapes).toEqual([
        [2, 3, 4],
        [2, 3, 3],
        [2, 3, 2],
      ]);
      actual.outputs.forEach((y, i) => expectClose(y, expected.outputs[i], 1e-5));
      expect(actual.loss).toBeCloseTo(expected.loss, 4);
      expect(actual.grads.map((g) => g.shape)).toEqual(expected.grads.map((g) => g.shape));
      actual.grads.forEach((g, i) => expectClose(g.values, expected.grads[i].values, 1e-5));
    }
  });

  it('refuses blocks that do not fit with a clear message, and joins vectors as one row', () => {
    setFusedKernels(true);
    registerTrainingKernels();
    const before = tf.memory().numTensors;
    expect(() => tf.tidy(() => joinColumnBlocks([tf.zeros([2, 3]), tf.zeros([3, 1])]))).toThrow(
      /block 1 is \[3,1\], block 0 \[2,3\]/,
    );
    expect(() => tf.tidy(() => joinColumnBlocks([tf.zeros([3]), tf.zeros([1, 2])]))).toThrow(/block 1/);
    expect(() => tf.tidy(() => splitColumnBlocks(tf.zeros([2, 3]), [2, 2]))).toThrow(/float32 \[rows, 4\]/);
    // a vector is one row: biases join into one vector and split back
    const [a, b] = tf.tidy(() =>
      splitColumnBlocks(joinColumnBlocks([tf.tensor1d([1, 2]), tf.tensor1d([3])]), [1, 2]),
    );
    expect([a.shape, Array.from(a.dataSync()), b.shape, Array.from(b.dataSync())]).toEqual([
      [1],
      [1],
      [2],
      [2, 3],
    ]);
    tf.dispose([a, b]);
    expect(tf.memory().numTensors).toBe(before);
  });
});
