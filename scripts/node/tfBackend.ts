// A tfjs backend for the scripts that train models under Node: wasm (its .wasm files read from
// node_modules, as the browser build serves them) or cpu.
import { fileURLToPath } from 'node:url';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import '@tensorflow/tfjs-backend-wasm';
import * as tf from '../../src/ml/tf';

/** A path inside the repository, from its root. */
export const fromRoot = (path: string) => fileURLToPath(new URL(`../../${path}`, import.meta.url));

export async function startBackend(name: string): Promise<void> {
  if (name === 'wasm') {
    const dist = (file: string) => fromRoot(`node_modules/@tensorflow/tfjs-backend-wasm/dist/${file}`);
    setWasmPaths({
      'tfjs-backend-wasm.wasm': dist('tfjs-backend-wasm.wasm'),
      'tfjs-backend-wasm-simd.wasm': dist('tfjs-backend-wasm-simd.wasm'),
      'tfjs-backend-wasm-threaded-simd.wasm': dist('tfjs-backend-wasm-threaded-simd.wasm'),
    });
  }
  if (!(await tf.setBackend(name))) throw new Error(`backend ${name} did not start`);
}
