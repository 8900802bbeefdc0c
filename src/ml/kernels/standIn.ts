// Our wasm kernels stand in for tfjs's stock ones of the same name and fall back to them for the
// cases they do not speed up: how such a kernel is made and swapped in.
import * as tf from '../tf';

/**
 * A wasm kernel standing in for the stock one. The stock kernel binds its wasm function at backend
 * set-up, so when ours is registered before the backend starts, its set-up runs the stock one's.
 */
export function wasmStandIn(
  kernelName: string,
  kernelFunc: tf.KernelFunc,
  stock: () => tf.KernelConfig | undefined,
): tf.KernelConfig {
  return {
    kernelName,
    backendName: 'wasm',
    setupFunc: (backend) => stock()?.setupFunc?.(backend),
    kernelFunc,
  };
}

/**
 * Registers `config` in place of the kernel registered under its name and backend (idempotent).
 * Returns the kernel it replaced; undefined when `config` is already in place or there is nothing
 * to replace (the wasm backend was not imported, so there is nothing to improve).
 */
export function replaceKernel(config: tf.KernelConfig): tf.KernelConfig | undefined {
  const current = tf.getKernel(config.kernelName, config.backendName);
  if (current === config || !current) return undefined;
  tf.unregisterKernel(config.kernelName, config.backendName);
  tf.registerKernel(config);
  return current;
}

/** Undo replaceKernel: put `stock` back where `config` is registered (no-op otherwise). */
export function restoreKernel(config: tf.KernelConfig, stock: tf.KernelConfig | undefined): void {
  if (!stock || tf.getKernel(config.kernelName, config.backendName) !== config) return;
  tf.unregisterKernel(config.kernelName, config.backendName);
  tf.registerKernel(stock);
}
