// Adam with two update paths over one step counter:
//  - dense: the usual update of a whole variable (attention, GRU, layer-norm weights);
//  - lazy/sparse: for embedding tables, only the rows a batch touched get their moments
//    and weights updated. tfjs's own optimizers would run the full Adam arithmetic over
//    every row of a 6k x 64 table each step although a batch touches a few hundred rows.
// Rows never touched keep stale moments (like TensorFlow's LazyAdam); bias correction uses
// the global step, which is what makes the first sparse step equal to the first dense one.
import * as tf from '../tf';

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

  applyDense(variable: tf.Variable, gradient: tf.Tensor): void {
    const { beta1, beta2 } = this.config;
    const { first, second } = this.momentsOf(variable);
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

  dispose(): void {
    for (const { first, second } of this.moments.values()) {
      first.dispose();
      second.dispose();
    }
    this.moments.clear();
  }
}
