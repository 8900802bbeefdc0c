// The SIMD transpose (wasmMatMul.ts's dW operand) against the JavaScript tiles: a copy, so equal
// bit for bit, on shapes with and without partial 4 × 4 blocks.
import * as tf from '../../tf';
import '@tensorflow/tfjs-backend-wasm';
import { describe, expect, it } from 'vitest';
import { useWasmSimd } from '../../testSupport/wasmSimd';
import { transposeInto } from '../wasmMatMul';
import { instantiateSimdKernels } from './simdModule';
import { simdTranspose } from './simdTranspose';

describe('SIMD transpose on the wasm backend', () => {
  const wasm = useWasmSimd();

  it.each([
    [2, 3],
    [1, 1],
    [1, 9],
    [9, 1],
    [4, 4],
    [17, 33],
    [1024, 50],
    [50, 1027],
  ])('[%i, %i] → its transpose, as the JavaScript tiles make it', (rows, cols) => {
    const simd = wasm.kernels();
    // entry (r, c) = 2048·r + c (exact in float32 here): every entry tells where it came from
    const values = Float32Array.from(
      { length: rows * cols },
      (_, i) => 2048 * Math.floor(i / cols) + (i % cols),
    );
    const expected = new Float32Array(rows * cols);
    transposeInto(values, rows, cols, expected);
    const x = tf.tensor(values, [rows, cols]);
    const out = tf.fill([cols, rows], Number.NaN);
    const source = wasm.backend().typedArrayFromHeap(x) as Float32Array;
    const target = wasm.backend().typedArrayFromHeap(out) as Float32Array;
    simd.exports.transpose(source.byteOffset, rows, cols, target.byteOffset);
    expect(Array.from(target)).toEqual(Array.from(expected));
    if (rows === 2 && cols === 3) expect(Array.from(target)).toEqual([0, 2048, 1, 2049, 2, 2050]);
    tf.dispose([x, out]);
  });
});

describe('SIMD transpose on a shared memory like tfjs-wasm’s threaded build', () => {
  it('runs on views of another .buffer object of the same memory, and refuses a wrong length', () => {
    const memory = new WebAssembly.Memory({ initial: 2, maximum: 65536, shared: true });
    const kernels = instantiateSimdKernels(memory, { _malloc: () => 65536, _free: () => {} })!;
    expect(kernels).not.toBeNull();
    // a second SharedArrayBuffer object over the same memory (structured clone shares, not
    // copies), as a thread's read of .buffer may give: not ===, the same bytes
    const otherObject = structuredClone(memory.buffer);
    expect(otherObject).not.toBe(kernels.memory.buffer);
    const source = new Float32Array(otherObject, 1024, 6);
    source.set([0, 1, 2, 10, 11, 12]); // [[0, 1, 2], [10, 11, 12]]
    const target = new Float32Array(memory.buffer, 4096, 6);
    expect(simdTranspose(kernels, source, 2, 3, target)).toBe(true);
    expect(Array.from(target)).toEqual([0, 10, 1, 11, 2, 12]);
    target.fill(7);
    expect(simdTranspose(kernels, source, 3, 3, target)).toBe(false);
    expect(Array.from(target)).toEqual([7, 7, 7, 7, 7, 7]);
  });
});
