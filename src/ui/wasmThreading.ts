// The badge's words for how the wasm backend runs (worker/backend/wasmThreads.ts measures it).
import type { WasmThreading } from '../worker/backend/types';

/** "SIMD · 4 threads", "SIMD · 1 thread", "no SIMD · 1 thread": short enough for the badge. */
export function threadingLabel(wasm: WasmThreading): string {
  const threads = `${wasm.threads} thread${wasm.threads === 1 ? '' : 's'}`;
  return `${wasm.simd ? 'SIMD' : 'no SIMD'} · ${threads}`;
}

/** One sentence for the details: what runs, and why it is not threaded when it is not. */
export function threadingSentence(wasm: WasmThreading): string {
  const simd = wasm.simd ? 'with SIMD' : 'without SIMD (this browser has no WebAssembly SIMD)';
  if (wasm.threads > 1)
    return `wasm runs ${simd} on ${wasm.threads} threads (the page is cross-origin isolated).`;
  if (!wasm.crossOriginIsolated)
    return `wasm runs ${simd} on 1 thread: the page is not cross-origin isolated, so threads are unavailable.`;
  return `wasm runs ${simd} on 1 thread (this machine offers one core).`;
}
