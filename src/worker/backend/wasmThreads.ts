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

/** Every worker that starts a backend: the wasm backend uses the cores this machine has. */
export function useAllCores(): void {
  setThreadsCount(wasmThreadCount(globalThis.navigator?.hardwareConcurrency));
}

/** A given thread count instead (the benchmark's one-thread rows); before the backend starts. */
export function useThreads(threads: number): void {
  setThreadsCount(Math.max(1, Math.floor(threads)));
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
