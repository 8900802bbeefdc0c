// Adam's update as one kernel per parameter. Written with tfjs ops, one dense update is about a
// dozen kernels (scale the moments, square, add, sqrt, divide, subtract), each allocating a
// parameter-sized tensor: a SASRec step updated 31 parameters with ~390 kernel launches, and the
// launches cost more than the arithmetic. Here the moments and the parameter are read once and
// the three new tensors written in one pass. Registered for the wasm and cpu backends (plain
// JavaScript over their buffers); on other backends Adam keeps the op-by-op form.
import * as tf from '../tf';
import { hostKernelConfigs, registerMissing, type HostKernel } from './hostKernel';
import { simdAdamDense, simdAdamRows } from './simd/simdAdam';

export const ADAM_DENSE_KERNEL = 'AisleAdamDense';
export const ADAM_SPARSE_KERNEL = 'AisleAdamSparse';

/** Adam's constants for one step; rate and epsilon carry the bias corrections (see Adam). */
export interface AdamCoefficients {
  beta1: number;
  beta2: number;
  rate: number;
  epsilon: number;
}

/** A parameter, its moments and its gradient, as flat arrays. */
export interface AdamInputArrays {
  param: Float32Array;
  first: Float32Array;
  second: Float32Array;
  gradient: Float32Array;
}

/** Where the new parameter and moments go. */
export type AdamOutputArrays = Omit<AdamInputArrays, 'gradient'>;

/**
 * The textbook update of `count` entries: m ← β1·m + (1−β1)·g, v ← β2·v + (1−β2)·g²,
 * p ← p − rate·m / (√v + ε). Reads entry `from + i` of the parameter and moments and entry
 * `gradientFrom + i` of the gradient, writes entry `from + i` of the outputs.
 */
export function adamUpdateRange(
  c: AdamCoefficients,
  input: AdamInputArrays,
  output: AdamOutputArrays,
  from: number,
  gradientFrom: number,
  count: number,
): void {
  const { beta1, beta2, rate, epsilon } = c;
  const keep1 = 1 - beta1;
  const keep2 = 1 - beta2;
  for (let i = 0; i < count; i++) {
    const g = input.gradient[gradientFrom + i];
    const m = beta1 * input.first[from + i] + keep1 * g;
    const v = beta2 * input.second[from + i] + keep2 * g * g;
    output.first[from + i] = m;
    output.second[from + i] = v;
    output.param[from + i] = input.param[from + i] - (rate * m) / (Math.sqrt(v) + epsilon);
  }
}

/**
 * The lazy update of a [rows, width] table: every output starts as a copy of its input, then only
 * the listed rows (unique) are updated, with `rowGradients` [rows.length, width].
 */
export function adamSparseUpdate(
  c: AdamCoefficients,
  input: AdamInputArrays,
  output: AdamOutputArrays,
  rows: Int32Array,
  width: number,
): void {
  output.param.set(input.param);
  output.first.set(input.first);
  output.second.set(input.second);
  for (let r = 0; r < rows.length; r++) {
    adamUpdateRange(c, input, output, rows[r] * width, r * width, width);
  }
}

type KernelArgs = Parameters<tf.KernelFunc>[0];

interface AdamInputs {
  param: tf.TensorInfo;
  first: tf.TensorInfo;
  second: tf.TensorInfo;
  gradient: tf.TensorInfo;
  rows?: tf.TensorInfo;
}

function coefficientsOf(args: KernelArgs): AdamCoefficients {
  const { beta1, beta2, rate, epsilon } = args.attrs as unknown as AdamCoefficients;
  return { beta1, beta2, rate, epsilon };
}

function checkInputs(name: string, inputs: AdamInputs): void {
  const { param, first, second, gradient, rows } = inputs;
  for (const t of [param, first, second, gradient]) {
    if (t.dtype !== 'float32') throw new Error(`${name}: every input must be float32`);
  }
  const size = tf.util.sizeFromShape(param.shape);
  if (tf.util.sizeFromShape(first.shape) !== size || tf.util.sizeFromShape(second.shape) !== size) {
    throw new Error(
      `${name}: moments of ${tf.util.sizeFromShape(first.shape)} values for a parameter of ${size}`,
    );
  }
  const gradientSize = tf.util.sizeFromShape(gradient.shape);
  const expected = rows ? tf.util.sizeFromShape(rows.shape) * (param.shape[1] ?? 1) : size;
  if (gradientSize !== expected) {
    throw new Error(`${name}: a gradient of ${gradientSize} values where ${expected} were expected`);
  }
}

function adamKernel(name: string): HostKernel {
  return (args, memory) => {
    const inputs = args.inputs as unknown as AdamInputs;
    checkInputs(name, inputs);
    const outputs = [inputs.param, inputs.first, inputs.second].map((t) => memory.allocate(t.shape));
    const input = {
      param: memory.view(inputs.param) as Float32Array,
      first: memory.view(inputs.first) as Float32Array,
      second: memory.view(inputs.second) as Float32Array,
      gradient: memory.view(inputs.gradient) as Float32Array,
    };
    const [param, first, second] = outputs.map((t) => memory.view(t) as Float32Array);
    const output = { param, first, second };
    if (inputs.rows) {
      const rows = memory.view(inputs.rows) as Int32Array;
      const tableRows = inputs.param.shape[0];
      for (const row of rows) {
        if (!(row >= 0 && row < tableRows))
          throw new Error(`${name}: row ${row} outside the table's ${tableRows}`);
      }
      const width = inputs.param.shape[1] ?? 1;
      const c = coefficientsOf(args);
      if (!(memory.simd && simdAdamRows(memory.simd, c, input, output, rows, width))) {
        adamSparseUpdate(c, input, output, rows, width);
      }
    } else if (!(memory.simd && simdAdamDense(memory.simd, coefficientsOf(args), input, output))) {
      adamUpdateRange(coefficientsOf(args), input, output, 0, 0, input.param.length);
    }
    return outputs;
  };
}

export const adamKernelConfigs: tf.KernelConfig[] = [
  ...hostKernelConfigs(ADAM_DENSE_KERNEL, adamKernel(ADAM_DENSE_KERNEL)),
  ...hostKernelConfigs(ADAM_SPARSE_KERNEL, adamKernel(ADAM_SPARSE_KERNEL)),
];

/** Register the Adam kernels for wasm and cpu (idempotent). */
export function registerAdamKernels(): void {
  registerMissing(adamKernelConfigs);
}

/** Whether the active backend has the one-pass Adam kernels. */
export function adamKernelsAvailable(): boolean {
  return Boolean(tf.getKernel(ADAM_DENSE_KERNEL, tf.getBackend()));
}

/**
 * One Adam step of a parameter (dense: `rows` absent) or of the listed rows of a table, as one
 * kernel: returns the new parameter, first and second moments. Not differentiable (an update).
 */
export function adamStep(
  c: AdamCoefficients,
  param: tf.Tensor,
  first: tf.Tensor,
  second: tf.Tensor,
  gradient: tf.Tensor,
  rows?: tf.Tensor1D,
): [tf.Tensor, tf.Tensor, tf.Tensor] {
  const inputs: tf.NamedTensorMap = { param, first, second, gradient };
  if (rows) inputs.rows = rows;
  const attrs = { ...c } as unknown as tf.NamedAttrMap;
  const outputs = tf.engine().runKernel(rows ? ADAM_SPARSE_KERNEL : ADAM_DENSE_KERNEL, inputs, attrs);
  return outputs as unknown as [tf.Tensor, tf.Tensor, tf.Tensor];
}
