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
    const params: StepParams = {};
    const rowTensors: Record<string, tf.Tensor1D> = {};
    for (const name of store.sparseNames) {
      const tableRows = rows[name];
      if (!tableRows || tableRows.length === 0) continue;
      rowTensors[name] = tf.tensor1d(tableRows, 'int32');
      params[name] = tf.gather(store.variables[name], rowTensors[name]);
    }
    for (const name of store.denseNames) params[name] = store.variables[name];
    const { value, gradients } = lossAndGradients(loss, params);
    for (const name of Object.keys(gradients)) {
      if (rowTensors[name]) optimizer.applySparse(store.variables[name], rowTensors[name], gradients[name]);
      else optimizer.applyDense(store.variables[name], gradients[name]);
    }
    return value;
  });
}
