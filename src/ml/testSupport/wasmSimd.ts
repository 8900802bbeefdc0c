// The SIMD kernel tests all run on the wasm backend with the module instantiated over its heap:
// one place switches the backend for a describe block and hands back the kernels and heap views.
import '@tensorflow/tfjs-backend-wasm';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { afterAll, beforeAll, expect } from 'vitest';
import * as tf from '../tf';
import { simdKernelsFor, type SimdKernels } from '../kernels/simd/simdModule';

export interface WasmSimdContext {
  backend(): BackendWasm;
  /** The module over the backend's memory; a test fails if Node lacks WebAssembly SIMD. */
  kernels(): SimdKernels;
  /** A tensor's float32 view of the heap (take it after every allocation of a test). */
  heapView(t: tf.Tensor): Float32Array;
}

/** Switches to wasm before the enclosing describe block's tests and back after them. */
export function useWasmSimd(afterwards: () => void = () => undefined): WasmSimdContext {
  let previousBackend = '';
  let backend: BackendWasm | null = null;
  beforeAll(async () => {
    await tf.ready();
    previousBackend = tf.getBackend();
    expect(await tf.setBackend('wasm')).toBe(true);
    backend = tf.backend() as BackendWasm;
  });
  afterAll(async () => {
    afterwards();
    await tf.setBackend(previousBackend);
  });
  const current = (): BackendWasm => {
    if (!backend) throw new Error('the wasm backend is set up in beforeAll');
    return backend;
  };
  return {
    backend: current,
    kernels: () => {
      const found = simdKernelsFor(current());
      if (!found) throw new Error('no SIMD kernels on the wasm backend under Node');
      return found;
    },
    heapView: (t) => current().typedArrayFromHeap(t) as Float32Array,
  };
}
