// Adam's state leaves and re-enters the optimizer by parameter name: a copy that imports it
// continues exactly like the original.
import * as tf from '../tf';
import { beforeAll, describe, expect, it } from 'vitest';
import { Adam } from './adam';
import { ParamStore, type ParamSpecs } from './params';
import { createRng } from '../random';
import { sparseTrainStep, type StepParams } from './step';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const specs: ParamSpecs = {
  table: { shape: [6, 3], init: 'normal', std: 0.5, sparse: true },
  unused: { shape: [4, 3], init: 'normal', std: 0.5, sparse: true },
  dense: { shape: [3], init: 'normal', std: 0.5 },
};

const loss = (p: StepParams) => tf.sum(tf.square(tf.sub(tf.mul(p.table, p.dense), 1))) as tf.Scalar;

/** A step over a few rows of `table`; `unused` never gets a gradient. */
function step(store: ParamStore, optimizer: Adam, rows: number[]): void {
  tf.dispose(sparseTrainStep(store, optimizer, { table: Int32Array.from(rows) }, loss));
}

const batches = [
  [0, 1],
  [2, 5],
  [1, 3],
  [0, 4],
  [5, 2],
];

describe('Adam state', () => {
  it('exports step and moments by parameter name; an optimizer that imports them continues identically', async () => {
    const before = tf.memory().numTensors;
    const original = ParamStore.initialise(specs, createRng(4));
    const optimizer = new Adam({ learningRate: 0.05 });
    batches.slice(0, 2).forEach((rows) => step(original, optimizer, rows));
    const state = await optimizer.exportState(original.variables);
    expect(state.step).toBe(2);
    // a parameter never updated has no moments (they are zero)
    expect(Object.keys(state.moments).sort()).toEqual(['dense', 'table']);
    expect(state.moments.table.first).toBeInstanceOf(Float32Array);
    expect(state.moments.table.first).toHaveLength(18);
    // rows the batches never touched keep zero moments (lazy Adam)
    expect(Array.from(state.moments.table.second.subarray(3 * 3, 4 * 3))).toEqual([0, 0, 0]);

    const copy = ParamStore.fromArrays(specs, await original.readAll());
    const resumed = new Adam({ learningRate: 0.05 });
    resumed.importState(state, copy.variables);
    expect(resumed.step).toBe(2);
    for (const rows of batches.slice(2)) {
      step(original, optimizer, rows);
      step(copy, resumed, rows);
    }
    expect(await copy.readAll()).toEqual(await original.readAll());
    expect(await resumed.exportState(copy.variables)).toEqual(
      await optimizer.exportState(original.variables),
    );

    // exported arrays are copies: changing them changes nothing inside the optimizer
    state.moments.dense.first.fill(99);
    expect((await optimizer.exportState(original.variables)).moments.dense.first[0]).not.toBe(99);
    for (const disposable of [optimizer, resumed, original, copy]) disposable.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('a fresh optimizer that imports nothing equals one that restarts', async () => {
    const store = ParamStore.initialise(specs, createRng(4));
    const optimizer = new Adam();
    optimizer.importState({ step: 0, moments: {} }, store.variables);
    expect(await optimizer.exportState(store.variables)).toEqual({ step: 0, moments: {} });
    optimizer.dispose();
    store.dispose();
  });

  it('refuses a state that does not fit the parameters, and moments of unnamed variables', async () => {
    const before = tf.memory().numTensors;
    const store = ParamStore.initialise(specs, createRng(4));
    const optimizer = new Adam();
    const moments = (size: number) => ({ first: new Float32Array(size), second: new Float32Array(size) });
    expect(() => optimizer.importState({ step: 1, moments: { other: moments(3) } }, store.variables)).toThrow(
      /no parameter "other"/,
    );
    expect(() => optimizer.importState({ step: 1, moments: { dense: moments(4) } }, store.variables)).toThrow(
      /moments of "dense" have 4\/4 values, expected 3/,
    );
    expect(() => optimizer.importState({ step: -1, moments: {} }, store.variables)).toThrow(/step/);
    step(store, optimizer, [0]);
    await expect(optimizer.exportState({ table: store.variables.table })).rejects.toThrow(/no name/);
    optimizer.dispose();
    store.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
