// tfjs-backend-wasm's Identity and Cast copy their whole input into a new buffer, even when the
// dtype does not change. Autodiff calls both all the time (every Cast's gradient is dy.clone(),
// gradient accumulation and tidy's keep clone): a SASRec training step on amazon-beauty ran
// ~280 Identity kernels copying ~38 MB, a sixth of the step. tfjs never writes a buffer in place,
// so the output can share the input's buffer and count one more reference to it, as the cpu
// backend's Identity and wasm's own Reshape do. Casts that change the dtype keep the stock kernel.
import * as tf from '../tf';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { replaceKernel, restoreKernel } from './standIn';

let stockIdentity: tf.KernelConfig | undefined;
let stockCast: tf.KernelConfig | undefined;

/** The same buffer under a second tensor: one more reference, no copy. */
function shareBuffer(backend: BackendWasm, x: tf.TensorInfo): tf.TensorInfo {
  backend.incRef(x.dataId);
  return { dataId: x.dataId, shape: [...x.shape], dtype: x.dtype };
}

function identityWithoutCopy(args: Parameters<tf.KernelFunc>[0]): tf.TensorInfo | tf.TensorInfo[] {
  const { x } = args.inputs as { x: tf.TensorInfo };
  if (x.dtype === 'string' || x.dtype === 'complex64') {
    if (!stockIdentity) throw new Error('wasm Identity: the stock kernel is missing');
    return stockIdentity.kernelFunc(args);
  }
  return shareBuffer(args.backend as BackendWasm, x);
}

function castWithoutCopy(args: Parameters<tf.KernelFunc>[0]): tf.TensorInfo | tf.TensorInfo[] {
  const { x } = args.inputs as { x: tf.TensorInfo };
  const dtype = (args.attrs as { dtype?: tf.DataType } | undefined)?.dtype;
  if (dtype !== x.dtype || x.dtype === 'string' || x.dtype === 'complex64') {
    if (!stockCast) throw new Error('wasm Cast: the stock kernel is missing');
    return stockCast.kernelFunc(args);
  }
  return shareBuffer(args.backend as BackendWasm, x);
}

export const wasmIdentityConfig: tf.KernelConfig = {
  kernelName: 'Identity',
  backendName: 'wasm',
  kernelFunc: identityWithoutCopy,
};

export const wasmCastConfig: tf.KernelConfig = {
  kernelName: 'Cast',
  backendName: 'wasm',
  kernelFunc: castWithoutCopy,
};

/**
 * Identity and same-dtype Cast share buffers on wasm (idempotent).
 * Call after importing '@tensorflow/tfjs-backend-wasm', which registers the stock kernels.
 */
export function registerWasmSharedIdentity(): void {
  stockIdentity = replaceKernel(wasmIdentityConfig) ?? stockIdentity;
  stockCast = replaceKernel(wasmCastConfig) ?? stockCast;
}

/** Put the copying stock kernels back (for measuring against them). */
export function unregisterWasmSharedIdentity(): void {
  restoreKernel(wasmIdentityConfig, stockIdentity);
  restoreKernel(wasmCastConfig, stockCast);
}
