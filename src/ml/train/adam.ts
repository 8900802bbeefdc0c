// Adam with two update paths over one step counter:
//  - dense: the usual update of a whole variable (attention, GRU, layer-norm weights);
//  - lazy/sparse: for embedding tables, only the rows a batch touched get their moments
//    and weights updated. tfjs's own optimizers would run the full Adam arithmetic over
//    every row of a 6k x 64 table each step although a batch touches a few hundred rows.
// Rows never touched keep stale moments (like TensorFlow's LazyAdam); bias correction uses
// the global step, which is what makes the first sparse step equal to the first dense one.
//
// Its state (step count and moments) can be exported and imported by parameter name, so a
// training checkpoint carries it and a resumed run continues exactly where it left off.
import * as tf from '../tf';
import { fusedKernelsOn } from '../kernels/fused';
import {
  adamKernelsAvailable,
  adamStep,
  registerAdamKernels,
  type AdamCoefficients,
} from '../kernels/adamUpdate';

export interface AdamConfig {
  learningRate: number;
  beta1: number;
  beta2: number;
  epsilon: number;
}

export const defaultAdamConfig: AdamConfig = {
  learningRate: 0.001,
  beta1: 0.9,
  beta2: 0.999,
  epsilon: 1e-8,
};

interface Moments {
  first: tf.Variable;
  second: tf.Variable;
}

/**
 * Adam's state as plain data, for a checkpoint: the global step count and, for each parameter
 * that has been updated at least once, its first and second moments (row-major, the parameter's
 * own shape). Keyed by the ParamStore's parameter names, which survive a reload, unlike the
 * tf.Variable objects. A parameter without moments has never been updated: its moments are zero.
 */
export interface AdamState {
  step: number;
  moments: Record<string, { first: Float32Array; second: Float32Array }>;
}

export class Adam {
  readonly config: AdamConfig;
  private readonly moments = new Map<tf.Variable, Moments>();
  private stepCount = 0;

  constructor(config: Partial<AdamConfig> = {}) {
    this.config = { ...defaultAdamConfig, ...config };
  }

  /** Call once per training step before applying that step's gradients. */
  beginStep(): void {
    this.stepCount++;
  }

  get step(): number {
    return this.stepCount;
  }

  private momentsOf(variable: tf.Variable): Moments {
    let found = this.moments.get(variable);
    if (!found) {
      found = {
        first: tf.variable(tf.zerosLike(variable), false),
        second: tf.variable(tf.zerosLike(variable), false),
      };
      this.moments.set(variable, found);
    }
    return found;
  }

  /** Step size with both bias corrections folded in (a plain number: no tensor per step). */
  private correctedRate(): number {
    const { learningRate, beta1, beta2 } = this.config;
    const t = Math.max(1, this.stepCount);
    return (learningRate * Math.sqrt(1 - beta2 ** t)) / (1 - beta1 ** t);
  }

  /** ε scaled the same way, so the folded form equals textbook m̂ / (sqrt(v̂) + ε). */
  private correctedEpsilon(): number {
    const t = Math.max(1, this.stepCount);
    return this.config.epsilon * Math.sqrt(1 - this.config.beta2 ** t);
  }

  /** This step's constants, for the one-pass kernel. */
  private coefficients(): AdamCoefficients {
    const { beta1, beta2 } = this.config;
    return { beta1, beta2, rate: this.correctedRate(), epsilon: this.correctedEpsilon() };
  }

  /** Whether this step runs as one kernel per parameter (wasm and cpu, unless switched off). */
  private onePass(): boolean {
    if (!fusedKernelsOn()) return false;
    registerAdamKernels();
    return adamKernelsAvailable();
  }

  /** The kernel's outputs become the variable and its moments (assign keeps them past the tidy). */
  private assignStep(variable: tf.Variable, moments: Moments, gradient: tf.Tensor, rows?: tf.Tensor1D): void {
    tf.tidy(() => {
      const [param, first, second] = adamStep(
        this.coefficients(),
        variable,
        moments.first,
        moments.second,
        gradient,
        rows,
      );
      moments.first.assign(first);
      moments.second.assign(second);
      variable.assign(param);
    });
  }

