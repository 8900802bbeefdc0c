// Synchronous read-back is not safe on every tfjs backend. tfjs-backend-webgpu implements
// dataSync() by drawing the buffer through an OffscreenCanvas; in a worker on Chromium's
// SwiftShader adapter that returns all zeros AND loses the WebGPU device, so every later
// async read fails with "A valid external Instance reference no longer exists". Trained
// weights must therefore leave a WebGPU backend through data() (async), and synchronous
// scoring must run somewhere that can read synchronously: the cpu backend, on host copies.
import * as tf from '../tf';

/** Backends whose dataSync() we must never call (see above). */
const asyncOnlyBackends: ReadonlySet<string> = new Set(['webgpu']);

/** Whether dataSync()/arraySync() are trustworthy on the active backend. */
export function canReadSynchronously(backend: string = tf.getBackend()): boolean {
  return !asyncOnlyBackends.has(backend);
}

/**
 * Make `name` the active backend without yielding. tf.setBackend is async only while a backend
 * is first initialised asynchronously; for cpu (never async) or one already initialised, the
 * switch is complete when the call returns, which we check rather than assume.
 */
function switchBackendNow(name: string): void {
  tf.setBackend(name).catch(() => undefined); // a failure is caught by the check below
  if (tf.getBackend() !== name || !tf.findBackend(name)) {
    throw new Error(`could not switch the tfjs backend to ${name} synchronously`);
  }
}

/**
 * Run `work` with the cpu backend active and switch back afterwards, all synchronously (nothing
 * else can run in between). Tensors `work` reads must already live on the cpu backend or be
 * created inside it: reading a webgpu tensor from here would go through dataSync.
 */
export function onCpuBackend<T>(work: () => T): T {
  const previous = tf.getBackend();
  if (previous === 'cpu') return work();
  switchBackendNow('cpu');
  try {
    return work();
  } finally {
    switchBackendNow(previous);
  }
}
