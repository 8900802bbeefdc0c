// The trainable parameters of a model: tf.Variables we own (no tf.layers), created from
// seeded values, converted to and from the typed arrays a ModelSnapshot stores.
import * as tf from '../tf';
import { canReadSynchronously } from './hostBackend';
import type { Rng } from '../random';

export type ParamInit = 'normal' | 'zeros' | 'ones' | 'glorot';

export interface ParamSpec {
  shape: number[];
  init: ParamInit;
  /** standard deviation for 'normal' */
  std?: number;
  /** an embedding table updated row-wise (lazy Adam) instead of densely */
  sparse?: boolean;
}

export type ParamSpecs = Record<string, ParamSpec>;

function elementCount(shape: readonly number[]): number {
  return shape.reduce((product, size) => product * size, 1);
}

/** Initial values computed in JS from our seeded Rng, so a seed fixes the model on every backend. */
export function initialValues(spec: ParamSpec, rng: Rng): Float32Array {
  const values = new Float32Array(elementCount(spec.shape));
  switch (spec.init) {
    case 'zeros':
      return values;
    case 'ones':
      return values.fill(1);
    case 'normal': {
      const std = spec.std ?? 0.05;
      for (let i = 0; i < values.length; i++) values[i] = rng.nextNormal() * std;
      return values;
    }
    case 'glorot': {
      // uniform Glorot keeps activations at unit scale through matMul layers
      const fanIn = spec.shape[0] ?? 1;
      const fanOut = spec.shape[spec.shape.length - 1] ?? 1;
      const limit = Math.sqrt(6 / (fanIn + fanOut));
      for (let i = 0; i < values.length; i++) values[i] = (rng.next() * 2 - 1) * limit;
      return values;
    }
  }
}

/** Every spec must have an array of exactly its size (a snapshot of the wrong model fails here). */
export function checkParamArrays(specs: ParamSpecs, arrays: Record<string, ArrayLike<number>>): void {
  for (const [name, spec] of Object.entries(specs)) {
    const values = arrays[name];
    if (!values) throw new Error(`snapshot is missing parameter "${name}"`);
    if (values.length !== elementCount(spec.shape)) {
      throw new Error(`parameter "${name}" has ${values.length} values, expected shape [${spec.shape}]`);
    }
  }
}

export class ParamStore {
  private constructor(
    readonly specs: ParamSpecs,
    readonly variables: Record<string, tf.Variable>,
  ) {}

  static initialise(specs: ParamSpecs, rng: Rng): ParamStore {
    // Object key order is insertion order, so the same specs draw the same numbers.
    const arrays: Record<string, Float32Array> = {};
    for (const [name, spec] of Object.entries(specs)) arrays[name] = initialValues(spec, rng);
    return ParamStore.fromArrays(specs, arrays);
  }

  /** Rebuild from saved arrays; every spec must have an array of exactly the right size. */
  static fromArrays(specs: ParamSpecs, arrays: Record<string, ArrayLike<number>>): ParamStore {
    checkParamArrays(specs, arrays);
    const variables: Record<string, tf.Variable> = {};
    for (const [name, spec] of Object.entries(specs)) {
      const initial = tf.tensor(Float32Array.from(arrays[name]), spec.shape, 'float32');
      variables[name] = tf.variable(initial, true);
      initial.dispose();
    }
    return new ParamStore(specs, variables);
  }

  get sparseNames(): string[] {
    return Object.keys(this.specs).filter((name) => this.specs[name].sparse);
  }

  get denseNames(): string[] {
    return Object.keys(this.specs).filter((name) => !this.specs[name].sparse);
  }

  /**
   * Copies of every parameter, read back asynchronously: the only read that is correct on every
   * backend (webgpu's dataSync returns zeros and loses the device, see hostBackend.ts).
   */
  async readAll(): Promise<Record<string, Float32Array>> {
    const arrays: Record<string, Float32Array> = {};
    for (const [name, variable] of Object.entries(this.variables)) {
      arrays[name] = Float32Array.from((await variable.data()) as Float32Array);
    }
    return arrays;
  }

  /** Synchronous copies, for tests on the cpu/wasm backends; refuses where dataSync is unsafe. */
  toArrays(): Record<string, Float32Array> {
    if (!canReadSynchronously()) {
      throw new Error(`ParamStore.toArrays cannot read synchronously on ${tf.getBackend()}: use readAll`);
    }
    const arrays: Record<string, Float32Array> = {};
    for (const [name, variable] of Object.entries(this.variables)) {
      arrays[name] = Float32Array.from(variable.dataSync() as Float32Array);
    }
    return arrays;
  }

  dispose(): void {
    for (const variable of Object.values(this.variables)) variable.dispose();
  }
}
