import * as tf from '../../ml/tf';
import { beforeAll, describe, expect, it } from 'vitest';
import { fromSequences } from '../../ml/interactions';
import { GruRecommender, MfRecommender } from '../../ml/models';
import type { TrainingCheckpoint } from '../../ml/recommender';
import { createRng } from '../../ml/random';
import { holdOutLastItems, hitRateAndNdcg } from './heldOut';
import { HostGruScorer } from './hostGru';
import { priceBand } from './itemFeatures';
import { jobModel, trainResumably, type MfPlan } from './resumableTraining';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

// 60 players over 12 items in two taste groups, each walking its group in order
const rng = createRng(5);
const sequences = Array.from({ length: 60 }, (_, u) => {
  const base = u % 2 === 0 ? 0 : 6;
  const start = rng.nextInt(3);
  return [0, 1, 2, 3].map((s) => base + ((start + s) % 6));
});
const data = fromSequences(sequences, 12);
const features = {
  offsets: Uint32Array.from({ length: 13 }, (_, i) => i),
  ids: Int32Array.from({ length: 12 }, (_, i) => (i < 6 ? 0 : 1)),
  featureCount: 2,
};
const storeMfModel = (plan: MfPlan) => jobModel({ model: 'mf', plan, features, data });

describe('resumable store training', () => {
  it('resumes from an epoch checkpoint to the very model an uninterrupted run trains, without leaking tensors', async () => {
    const plan = { dim: 8, epochs: 3, batchSize: 64, learningRate: 0.05 };
    const before = tf.memory().numTensors;
    const checkpoints: TrainingCheckpoint[] = [];
    const abort = new AbortController();
    await expect(
      trainResumably(storeMfModel(plan), data, {
        signal: abort.signal,
        onCheckpoint: async (checkpoint) => {
          checkpoints.push(checkpoint);
          if (checkpoint.epochsDone === 2) abort.abort(new Error('tab closed'));
        },
      }),
    ).rejects.toThrow('tab closed');
    expect(checkpoints.map((c) => c.epochsDone)).toEqual([1, 2]);
    expect(checkpoints[1].optimizer?.step).toBe(2 * Math.ceil(data.items.length / 64));

    const epochsSeen: number[] = [];
    const snapshot = await trainResumably(storeMfModel(plan), data, {
      resumeFrom: checkpoints[1],
      onProgress: (progress) => void epochsSeen.push(progress.epoch),
    });
    expect(epochsSeen).toEqual([3]);
    expect(tf.memory().numTensors).toBe(before);
    expect(snapshot).toEqual(await trainResumably(storeMfModel(plan), data));
    // the registry's MF, with the catalogue's features as its feature embeddings
    expect(snapshot.config.featureCount).toBe(features.featureCount);
    expect(snapshot.arrays.itemFeatureIds).toEqual(features.ids);
    const mf = new MfRecommender();
    mf.load(snapshot);
    // a player of the first group gets first-group games on top
    const top = mf.recommend({ history: [0, 1] }, 3, { exclude: new Set([0, 1]) }).map((s) => s.item);
    expect(top.filter((item) => item < 6).length).toBeGreaterThanOrEqual(2);
  });

  it('trains a GRU whose plain-JS forward pass matches the tfjs one', async () => {
    const snapshot = await trainResumably(
      jobModel({
        model: 'gru',
        plan: { hidden: 8, maxLen: 4, epochs: 2, batchSize: 32, learningRate: 0.01, dropout: 0 },
        data,
      }),
      data,
    );
    const model = new GruRecommender();
    model.load(snapshot);
    const host = new HostGruScorer(snapshot);
    for (const history of [[0], [0, 1, 2], [7, 8, 9, 10, 11], []]) {
      const expected = model.scoreAll({ history });
      const actual = host.scoreAll({ history });
      expect(actual.length).toBe(12);
      actual.forEach((value, i) => expect(value).toBeCloseTo(expected[i], 4));
    }
    model.dispose();
  });

  it('resumes the profile encoder, heads and all, to the model an uninterrupted run trains', async () => {
    // the two taste groups are the two genres; bands alternate by item
    const targets = {
      genreCount: 2,
      priceBandCount: 2,
      itemGenreOffsets: Uint32Array.from({ length: 13 }, (_, i) => i),
      itemGenreIds: Int32Array.from({ length: 12 }, (_, i) => (i < 6 ? 0 : 1)),
      itemPriceBands: Int32Array.from({ length: 12 }, (_, i) => i % 2),
    };
    const plan = { hidden: 6, maxLen: 4, epochs: 2, batchSize: 64, learningRate: 0.02, dropout: 0 };
    const encoderModel = () => jobModel({ model: 'profileEncoder', plan, targets, data });
    const before = tf.memory().numTensors;
    const checkpoints: TrainingCheckpoint[] = [];
    const abort = new AbortController();
    await expect(
      trainResumably(encoderModel(), data, {
        signal: abort.signal,
        onCheckpoint: async (checkpoint) => {
          checkpoints.push(checkpoint);
          abort.abort(new Error('tab closed'));
        },
      }),
    ).rejects.toThrow('tab closed');
    expect(Object.keys(checkpoints[0].params)).toEqual(
      expect.arrayContaining(['genreWeights', 'genreBias', 'priceBandWeights', 'priceBandBias']),
    );
    const resumed = await trainResumably(encoderModel(), data, { resumeFrom: checkpoints[0] });
    expect(resumed).toEqual(await trainResumably(encoderModel(), data));
    expect(resumed.name).toBe('profileEncoder');
    expect(resumed.config.genreCount).toBe(2);
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('held-out split', () => {
  it('removes each sampled player’s last game from training and keeps it as the target', () => {
    const split = holdOutLastItems(data, 10, 1);
    expect(split.players).toHaveLength(10);
    expect(split.train.items.length).toBe(data.items.length - 10);
    for (const player of split.players) {
      expect(player.history).toEqual(sequences[player.user].slice(0, -1));
      expect(player.target).toBe(sequences[player.user][3]);
    }
    const sampled = holdOutLastItems(data, 0, 1, { maxUsers: 20 });
    expect(sampled.train.userCount).toBe(20);
  });

  it('measures HR@10 and NDCG@10 with the history masked', () => {
    const player = { user: 0, history: [0], weights: [1], target: 2 };
    // item 0 outranks the target but is history; item 1 outranks it: rank 2
    const result = hitRateAndNdcg([player], () => Float32Array.from([9, 5, 4, 0]), 10);
    expect(result.hitRate).toBe(1);
    expect(result.ndcg).toBeCloseTo(1 / Math.log2(3));
    expect(hitRateAndNdcg([player], () => Float32Array.from([9, 5, 4, 0]), 1).hitRate).toBe(0);
  });

  it('puts prices into bands, unknown prices in their own', () => {
    expect([NaN, 0, 4.99, 9.99, 15, 39.99, 60].map(priceBand)).toEqual([0, 1, 2, 3, 4, 5, 6]);
  });
});
