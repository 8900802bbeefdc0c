// The SIMD kernels' WebAssembly module, instantiated on tfjs-wasm's own memory so that its kernels
// read and write tensors where the backend keeps them (a tensor's byte offset in the heap is a
// pointer in the module). One instance per memory, made on first use; null where WebAssembly SIMD
// is unavailable or the backend's memory cannot be found, and the JavaScript kernels run instead.
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { simdKernelsShared, simdKernelsUnshared } from './simdKernelsBinary.generated';

/** The module's exports (simdKernels.as); pointers are byte offsets into the shared memory. */
export interface SimdExports {
  dropoutForward(
    x: number,
    residual: number,
    rowScale: number,
    out: number,
    rows: number,
    width: number,
    key: number,
    keptBelowOrAt: number,
    multiplier: number,
    hasResidual: boolean,
    hasRowScale: boolean,
  ): void;
  dropoutBackward(
    dy: number,
    rowScale: number,
    dx: number,
    scaled: number,
    rows: number,
    width: number,
    key: number,
    keptBelowOrAt: number,
    multiplier: number,
    hasRowScale: boolean,
  ): void;
  attentionForward(
    queries: number,
    keys: number,
    values: number,
    keyMask: number,
    attended: number,
    probabilities: number,
    scratch: number,
    batch: number,
    length: number,
    width: number,
    scale: number,
    dropping: boolean,
    key: number,
    keptBelowOrAt: number,
    multiplier: number,
  ): void;
  attentionBackward(
    queries: number,
    keys: number,
    values: number,
    probabilities: number,
    gradient: number,
    dQueries: number,
    dKeys: number,
    dValues: number,
    scratch: number,
    batch: number,
    length: number,
    width: number,
    scale: number,
    dropping: boolean,
    key: number,
    keptBelowOrAt: number,
    multiplier: number,
  ): void;
  layerNormForward(
    x: number,
    gain: number,
    shift: number,
    y: number,
    means: number,
    invStds: number,
    rows: number,
    width: number,
    epsilon: number,
  ): void;
  layerNormBackward(
    dy: number,
    x: number,
    gain: number,
    means: number,
    invStds: number,
    dx: number,
    dGain: number,
    dShift: number,
    rows: number,
    width: number,
  ): void;
  adamDense(
    param: number,
    first: number,
    second: number,
    gradient: number,
    outParam: number,
    outFirst: number,
    outSecond: number,
    count: number,
    beta1: number,
    beta2: number,
    keep1: number,
    keep2: number,
    rate: number,
    epsilon: number,
  ): void;
  transpose(source: number, rows: number, cols: number, out: number): void;
  adamRows(
    param: number,
    first: number,
    second: number,
    gradient: number,
    outParam: number,
    outFirst: number,
    outSecond: number,
    rows: number,
    rowCount: number,
    width: number,
    beta1: number,
    beta2: number,
    keep1: number,
    keep2: number,
    rate: number,
    epsilon: number,
  ): void;
}

/** The kernels bound to one memory, and that memory (whose .buffer views must come from). */
export interface SimdKernels {
  exports: SimdExports;
  memory: WebAssembly.Memory;
  /** A pointer to at least `bytes` bytes of the heap the kernels may use as scratch (8-aligned): one
   *  region per memory, kept and reused, made larger when asked for more; 0 where the allocation
   *  failed, and the caller must not use the SIMD path. Call it before taking views: growing the
   *  region may grow the heap. */
  scratch(bytes: number): number;
}

// The smallest module with a SIMD instruction (one function returning v128.const 0; 43 bytes), to
// ask the engine whether it has WebAssembly SIMD without compiling the kernels.
const simdProbe = 'AGFzbQEAAAABBQFgAAF7AwIBAAoWARQA/QwAAAAAAAAAAAAAAAAAAAAACw==';

let simdSupported: boolean | undefined;

export function webAssemblySimdSupported(): boolean {
  simdSupported ??= typeof WebAssembly === 'object' && WebAssembly.validate(decodeBase64(simdProbe));
  return simdSupported;
}

