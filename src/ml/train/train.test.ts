import * as tf from '../tf';
import { describe, expect, it } from 'vitest';
import { fromSequences } from '../interactions';
import type { TrainProgress } from '../recommender';
import { Adam } from './adam';
import { runEpochLoop } from './loop';
import { ParamStore } from './params';
import { createRng } from '../random';
import { RowIndexer } from './rows';
import {
  createPositiveLookup,
  historyTokens,
  interactionOwners,
  sampleNegative,
  samplePairBatch,
  planSequenceBatches,
  sampleSequenceBatch,
  trimmedColumns,
  sequenceTrainableUsers,
} from './sampling';
import { sparseTrainStep } from './step';

describe('RowIndexer', () => {
  it('maps global rows to unique local positions in first-seen order', () => {
    const indexer = new RowIndexer();
    expect(Array.from(indexer.map([7, 3, 7, 9]))).toEqual([0, 1, 0, 2]);
    expect(Array.from(indexer.map([9, 1]))).toEqual([2, 3]);
    expect(Array.from(indexer.rows())).toEqual([7, 3, 9, 1]);
  });
});

describe('sampling', () => {
  const matrix = fromSequences([[0, 1, 2], [3], [4, 0, 1, 2, 3]], 6);

  it('knows each user positives', () => {
    const isPositive = createPositiveLookup(matrix);
    expect(isPositive(0, 2)).toBe(true);
    expect(isPositive(0, 3)).toBe(false);
    expect(isPositive(1, 3)).toBe(true);
    expect(isPositive(2, 5)).toBe(false);
  });

  it('samples negatives outside the user history', () => {
    const isPositive = createPositiveLookup(matrix);
    const rng = createRng(5);
    for (let i = 0; i < 200; i++) expect([3, 4, 5]).toContain(sampleNegative(rng, 6, 0, isPositive));
  });

  it('builds pair batches aligned with the interactions', () => {
    const owners = interactionOwners(matrix);
    expect(Array.from(owners)).toEqual([0, 0, 0, 1, 2, 2, 2, 2, 2]);
    const order = Uint32Array.from([8, 3, 0]);
    const batch = samplePairBatch(matrix, owners, order, 0, 10, createRng(1), createPositiveLookup(matrix));
    expect(Array.from(batch.users)).toEqual([2, 1, 0]);
    expect(Array.from(batch.positives)).toEqual([3, 3, 0]);
    expect(batch.negatives[0]).toBe(5); // user 2 owns everything else
    expect(Array.from(batch.weights)).toEqual([1, 1, 1]);
  });

  it('builds left-padded next-item windows', () => {
    expect(Array.from(sequenceTrainableUsers(matrix))).toEqual([0, 2]);
    const batch = sampleSequenceBatch(matrix, [0], 4, createRng(2), createPositiveLookup(matrix));
    // user 0: 0 -> 1 -> 2 gives inputs [_, _, 0, 1] and targets [_, _, 1, 2] (tokens are id + 1)
    expect(Array.from(batch.inputs)).toEqual([0, 0, 1, 2]);
    expect(Array.from(batch.targets)).toEqual([0, 0, 2, 3]);
    expect(Array.from(batch.targetWeights)).toEqual([0, 0, 1, 1]);
    expect(batch.negatives[0]).toBe(0);
    expect(batch.negatives[2]).toBeGreaterThanOrEqual(4);
  });

  it('crops long histories to a contiguous window of maxLen steps', () => {
    const batch = sampleSequenceBatch(matrix, [2], 2, createRng(9), createPositiveLookup(matrix));
    const inputs = Array.from(batch.inputs).map((token) => token - 1);
    const targets = Array.from(batch.targets).map((token) => token - 1);
    const row = [4, 0, 1, 2, 3];
    const start = row.indexOf(inputs[0]);
    expect(inputs).toEqual(row.slice(start, start + 2));
    expect(targets).toEqual(row.slice(start + 1, start + 3));
  });

  it('trims columns that are padding in every row, keeping the latest item in the last column', () => {
    const lookup = createPositiveLookup(matrix);
    // user 0 has 3 items (2 steps); rounded up to 8 columns, not the asked 50
    const trimmed = sampleSequenceBatch(matrix, [0], 50, createRng(2), lookup, { trimPadding: true });
    const full = sampleSequenceBatch(matrix, [0], 50, createRng(2), lookup);
    expect(trimmed.columns).toBe(8);
    expect(full.columns).toBe(50);
    expect(Array.from(trimmed.inputs)).toEqual(Array.from(full.inputs.subarray(42)));
    expect(Array.from(trimmed.targets)).toEqual(Array.from(full.targets.subarray(42)));
    expect(Array.from(trimmed.negatives)).toEqual(Array.from(full.negatives.subarray(42)));
    expect(trimmedColumns(9, 50)).toBe(16);
    expect(trimmedColumns(49, 50)).toBe(50);
    expect(trimmedColumns(0, 50)).toBe(8);
  });

  it('plans an epoch of batches that holds every user once, grouped by window length', () => {
    const users = Int32Array.from({ length: 1000 }, (_, i) => i);
    const stepsOf = (user: number) => (user * 7919) % 50; // lengths spread over 0..49
    const plan = planSequenceBatches(users, stepsOf, 10, createRng(3), true);
    expect(plan).toHaveLength(100);
    expect(
      plan
        .flatMap((batch) => Array.from(batch))
        .sort((a, b) => a - b)
        .join(),
    ).toBe(Array.from(users).join());
    // within a batch the lengths are close: spread far below the 0..49 range of a random batch
    const spreads = plan.map((batch) => {
      const lengths = Array.from(batch, stepsOf);
      return Math.max(...lengths) - Math.min(...lengths);
    });
    // (the last, smaller pool of 40 users spreads wider than the full pools of 320)
    expect(spreads.reduce((a, b) => a + b) / spreads.length).toBeLessThan(4);
    const random = planSequenceBatches(users, stepsOf, 10, createRng(3), false);
    const randomSpread = random.map(
      (batch) => Math.max(...Array.from(batch, stepsOf)) - Math.min(...Array.from(batch, stepsOf)),
    );
    expect(randomSpread.reduce((a, b) => a + b) / random.length).toBeGreaterThan(30);
    // the batch order is shuffled: the pools' sorted runs do not come out in order
    const firstLengths = plan.slice(0, 10).map((batch) => stepsOf(batch[0]));
    expect([...firstLengths].sort((a, b) => a - b)).not.toEqual(firstLengths);
  });

  it('turns a history into the last maxLen tokens', () => {
    expect(Array.from(historyTokens([5, 1, 2, 99], 3, 6))).toEqual([6, 2, 3]);
    expect(Array.from(historyTokens([1], 3, 6))).toEqual([0, 0, 2]);
  });
});