  applyDense(variable: tf.Variable, gradient: tf.Tensor): void {
    const { beta1, beta2 } = this.config;
    const { first, second } = this.momentsOf(variable);
    if (this.onePass()) {
      this.assignStep(variable, { first, second }, gradient);
      return;
    }
    tf.tidy(() => {
      const newFirst = tf.add(tf.mul(first, beta1), tf.mul(gradient, 1 - beta1));
      const newSecond = tf.add(tf.mul(second, beta2), tf.mul(tf.square(gradient), 1 - beta2));
      const update = tf.div(
        tf.mul(newFirst, this.correctedRate()),
        tf.add(tf.sqrt(newSecond), this.correctedEpsilon()),
      );
      first.assign(newFirst);
      second.assign(newSecond);
      variable.assign(tf.sub(variable, update));
    });
  }

  /**
   * Update only `rows` (unique row ids, int32 [r]) of a [n, d] table, given the gradient of the
   * loss w.r.t. the gathered rows ([r, d]). Rows must be unique: scatter with duplicates is undefined.
   */
  applySparse(table: tf.Variable, rows: tf.Tensor1D, rowGradients: tf.Tensor): void {
    const { beta1, beta2 } = this.config;
    const { first, second } = this.momentsOf(table);
    if (this.onePass()) {
      this.assignStep(table, { first, second }, rowGradients, rows);
      return;
    }
    tf.tidy(() => {
      const scatterIndices = tf.expandDims(rows, 1);
      const newFirst = tf.add(tf.mul(tf.gather(first, rows), beta1), tf.mul(rowGradients, 1 - beta1));
      const newSecond = tf.add(
        tf.mul(tf.gather(second, rows), beta2),
        tf.mul(tf.square(rowGradients), 1 - beta2),
      );
      const update = tf.div(
        tf.mul(newFirst, this.correctedRate()),
        tf.add(tf.sqrt(newSecond), this.correctedEpsilon()),
      );
      const newRows = tf.sub(tf.gather(table, rows), update);
      first.assign(tf.tensorScatterUpdate(first, scatterIndices, newFirst));
      second.assign(tf.tensorScatterUpdate(second, scatterIndices, newSecond));
      table.assign(tf.tensorScatterUpdate(table, scatterIndices, newRows));
    });
  }

  /**
   * Copies of the step count and of every moment, named as in `variables` (a ParamStore's).
   * Read back with the async data(): the only read that is correct on every backend (webgpu's
   * dataSync returns zeros and loses the device, see hostBackend.ts).
   */
  async exportState(variables: Readonly<Record<string, tf.Variable>>): Promise<AdamState> {
    const named = new Set(Object.values(variables));
    const unnamed = [...this.moments.keys()].filter((variable) => !named.has(variable)).length;
    if (unnamed > 0) throw new Error(`Adam.exportState: ${unnamed} updated variable(s) have no name`);
    const moments: AdamState['moments'] = {};
    for (const [name, variable] of Object.entries(variables)) {
      const found = this.moments.get(variable);
      if (!found) continue;
      moments[name] = {
        first: Float32Array.from((await found.first.data()) as Float32Array),
        second: Float32Array.from((await found.second.data()) as Float32Array),
      };
    }
    return { step: this.stepCount, moments };
  }

  /**
   * Continue from an exported state: set the step count and replace the moments of the named
   * `variables` (moments of parameters the state does not mention restart at zero, as they
   * would have been). Every moment must name a variable and match its size.
   */
  importState(state: AdamState, variables: Readonly<Record<string, tf.Variable>>): void {
    if (!Number.isInteger(state.step) || state.step < 0) {
      throw new Error(`Adam.importState: step must be a whole number ≥ 0, got ${state.step}`);
    }
    for (const [name, { first, second }] of Object.entries(state.moments)) {
      const variable = variables[name];
      if (!variable) throw new Error(`Adam.importState: no parameter "${name}"`);
      if (first.length !== variable.size || second.length !== variable.size) {
        throw new Error(
          `Adam.importState: moments of "${name}" have ${first.length}/${second.length} values, ` +
            `expected ${variable.size}`,
        );
      }
    }
    this.dispose();
    for (const [name, { first, second }] of Object.entries(state.moments)) {
      const variable = variables[name];
      const momentOf = (values: Float32Array) =>
        tf.tidy(() => tf.variable(tf.tensor(Float32Array.from(values), variable.shape, 'float32'), false));
      this.moments.set(variable, { first: momentOf(first), second: momentOf(second) });
    }
    this.stepCount = state.step;
  }

  dispose(): void {
    for (const { first, second } of this.moments.values()) {
      first.dispose();
      second.dispose();
    }
    this.moments.clear();
  }
}
