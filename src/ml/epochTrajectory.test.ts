import * as tf from './tf';
import { beforeAll, describe, expect, it } from 'vitest';
import { chooseEpoch, fitValidated, trajectoryKey, type ValidatedFitOptions } from './epochTrajectory';
import { fromSequences } from './interactions';
import {
  decodeSnapshot,
  encodeSnapshot,
  modelCacheKey,
  type Bytes,
  type ModelCacheStore,
} from './modelCache';
import type { Recommender } from './recommender';
import { createRecommender } from './registry';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('chooseEpoch', () => {
  // epoch:        1    2    3    4    5    6
  const scores = [0.1, 0.3, 0.2, 0.25, 0.29, 0.31];

  it('keeps the best epoch and stops once patience epochs in a row brought nothing better', () => {
    // epochs 3, 4, 5 are all below epoch 2's .3: the third of them ends it
    expect(chooseEpoch(scores, 3, 30)).toEqual({
      bestEpoch: 2,
      bestScore: 0.3,
      epochsWalked: 5,
      stopped: true,
    });
    // one more epoch of patience reaches epoch 6, the best; then the scores end (not a stop)
    expect(chooseEpoch(scores, 4, 30)).toEqual({
      bestEpoch: 6,
      bestScore: 0.31,
      epochsWalked: 6,
      stopped: false,
    });
  });

  it('ends at the budget, which is not a stop even when the patience runs out there', () => {
    expect(chooseEpoch(scores, 3, 4)).toMatchObject({ bestEpoch: 2, epochsWalked: 4, stopped: false });
    expect(chooseEpoch(scores, 3, 5)).toMatchObject({ bestEpoch: 2, epochsWalked: 5, stopped: false });
  });

  it('counts an equal score as no improvement, and keeps the earlier epoch', () => {
    expect(chooseEpoch([0.2, 0.2, 0.1], 2, 10)).toEqual({
      bestEpoch: 1,
      bestScore: 0.2,
      epochsWalked: 3,
      stopped: true,
    });
  });

  it('has no best epoch before any score', () => {
    expect(chooseEpoch([], 3, 10)).toMatchObject({ bestEpoch: 0, epochsWalked: 0, stopped: false });
  });
});

describe('trajectoryKey', () => {
  const parts = {
    data: 'beauty 0123 | leave-one-out | seed 42 | fold 0',
    model: 'sasrec',
    config: { hidden: 64, learningRate: 0.003, epochs: 12, seed: 42 },
  };

  it('ignores the epoch budget but not the learning rate, the seed or the data', () => {
    const key = trajectoryKey(parts);
    expect(trajectoryKey({ ...parts, config: { ...parts.config, epochs: 30 } })).toBe(key);
    const others = [
      { ...parts, config: { ...parts.config, learningRate: 0.001 } },
      { ...parts, config: { ...parts.config, seed: 43 } },
      { ...parts, data: parts.data.replace('fold 0', 'fold 1') },
    ].map(trajectoryKey);
    expect(new Set([key, ...others]).size).toBe(4);
  });

  it('is not the key of a model trained without per-epoch validation', () => {
    const { epochs: _budget, ...withoutEpochs } = parts.config;
    expect(trajectoryKey(parts)).not.toBe(modelCacheKey({ ...parts, config: withoutEpochs }));
  });
});

// 30 users walking a 10-item catalogue: MF learns something in a few epochs
const data = fromSequences(
  Array.from({ length: 30 }, (_, user) =>
    Array.from({ length: 4 + (user % 3) }, (_, step) => (user * 3 + step * (1 + (user % 2))) % 10),
  ),
  10,
);
const mfConfig = { dim: 4, batchSize: 16, learningRate: 0.05, seed: 5 };

function memoryStore(): ModelCacheStore & { entries: Map<string, Bytes> } {
  const entries = new Map<string, Bytes>();
  return {
    entries,
    get: async (key) => entries.get(key),
    put: async (key, bytes) => void entries.set(key, bytes),
  };
}

/**
 * One validated fit of a fresh MF with `epochs`, scored by fixed figures (epoch n's per-user
 * figures are `byEpoch[n - 1]`: a number is one user's), chosen by `score` (default: the first
 * user's figure), so which epoch is kept is hand-worked; the weights are MF's real ones.
 */
