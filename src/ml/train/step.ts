// One optimisation step shared by every learned model. Sparse tables enter the loss as
// their gathered rows (so autodiff produces gradients of shape [rows, d], never [n, d]);
// dense parameters enter as themselves. Everything happens inside tf.tidy, so the only
// tensor that survives a step is the returned loss scalar.
import * as tf from '../tf';
import { registerTrainingKernels } from '../kernels';
import type { Adam } from './adam';
import type { ParamStore } from './params';

/** Parameters as the loss sees them: gathered row blocks for sparse tables, whole tensors otherwise. */
export type StepParams = Record<string, tf.Tensor>;

export type BatchLoss = (params: StepParams) => tf.Scalar;

/**
 * Gradients of `loss` w.r.t. the given parameter tensors. Pure (no updates); also what the
 * gradient checks compare against finite differences.
 */
export function lossAndGradients(
  loss: BatchLoss,
  params: StepParams,
): { value: tf.Scalar; gradients: StepParams } {
  const names = Object.keys(params);
  const { value, grads } = tf.valueAndGrads((...tensors: tf.Tensor[]) => {
    const named: StepParams = {};
    names.forEach((name, i) => (named[name] = tensors[i]));
    return loss(named);
  })(names.map((name) => params[name]));
  const gradients: StepParams = {};
  names.forEach((name, i) => (gradients[name] = grads[i]));
  return { value: value as tf.Scalar, gradients };
}

/**
 * The loss's parameters: each sparse table's touched `rows` gathered (a table without rows this
 * batch is left out), every dense parameter whole. Call inside tf.tidy.
 */
function gatherStepParams(
  store: ParamStore,
  rows: Record<string, Int32Array>,
): { params: StepParams; rowTensors: Record<string, tf.Tensor1D> } {
  const params: StepParams = {};
  const rowTensors: Record<string, tf.Tensor1D> = {};
  for (const name of store.sparseNames) {
    const tableRows = rows[name];
    if (!tableRows || tableRows.length === 0) continue;
    rowTensors[name] = tf.tensor1d(tableRows, 'int32');
    params[name] = tf.gather(store.variables[name], rowTensors[name]);
  }
  for (const name of store.denseNames) params[name] = store.variables[name];
  return { params, rowTensors };
}

/** Adam on each gradient: lazily to a sparse table's rows, densely to the rest. Call inside tf.tidy. */
function applyGradients(
  store: ParamStore,
  optimizer: Adam,
  rowTensors: Record<string, tf.Tensor1D>,
  gradients: StepParams,
): void {
  for (const name of Object.keys(gradients)) {
    if (rowTensors[name]) optimizer.applySparse(store.variables[name], rowTensors[name], gradients[name]);
    else optimizer.applyDense(store.variables[name], gradients[name]);
  }
}

/**
 * Gather the touched rows of each sparse table, differentiate, and apply Adam: lazily to the
 * touched rows, densely to the rest. `rows` gives unique row ids per sparse table; a table
 * without rows this batch is left out (the loss must not read it then).
 */
export function sparseTrainStep(
  store: ParamStore,
  optimizer: Adam,
  rows: Record<string, Int32Array>,
  loss: BatchLoss,
): tf.Scalar {
  // gather's gradient is an UnsortedSegmentSum (missing on wasm, quadratic on cpu), and the
  // GRU unstacks per time step (slow on wasm): make sure the fixed kernels are in place.
  registerTrainingKernels();
  optimizer.beginStep();
  return tf.tidy(() => {
    const { params, rowTensors } = gatherStepParams(store, rows);
    const { value, gradients } = lossAndGradients(loss, params);
    applyGradients(store, optimizer, rowTensors, gradients);
    return value;
  });
}

/**
 * The step's mean loss and gradients, read back into arrays, without updating anything: what a
 * data-parallel replica computes for its part of a batch (dataParallel.ts). Sparse tables are
 * differentiated through their `rows` gathered, as in sparseTrainStep. Reads synchronously, so
 * only on backends that can (wasm, cpu).
 */
export function readStepGradients(
  store: ParamStore,
  rows: Record<string, Int32Array>,
  loss: BatchLoss,
): { loss: number; gradients: Record<string, Float32Array> } {
  registerTrainingKernels();
  const arrays: Record<string, Float32Array> = {};
  let lossValue = NaN;
  // the arrays are filled inside the tidy but not returned from it: tidy walks a returned object
  // for tensors to keep, and it walks a typed array entry by entry (a whole step's time, measured)
  tf.tidy(() => {
    const { value, gradients } = lossAndGradients(loss, gatherStepParams(store, rows).params);
    for (const [name, gradient] of Object.entries(gradients)) {
      arrays[name] = (gradient.dataSync() as Float32Array).slice();
    }
    lossValue = value.dataSync()[0];
  });
  return { loss: lossValue, gradients: arrays };
}

/**
 * One Adam step from gradients given as arrays (a data-parallel step's combined gradients): the
 * sparse tables' `rows` lazily, every other parameter densely, as sparseTrainStep applies them.
 */
export function applyStepGradients(
  store: ParamStore,
  optimizer: Adam,
  rows: Record<string, Int32Array>,
  gradients: Record<string, Float32Array>,
): void {
  registerTrainingKernels();
  optimizer.beginStep();
  tf.tidy(() => {
    const rowTensors: Record<string, tf.Tensor1D> = {};
    const gradientTensors: StepParams = {};
    for (const [name, values] of Object.entries(gradients)) {
      const variable = store.variables[name];
      if (!variable) throw new Error(`a gradient for the unknown parameter "${name}"`);
      const tableRows = rows[name];
      if (tableRows) {
        rowTensors[name] = tf.tensor1d(tableRows, 'int32');
        gradientTensors[name] = tf.tensor2d(values, [tableRows.length, variable.shape[1]!]);
      } else {
        gradientTensors[name] = tf.tensor(values, variable.shape, 'float32');
      }
    }
    applyGradients(store, optimizer, rowTensors, gradientTensors);
  });
}
