// Test set-up shared by measure.test.ts and start.test.ts: Node has tfjs's cpu and wasm backends
// (webgpu and webgl do not exist here), so the warm-up runs for real on those two.
import { fileURLToPath } from 'node:url';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { afterAll, beforeAll, expect } from 'vitest';
import * as tf from '../../ml/tf';

/** Points wasm at its binaries on disk and starts each test file on cpu; restores the backend after. */
export function useNodeBackends(): void {
  let previous: string;
  beforeAll(async () => {
    // the page serves the wasm binaries from its own origin; in Node they are files
    const dist = (name: string) =>
      fileURLToPath(
        new URL(`../../../node_modules/@tensorflow/tfjs-backend-wasm/dist/${name}`, import.meta.url),
      );
    setWasmPaths({
      'tfjs-backend-wasm.wasm': dist('tfjs-backend-wasm.wasm'),
      'tfjs-backend-wasm-simd.wasm': dist('tfjs-backend-wasm-simd.wasm'),
      'tfjs-backend-wasm-threaded-simd.wasm': dist('tfjs-backend-wasm-threaded-simd.wasm'),
    });
    expect(await tf.setBackend('cpu')).toBe(true);
    previous = tf.getBackend();
  });
  afterAll(async () => {
    await tf.setBackend(previous);
  });
}
