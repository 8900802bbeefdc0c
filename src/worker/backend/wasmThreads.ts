// How many threads the wasm backend runs, and what it reports about SIMD and threads.
//
// tfjs-backend-wasm loads its threaded SIMD binary only when SharedArrayBuffer exists, that is
// when the page is cross-origin isolated (COOP + COEP headers from our servers, or from the
// service worker on hosts that cannot send them); otherwise it runs the single-threaded SIMD
// binary. The thread count must be set before the backend starts: it is read once, when tfjs
// builds the backend.
import { getThreadsCount, setThreadsCount } from '@tensorflow/tfjs-backend-wasm';
import * as tf from '../../ml/tf';
import type { WasmThreading } from './types';

/**
 * Helper threads the threaded binary starts with (Emscripten's PTHREAD_POOL_SIZE in tfjs 4.22).
 * Asking for more would make it create workers while a training step waits on them, which can
 * hang inside a worker: the pool is the ceiling.
 */
export const wasmThreadPoolSize = 8;

/** Threads for the wasm backend on a machine with `cores` logical cores: all of them, up to the pool. */
export function wasmThreadCount(cores: number | undefined): number {
  if (!cores || !Number.isFinite(cores) || cores < 1) return 1;
  return Math.min(Math.floor(cores), wasmThreadPoolSize);
}

let requestedThreads = 1;

/** Every worker that starts a backend: the wasm backend uses the cores this machine has. */
export function useAllCores(): void {
  useThreads(wasmThreadCount(globalThis.navigator?.hardwareConcurrency));
}

/** A given thread count instead (the benchmark's one-thread rows); before the backend starts. */
export function useThreads(threads: number): void {
  requestedThreads = Math.max(1, Math.floor(threads));
  setThreadsCount(requestedThreads);
}

/**
 * The core count the wasm module must see for `threads` to be honoured. tfjs's C++ side caps the
 * thread count at navigator.hardwareConcurrency / 2, assuming two hardware threads per core; on
 * machines without them (most virtual machines, Apple silicon) that leaves half the cores idle,
 * and on 2 cores it means one thread. Twice the asked threads lifts that cap and no other.
 */
export function coresToReport(threads: number, logicalCores: number): number {
  return Math.max(logicalCores, 2 * threads);
}

/**
 * Wraps the registered wasm backend factory so the module, while it starts, sees
 * coresToReport(asked threads) as navigator.hardwareConcurrency; the real value is back as soon as
 * the backend exists. Before any wasm backend starts (registerBackends.ts calls it once).
 */
export function honourThreadCount(): void {
  const engine = tf.engine();
  const entry = engine.registryFactory.wasm;
  if (!entry || engine.registry.wasm) return;
  const navigator = globalThis.navigator;
  if (!navigator) return;
  tf.removeBackend('wasm');
  tf.registerBackend(
    'wasm',
    async () => {
      const cores = coresToReport(requestedThreads, navigator.hardwareConcurrency ?? 1);
      Object.defineProperty(navigator, 'hardwareConcurrency', { configurable: true, get: () => cores });
      try {
        return await entry.factory();
      } finally {
        // the instance's own property goes; the prototype's real getter shows through again
        delete (navigator as { hardwareConcurrency?: number }).hardwareConcurrency;
      }
    },
    entry.priority,
  );
}

/** What the wasm backend runs with, once it has started; null when it never started here. */
export async function describeWasm(): Promise<WasmThreading | null> {
  let threads: number;
  try {
    // tfjs keeps the count after a losing backend is released: it describes the binary that ran
    threads = getThreadsCount();
  } catch {
    return null;
  }
  return {
    simd: Boolean(await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT')),
    threads,
    crossOriginIsolated: globalThis.crossOriginIsolated === true,
  };
}