describe('Adam', () => {
  const specs = {
    table: { shape: [5, 3], init: 'normal' as const, std: 1, sparse: true },
    dense: { shape: [3], init: 'normal' as const, std: 1 },
  };
  // loss = sum over the batch rows of (row . dense)^2, touching rows 1 and 3 only
  const batchRows = Int32Array.from([3, 1]);
  const lossOf = (table: tf.Tensor, dense: tf.Tensor): tf.Scalar =>
    tf.sum(tf.square(tf.sum(tf.mul(table, dense), 1)));

  it('matches tf.train.adam on touched rows and leaves untouched rows alone', () => {
    const ours = ParamStore.initialise(specs, createRng(11));
    const reference = ParamStore.initialise(specs, createRng(11));
    const optimizer = new Adam({ learningRate: 0.05 });
    const tfAdam = tf.train.adam(0.05, 0.9, 0.999, 1e-8);
    const before = ours.toArrays();
    for (let step = 0; step < 3; step++) {
      // Dense Adam only equals lazy Adam while untouched rows have zero moments, which holds
      // here because the same rows are touched at every step.
      tf.dispose(sparseTrainStep(ours, optimizer, { table: batchRows }, (p) => lossOf(p.table, p.dense)));
      tfAdam.minimize(
        () => lossOf(tf.gather(reference.variables.table, Array.from(batchRows)), reference.variables.dense),
        false,
        [reference.variables.table, reference.variables.dense],
      );
    }
    const got = ours.toArrays();
    const want = reference.toArrays();
    for (let i = 0; i < 15; i++) expect(got.table[i]).toBeCloseTo(want.table[i], 5);
    for (let i = 0; i < 3; i++) expect(got.dense[i]).toBeCloseTo(want.dense[i], 5);
    // rows 0, 2, 4 untouched; rows 1 and 3 moved
    for (const row of [0, 2, 4]) {
      expect(got.table.slice(row * 3, row * 3 + 3)).toEqual(before.table.slice(row * 3, row * 3 + 3));
    }
    expect(got.table.slice(3, 6)).not.toEqual(before.table.slice(3, 6));
    tfAdam.dispose();
    optimizer.dispose();
    ours.dispose();
    reference.dispose();
  });

  it('keeps the tensor count steady across steps and frees its moments on dispose', () => {
    const start = tf.memory().numTensors;
    const store = ParamStore.initialise(specs, createRng(2));
    const optimizer = new Adam();
    tf.dispose(sparseTrainStep(store, optimizer, { table: batchRows }, (p) => lossOf(p.table, p.dense)));
    const afterFirst = tf.memory().numTensors;
    tf.dispose(sparseTrainStep(store, optimizer, { table: batchRows }, (p) => lossOf(p.table, p.dense)));
    expect(tf.memory().numTensors).toBe(afterFirst);
    optimizer.dispose();
    store.dispose();
    expect(tf.memory().numTensors).toBe(start);
  });
});

