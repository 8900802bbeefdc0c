import * as tf from '../tf';
import { describe, expect, it } from 'vitest';
import {
  registerCpuUnsortedSegmentSum,
  registerWasmUnsortedSegmentSum,
  segmentSum,
  segmentSumShape,
  wasmUnsortedSegmentSumConfig,
} from './unsortedSegmentSum';

describe('segmentSum', () => {
  it('adds rows that share a segment and leaves empty segments at zero', () => {
    const values = Float32Array.from([1, 2, 10, 20, 100, 200]);
    expect(Array.from(segmentSum(values, [2, 0, 2], 2, 4))).toEqual([10, 20, 0, 0, 101, 202, 0, 0]);
  });

  it('drops out-of-range segment ids and keeps the dtype', () => {
    const out = segmentSum(Int32Array.from([5, 6, 7]), [-1, 1, 3], 1, 2);
    expect(out).toBeInstanceOf(Int32Array);
    expect(Array.from(out)).toEqual([0, 6]);
  });

  it('rejects values that do not split into rows', () => {
    expect(() => segmentSum(new Float32Array(5), [0, 1], 2, 2)).toThrow();
  });

  it('computes the output shape for prefix segment ids', () => {
    expect(segmentSumShape([4, 3, 2], 1, 7)).toEqual([7, 3, 2]);
    expect(segmentSumShape([4, 3], 2, 5)).toEqual([5]);
  });
});

describe('kernel registration', () => {
  it('cpu replacement agrees with the stock kernel, including through gather gradients', () => {
    const x = tf.tensor2d([
      [1, 2],
      [3, 4],
      [5, 6],
    ]);
    const ids = tf.tensor1d([1, 1, 3], 'int32');
    const stock = tf.unsortedSegmentSum(x, ids, 4).arraySync();
    const table = tf.tensor2d([
      [1, 1],
      [2, 2],
      [3, 3],
    ]);
    const gatherGrad = (): number[][] =>
      tf.tidy(
        () =>
          tf
            .grad((t: tf.Tensor) => tf.sum(tf.gather(t, [2, 0, 2])))(table)
            .arraySync() as number[][],
      );
    const stockGrad = gatherGrad();
    registerCpuUnsortedSegmentSum();
    registerCpuUnsortedSegmentSum(); // idempotent
    expect(tf.unsortedSegmentSum(x, ids, 4).arraySync()).toEqual(stock);
    expect(gatherGrad()).toEqual(stockGrad);
    expect(stockGrad).toEqual([
      [1, 1],
      [0, 0],
      [2, 2],
    ]);
    tf.dispose([x, ids, table]);
  });

  it('registers a wasm kernel that reads inputs and writes its output through the backend', () => {
    registerWasmUnsortedSegmentSum();
    expect(tf.getKernel('UnsortedSegmentSum', 'wasm')).toBe(wasmUnsortedSegmentSumConfig);
    // A stand-in for BackendWasm: the two methods the kernel uses.
    const stored = new Map<object, Float32Array | Int32Array>();
    const xId = {};
    const idsId = {};
    stored.set(xId, Float32Array.from([1, 2, 3, 4]));
    stored.set(idsId, Int32Array.from([1, 0, 1, 1]));
    let written: { shape: number[]; dtype: string; values: Float32Array } | undefined;
    const fakeBackend = {
      readSync: (dataId: object) => stored.get(dataId),
      makeOutput: (shape: number[], dtype: string, _offset: undefined, values: Float32Array) => {
        written = { shape, dtype, values };
        return { dataId: {}, shape, dtype };
      },
    };
    const out = wasmUnsortedSegmentSumConfig.kernelFunc({
      inputs: {
        x: { dataId: xId, shape: [4], dtype: 'float32' },
        segmentIds: { dataId: idsId, shape: [4], dtype: 'int32' },
      },
      attrs: { numSegments: 3 },
      backend: fakeBackend,
    }) as tf.TensorInfo;
    expect(out.shape).toEqual([3]);
    expect(written?.dtype).toBe('float32');
    expect(Array.from(written?.values ?? [])).toEqual([2, 8, 0]);
  });
});
