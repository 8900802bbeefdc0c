// Picks and starts the tfjs backend inside the worker, and says why.
// Order for 'auto': webgpu, webgl, wasm, cpu — the first that starts and passes a
// warm-up matmul wins. The report carries the adapter's own description, so a
// software adapter (SwiftShader: WebGPU emulated on the CPU) is named as such
// rather than passed off as a GPU.
import * as tf from '../ml/tf';
import '@tensorflow/tfjs-backend-webgpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import wasmPlainUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimdUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreadedUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import type { AdapterInfo, BackendAttempt, BackendName, BackendPreference, BackendReport } from './protocol';

export const backendOrder: readonly BackendName[] = ['webgpu', 'webgl', 'wasm', 'cpu'];

// The wasm binaries are served from our own origin (the CSP forbids anything else).
setWasmPaths({
  'tfjs-backend-wasm.wasm': wasmPlainUrl,
  'tfjs-backend-wasm-simd.wasm': wasmSimdUrl,
  'tfjs-backend-wasm-threaded-simd.wasm': wasmThreadedUrl,
});

export async function describeAdapter(): Promise<AdapterInfo | null> {
  const gpu = (self.navigator as Navigator & { gpu?: GPU }).gpu;
  if (!gpu) return null;
  const adapter = await gpu.requestAdapter();
  if (!adapter) return null;
  const info = adapter.info;
  const architecture = info?.architecture ?? '';
  const isFallback = (info as GPUAdapterInfo & { isFallbackAdapter?: boolean })?.isFallbackAdapter ?? false;
  return {
    vendor: info?.vendor ?? '',
    architecture,
    device: info?.device ?? '',
    description: info?.description ?? '',
    isSoftware: isFallback || /swiftshader/i.test(`${architecture} ${info?.description ?? ''}`),
  };
}

/** A small matmul, read back: proves the backend computes, and times its first real work. */
async function warmUp(): Promise<number> {
  const started = performance.now();
  const product = tf.tidy(() => tf.matMul(tf.ones([128, 128]), tf.ones([128, 128])));
  const values = await product.data();
  product.dispose();
  if (values[0] !== 128) throw new Error(`warm-up matmul returned ${values[0]}, expected 128`);
  return performance.now() - started;
}

function candidates(preference: BackendPreference, excluded: readonly BackendName[]): BackendName[] {
  const order =
    preference === 'auto' ? backendOrder : [preference, ...backendOrder.filter((b) => b !== preference)];
  return order.filter((b) => !excluded.includes(b));
}

export async function startBackend(
  preference: BackendPreference,
  excluded: readonly BackendName[] = [],
): Promise<BackendReport> {
  const attempts: BackendAttempt[] = [];
  let adapter: AdapterInfo | null = null;
  for (const backend of candidates(preference, excluded)) {
    try {
      if (backend === 'webgpu') {
        adapter = await describeAdapter();
        if (!adapter) throw new Error('this browser exposes no WebGPU adapter');
      }
      if (!(await tf.setBackend(backend))) throw new Error(`tfjs could not initialise ${backend}`);
      await tf.ready();
      const warmupMs = await warmUp();
      attempts.push({ backend, ok: true, warmupMs });
      return {
        active: backend,
        reason: reasonFor(backend, attempts, adapter, preference),
        adapter,
        attempts,
      };
    } catch (error) {
      attempts.push({ backend, ok: false, error: error instanceof Error ? error.message : String(error) });
    }
  }
  throw new Error(
    `no tfjs backend could start: ${attempts.map((a) => `${a.backend}: ${a.error}`).join('; ')}`,
  );
}

function reasonFor(
  backend: BackendName,
  attempts: BackendAttempt[],
  adapter: AdapterInfo | null,
  preference: BackendPreference,
): string {
  const failed = attempts.filter((a) => !a.ok).map((a) => `${a.backend} (${a.error})`);
  const before = failed.length > 0 ? ` after ${failed.join(', ')} failed` : '';
  if (backend === 'webgpu' && adapter) {
    const kind = adapter.isSoftware
      ? `a software adapter (${adapter.architecture || adapter.description || 'fallback'}) — WebGPU emulated on the CPU`
      : `the GPU ${[adapter.vendor, adapter.architecture, adapter.device].filter(Boolean).join(' ')}`;
    return `WebGPU on ${kind}${before}.`;
  }
  const asked = preference === 'auto' ? '' : ` (you asked for ${preference})`;
  return `${backend} is running${asked}${before}.`;
}

/** Resolves when the WebGPU device behind tfjs is lost (driver reset, GPU removed). */
export function webgpuDeviceLost(): Promise<string> | null {
  if (tf.getBackend() !== 'webgpu') return null;
  const backend = tf.backend() as unknown as { device?: GPUDevice };
  return backend.device
    ? backend.device.lost.then((info) => info.message || info.reason || 'device lost')
    : null;
}