describe('runEpochLoop', () => {
  it('reports one progress per epoch with mean loss, speed and ETA', async () => {
    const progress: TrainProgress[] = [];
    const losses = await runEpochLoop(
      { epochs: 3, stepsPerEpoch: 5, interactionsPerEpoch: 100, yieldEvery: 2 },
      (epoch, stepIndex) => tf.scalar(epoch * 10 + stepIndex),
      { onProgress: (p) => progress.push(p) },
    );
    expect(losses).toEqual([12, 22, 32]);
    expect(progress.map((p) => p.epoch)).toEqual([1, 2, 3]);
    expect(progress.every((p) => p.epochs === 3 && p.interactionsPerSec > 0)).toBe(true);
    expect(progress[2].etaSec).toBe(0);
    expect(progress[0].etaSec).toBeGreaterThanOrEqual(0);
  });

  it('stops between steps once aborted, without leaking loss tensors', async () => {
    const start = tf.memory().numTensors;
    const controller = new AbortController();
    let steps = 0;
    const run = runEpochLoop(
      { epochs: 5, stepsPerEpoch: 10, interactionsPerEpoch: 10, yieldEvery: 3 },
      () => {
        steps++;
        if (steps === 4) controller.abort();
        return tf.scalar(1);
      },
      { signal: controller.signal },
    );
    await expect(run).rejects.toMatchObject({ name: 'AbortError' });
    expect(steps).toBe(4);
    expect(tf.memory().numTensors).toBe(start);
  });

  it('yields to the event loop while training', async () => {
    let timerRan = false;
    setTimeout(() => (timerRan = true), 0);
    let sawTimerDuringTraining = false;
    await runEpochLoop(
      { epochs: 1, stepsPerEpoch: 8, interactionsPerEpoch: 8, yieldEvery: 2 },
      (_e, stepIndex) => {
        if (stepIndex === 7) sawTimerDuringTraining = timerRan;
        return tf.scalar(0);
      },
    );
    expect(sawTimerDuringTraining).toBe(true);
  });
});
