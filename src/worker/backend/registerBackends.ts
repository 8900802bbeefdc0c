// Makes webgpu and wasm startable (ml/tf.ts registers cpu and webgl). Imported by whatever calls
// tf.setBackend, so a module that starts backends cannot be used before they exist.
import '@tensorflow/tfjs-backend-webgpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import wasmPlainUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimdUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreadedUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import { honourThreadCount, useAllCores } from './wasmThreads';

// The wasm binaries are served from our own origin (the CSP forbids anything else).
setWasmPaths({
  'tfjs-backend-wasm.wasm': wasmPlainUrl,
  'tfjs-backend-wasm-simd.wasm': wasmSimdUrl,
  'tfjs-backend-wasm-threaded-simd.wasm': wasmThreadedUrl,
});
// Threaded (when the page is cross-origin isolated) on every core, up to the binary's pool.
useAllCores();
honourThreadCount();
