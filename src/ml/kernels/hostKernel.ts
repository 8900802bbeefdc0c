// Kernels written once in plain JavaScript over a backend's own buffers, for the two backends
// that keep tensors in host memory: wasm (views of its heap) and cpu (its stored arrays). Neither
// copies an input; outputs are allocated by the backend and written in place.
import * as tf from '../tf';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { simdKernelsFor, type SimdKernels } from './simd/simdModule';

/** What a host kernel may do with tensors. Allocate EVERY output before taking any view: on
 *  wasm an allocation can grow the heap, which detaches the views taken before it. */
export interface HostMemory {
  allocate(shape: readonly number[]): tf.TensorInfo;
  view(t: tf.TensorInfo): Float32Array | Int32Array;
  /** wasm only: the SIMD kernels on this heap (views' byteOffsets are their pointers), when on and
   *  available; null elsewhere, and the kernel runs its JavaScript loop */
  simd: SimdKernels | null;
}

export type HostKernel = (args: Parameters<tf.KernelFunc>[0], memory: HostMemory) => tf.TensorInfo[];

function wasmMemory(backend: BackendWasm): HostMemory {
  return {
    allocate: (shape) => backend.makeOutput([...shape], 'float32'),
    view: (t) => backend.typedArrayFromHeap(t) as Float32Array | Int32Array,
    simd: simdKernelsFor(backend),
  };
}

/** The part of the cpu backend used here; typed structurally so its package need not be imported. */
interface CpuBackend {
  readSync(dataId: tf.DataId): tf.backend_util.BackendValues;
  makeTensorInfo(shape: number[], dtype: tf.DataType, values: tf.backend_util.BackendValues): tf.TensorInfo;
}

function cpuMemory(backend: CpuBackend): HostMemory {
  const made = new Map<tf.DataId, Float32Array>();
  return {
    allocate: (shape) => {
      const values = new Float32Array(tf.util.sizeFromShape([...shape]));
      const info = backend.makeTensorInfo([...shape], 'float32', values);
      made.set(info.dataId, values);
      return info;
    },
    // the cpu backend's readSync returns its stored array, not a copy
    view: (t) => made.get(t.dataId) ?? (backend.readSync(t.dataId) as Float32Array | Int32Array),
    simd: null,
  };
}

/**
 * Throw where an input's entry count is not the one its kernel indexes it by (derived from another
 * input's shape): the loops would read past it, and on wasm the SIMD path into whatever lies next
 * on the heap. `expected` maps input names to entry counts.
 */
export function expectInputSizes(
  kernelName: string,
  inputs: Readonly<Record<string, tf.TensorInfo | undefined>>,
  expected: Readonly<Record<string, number>>,
): void {
  for (const [name, size] of Object.entries(expected)) {
    const t = inputs[name];
    const actual = t ? tf.util.sizeFromShape(t.shape) : 0;
    if (actual !== size) {
      const found = t ? `shape [${t.shape.join(', ')}] (${actual} entries)` : 'missing';
      throw new Error(`${kernelName}: input ${name} is ${found}; ${size} entries expected`);
    }
  }
}

/** The kernel registered for wasm and for cpu. */
export function hostKernelConfigs(kernelName: string, kernel: HostKernel): tf.KernelConfig[] {
  return [
    {
      kernelName,
      backendName: 'wasm',
      kernelFunc: (args) => kernel(args, wasmMemory(args.backend as BackendWasm)),
    },
    {
      kernelName,
      backendName: 'cpu',
      kernelFunc: (args) => kernel(args, cpuMemory(args.backend as CpuBackend)),
    },
  ];
}

/** Register configs whose name is not yet registered for their backend (idempotent). */
export function registerMissing(configs: readonly tf.KernelConfig[]): void {
  for (const config of configs) {
    if (!tf.getKernel(config.kernelName, config.backendName)) tf.registerKernel(config);
  }
}