async function run(
  epochs: number,
  patience: number,
  byEpoch: readonly (number | readonly number[])[],
  cache?: ValidatedFitOptions['cache'],
  onMessage?: (message: string) => void,
  score: ValidatedFitOptions['score'] = (perUser) => perUser[0],
): Promise<{ model: Recommender; fit: Awaited<ReturnType<typeof fitValidated>>; trained: number[] }> {
  const model = createRecommender('mf', { ...mfConfig, epochs });
  const trained: number[] = [];
  const figures = byEpoch.map((epoch) => Float32Array.from(typeof epoch === 'number' ? [epoch] : epoch));
  let current = 0;
  const fit = await fitValidated(model, {
    epochs,
    patience,
    validationUsers: figures[0].length,
    validate: async () => figures[current - 1],
    score,
    fit: (options) =>
      model.fit(data, {
        ...options,
        onEpochEnd: (epoch, scored) => {
          current = epoch;
          trained.push(epoch);
          return options.onEpochEnd(epoch, scored);
        },
      }),
    cache,
    onMessage,
  });
  return { model, fit, trained };
}

const weightsOf = (model: Recommender) => model.save().arrays;

describe('fitValidated', () => {
  // eighths: exact in float32, so the stored figures read back as the very scores
  const rising = [0.125, 0.25, 0.375, 0.5, 0.625];
  const key = 'mf-0000000000000000';

  it('3 epochs continued to 5 from the cache equal 5 straight, and a third run trains nothing', async () => {
    const before = tf.memory().numTensors;
    const straight = await run(5, 3, rising);
    expect(straight.fit).toEqual({
      scores: rising,
      keptEpoch: 5,
      stoppedEarly: false,
      epochsTrainedNow: 5,
    });

    const store = memoryStore();
    const first = await run(3, 3, rising, { store, key });
    expect(first.trained).toEqual([1, 2, 3]);
    const continued = await run(5, 3, rising, { store, key });
    expect(continued.trained).toEqual([4, 5]);
    expect(continued.fit).toEqual({ ...straight.fit, epochsTrainedNow: 2 });
    expect(weightsOf(continued.model)).toEqual(weightsOf(straight.model));

    const again = await run(5, 3, rising, { store, key });
    expect(again.trained).toEqual([]);
    expect(again.fit.epochsTrainedNow).toBe(0);
    expect(weightsOf(again.model)).toEqual(weightsOf(straight.model));
    // a smaller budget is answered from the same trajectory: epoch 3, as a 3-epoch run keeps
    const shorter = await run(3, 3, rising, { store, key });
    expect(shorter.trained).toEqual([]);
    expect(shorter.fit.keptEpoch).toBe(3);
    expect(weightsOf(shorter.model)).toEqual(weightsOf(first.model));

    for (const r of [straight, first, continued, again, shorter]) r.model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('keeps a best epoch stored by an earlier run when the continued run stops without beating it', async () => {
    // epoch 2 is best; with patience 2, epochs 3 and 4 end it
    const peaked = [0.125, 0.5, 0.25, 0.375, 0.875];
    const straight = await run(10, 2, peaked);
    expect(straight.fit).toMatchObject({
      keptEpoch: 2,
      stoppedEarly: true,
      scores: [0.125, 0.5, 0.25, 0.375],
    });
    const store = memoryStore();
    await run(3, 2, peaked, { store, key });
    const continued = await run(10, 2, peaked, { store, key });
    expect(continued.trained).toEqual([4]);
    expect(continued.fit).toEqual({ ...straight.fit, epochsTrainedNow: 1 });
    expect(weightsOf(continued.model)).toEqual(weightsOf(straight.model));
    straight.model.dispose();
    continued.model.dispose();
  });

  it('chooses on the users `score` reads, and answers another choice of users from the stored figures', async () => {
    // four validation users; users 0 and 1 choose the epoch, 2 and 3 do not
    // epoch:      1                      2                      3
    const byUser = [
      [0.25, 0.25, 0.75, 0.75],
      [0.5, 0.5, 0, 0],
      [0.375, 0.375, 1, 1],
    ];
    const meanOf = (users: number[]) => (perUser: Float32Array) =>
      users.reduce((sum, user) => sum + perUser[user], 0) / users.length;
    const straight = await run(3, 3, byUser, undefined, undefined, meanOf([0, 1]));
    // on users 0, 1: .25, .5, .375, so epoch 2; on all four (.5, .25, .6875) it would be epoch 3
    expect(straight.fit).toEqual({
      scores: [0.25, 0.5, 0.375],
      keptEpoch: 2,
      stoppedEarly: false,
      epochsTrainedNow: 3,
    });

    const store = memoryStore();
    const first = await run(3, 3, byUser, { store, key }, undefined, meanOf([0, 1]));
    expect(weightsOf(first.model)).toEqual(weightsOf(straight.model));
    // users 2, 3 (.75, 0, 1) from the same trajectory: no epoch is scored again, and epoch 1, the
    // best so far when the first run stored it, is loaded without training
    const otherEarly = await run(1, 3, byUser, { store, key }, undefined, meanOf([2, 3]));
    expect(otherEarly.trained).toEqual([]);
    expect(otherEarly.fit).toMatchObject({ scores: [0.75], keptEpoch: 1, epochsTrainedNow: 0 });
    // over 3 epochs they keep epoch 3, whose weights the first run did not store (not its best):
    // trained again from the start, to the same weights as a straight run on those users
    const messages: string[] = [];
    const other = await run(3, 3, byUser, { store, key }, (m) => messages.push(m), meanOf([2, 3]));
    expect(other.fit).toMatchObject({ scores: [0.75, 0, 1], keptEpoch: 3 });
    expect(other.trained).toEqual([1, 2, 3]);
    expect(messages.some((m) => m.includes(`${key}-e3 is unusable`))).toBe(true);
    const straightOther = await run(3, 3, byUser, undefined, undefined, meanOf([2, 3]));
    expect(weightsOf(other.model)).toEqual(weightsOf(straightOther.model));
    for (const r of [straight, first, otherEarly, other, straightOther]) r.model.dispose();
  });

  it('trains from the start over a trajectory stored with mean scores only (before per-user figures)', async () => {
    const store = memoryStore();
    await run(2, 3, rising, { store, key });
    const { config, arrays } = decodeSnapshot(store.entries.get(`${key}-checkpoint`)!);
    const { 'extra/validationPerUser': _figures, ...weights } = arrays;
    const { validationUsers: _users, ...rest } = config;
    // the older format: the same checkpoint with a list of means in its header instead
    const older = { ...rest, validationScores: [0.125, 0.25] };
    store.entries.set(`${key}-checkpoint`, encodeSnapshot({ name: 'mf', config: older, arrays: weights }));
    const messages: string[] = [];
    const again = await run(3, 3, rising, { store, key }, (m) => messages.push(m));
    expect(again.trained).toEqual([1, 2, 3]);
    expect(messages.some((m) => m.includes('holds only mean validation scores'))).toBe(true);
    // figures stored for one user, read by a run that scores two: refused, not misread
    const twoUsers = [
      [0.125, 0.25],
      [0.25, 0.5],
      [0.375, 0.75],
    ];
    const wider = await run(3, 3, twoUsers, { store, key }, (m) => messages.push(m));
    expect(wider.trained).toEqual([1, 2, 3]);
    expect(messages.some((m) => m.includes('do not match its 3 epochs and 2 validation users'))).toBe(true);
    wider.model.dispose();
    again.model.dispose();
  });

  it('trains as without a cache when the cache cannot be read, and when an entry is damaged', async () => {
    const straight = await run(3, 3, rising);
    const failing: ModelCacheStore = {
      get: () => Promise.reject(new Error('offline')),
      put: () => Promise.reject(new Error('offline')),
    };
    const messages: string[] = [];
    const offline = await run(3, 3, rising, { store: failing, key }, (m) => messages.push(m));
    expect(offline.fit.epochsTrainedNow).toBe(3);
    expect(weightsOf(offline.model)).toEqual(weightsOf(straight.model));
    expect(messages.some((m) => m.includes('unusable') && m.includes('offline'))).toBe(true);

    const store = memoryStore();
    await run(2, 3, rising, { store, key });
    store.entries.set(`${key}-checkpoint`, new Uint8Array(8) as Bytes);
    const afterDamage = await run(3, 3, rising, { store, key });
    expect(afterDamage.trained).toEqual([1, 2, 3]);
    expect(weightsOf(afterDamage.model)).toEqual(weightsOf(straight.model));
    for (const m of [straight.model, offline.model, afterDamage.model]) m.dispose();
  });
});