function decodeBase64(text: string): Uint8Array<ArrayBuffer> {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

const compiled: { shared?: WebAssembly.Module; unshared?: WebAssembly.Module } = {};

function compiledModule(shared: boolean): WebAssembly.Module {
  // synchronous compilation (~5.5 KB; kernels run synchronously): workers and Node allow it at any
  // size; a page's main thread in Chromium only up to 4 KB, where it throws and the caller keeps the
  // JavaScript kernels (training runs in workers)
  if (shared) return (compiled.shared ??= new WebAssembly.Module(decodeBase64(simdKernelsShared)));
  return (compiled.unshared ??= new WebAssembly.Module(decodeBase64(simdKernelsUnshared)));
}

/** The parts of tfjs-wasm's emscripten module that hold its memory (which one depends on the build). */
interface EmscriptenModule {
  HEAPU8: Uint8Array;
  _malloc(bytes: number): number;
  _free(pointer: number): void;
  /** the single-threaded build's exports, memory among them */
  asm?: { memory?: unknown };
  /** the threaded build's memory, made in JavaScript and imported by its module */
  wasmMemory?: unknown;
}

/**
 * The WebAssembly.Memory behind the backend's heap: the one of its candidates whose buffer is the
 * heap's (the same object; for a shared memory, of the same length, as each read of a shared
 * memory's .buffer may give a new object).
 */
export function backendMemory(backend: BackendWasm): WebAssembly.Memory | null {
  const module = emscriptenOf(backend);
  if (!module?.HEAPU8) return null;
  const heap: ArrayBufferLike = module.HEAPU8.buffer;
  for (const candidate of [module.asm?.memory, module.wasmMemory]) {
    if (!(candidate instanceof WebAssembly.Memory)) continue;
    const buffer: ArrayBufferLike = candidate.buffer;
    if (buffer === heap || (isShared(buffer) && isShared(heap) && buffer.byteLength === heap.byteLength)) {
      return candidate;
    }
  }
  return null;
}

export function isShared(buffer: ArrayBufferLike): boolean {
  return typeof SharedArrayBuffer === 'function' && buffer instanceof SharedArrayBuffer;
}

/** Whether every view (null: an absent optional input) lies on the kernels' memory as it is now: a
 *  view taken before a heap growth is detached (its byteOffset would mean nothing), while each
 *  read of a shared memory's .buffer may give a new object for the same memory, so there equal
 *  length stands for the same buffer. */
export function viewsOnMemory(
  kernels: SimdKernels,
  views: readonly (Float32Array | Int32Array | null)[],
): boolean {
  const buffer = kernels.memory.buffer;
  return views.every(
    (view) =>
      view === null ||
      view.buffer === buffer ||
      (isShared(view.buffer) && isShared(buffer) && view.buffer.byteLength === buffer.byteLength),
  );
}

const instances = new WeakMap<WebAssembly.Memory, SimdKernels | null>();

/** The backend's emscripten module (the heap's allocator). */
function emscriptenOf(backend: BackendWasm): EmscriptenModule | undefined {
  return (backend as unknown as { wasm?: EmscriptenModule }).wasm;
}

/** The module instantiated on `memory` (the shared variant for a shared memory), with `heap`'s
 *  allocator for the scratch region; null where the engine refuses it. */
export function instantiateSimdKernels(
  memory: WebAssembly.Memory,
  heap: Pick<EmscriptenModule, '_malloc' | '_free'>,
): SimdKernels | null {
  let instance: WebAssembly.Instance;
  try {
    instance = new WebAssembly.Instance(compiledModule(isShared(memory.buffer)), { env: { memory } });
  } catch {
    return null; // an engine that refuses the import's type keeps the JavaScript kernels
  }
  let scratchAt = 0;
  let scratchBytes = 0;
  return {
    exports: instance.exports as unknown as SimdExports,
    memory,
    scratch: (bytes) => {
      if (bytes > scratchBytes) {
        if (scratchAt) heap._free(scratchAt);
        const wanted = Math.max(bytes, 2 * scratchBytes, 1024);
        scratchAt = heap._malloc(wanted); // malloc's alignment (8 or 16) suits float64
        // 0: the heap could not grow; keep no region, so the next call asks again, and the caller
        // gets 0 and runs its JavaScript loop rather than writing at address 0
        scratchBytes = scratchAt ? wanted : 0;
      }
      return scratchAt;
    },
  };
}

let simdOn = true;

/** Switch the SIMD kernels (on by default); off, the fused kernels run their JavaScript loops. */
export function setSimdKernels(on: boolean): void {
  simdOn = on;
}

export function simdKernelsOn(): boolean {
  return simdOn;
}

/** The SIMD kernels on this backend's memory, or null (switched off, no SIMD, no memory found). */
export function simdKernelsFor(backend: BackendWasm): SimdKernels | null {
  if (!simdOn || !webAssemblySimdSupported()) return null;
  const memory = backendMemory(backend);
  if (!memory) return null;
  let kernels = instances.get(memory);
  if (kernels === undefined) {
    kernels = instantiateSimdKernels(memory, emscriptenOf(backend)!);
    instances.set(memory, kernels);
  }
  return kernels;
}
