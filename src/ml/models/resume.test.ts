// A fit that stops after an epoch and a new model that resumes from its checkpoint end with the
// same weights, to the last bit, as one uninterrupted fit: parameters, Adam's state and each
// epoch's batches (and dropout masks) all carry over.
import * as tf from '../tf';
import { beforeAll, describe, expect, it } from 'vitest';
import { fromSequences } from '../interactions';
import type { Recommender, TrainingCheckpoint } from '../recommender';
import { createRecommender, type IterativeModelName } from '../registry';
import { checkpointOfInterruptedFit } from '../testSupport/interruptedFit';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

// 24 users walking a 12-item catalogue, of different lengths so batches differ in width
const data = fromSequences(
  Array.from({ length: 24 }, (_, user) =>
    Array.from({ length: 3 + (user % 4) }, (_, step) => (user * 5 + step * (1 + (user % 3))) % 12),
  ),
  12,
);

const tinyConfigs: Record<IterativeModelName, Record<string, unknown>> = {
  mf: {
    epochs: 4,
    dim: 4,
    batchSize: 16,
    learningRate: 0.05,
    seed: 3,
    // item features (below): their embedding table is a sparse parameter too
    useAttributes: true,
  },
  gru: { epochs: 4, hidden: 4, maxLen: 4, batchSize: 8, learningRate: 0.02, dropout: 0.3, seed: 3 },
  // its genre and price-band heads (targets below) are dense parameters with Adam state too
  profileEncoder: {
    epochs: 4,
    hidden: 4,
    maxLen: 4,
    batchSize: 8,
    learningRate: 0.02,
    dropout: 0.3,
    seed: 3,
  },
  sasrec: {
    epochs: 4,
    hidden: 4,
    blocks: 1,
    maxLen: 4,
    batchSize: 8,
    learningRate: 0.02,
    dropout: 0.3,
    seed: 3,
  },
};

const itemFeatures = {
  offsets: Uint32Array.from({ length: 13 }, (_, i) => i),
  ids: Int32Array.from({ length: 12 }, (_, i) => i % 3),
  featureCount: 3,
};

const profileTargets = {
  genreCount: 3,
  itemGenreOffsets: itemFeatures.offsets,
  itemGenreIds: itemFeatures.ids,
  priceBandCount: 2,
  itemPriceBands: Int32Array.from({ length: 12 }, (_, i) => (i === 11 ? -1 : i % 2)),
};

const createModel = (name: IterativeModelName, config: Record<string, unknown>): Recommender =>
  createRecommender(name, config, { itemFeatures, profileTargets });

const probe = { history: [0, 1, 2] };

/** The first two epochs of a 4-epoch fit, cut off like a closed tab: the checkpoint after epoch 2. */
async function interruptedAfterTwo(name: IterativeModelName): Promise<TrainingCheckpoint> {
  return checkpointOfInterruptedFit(createModel(name, tinyConfigs[name]), data, 2);
}

async function fitted(name: IterativeModelName, config: Record<string, unknown> = {}): Promise<Recommender> {
  const model = createModel(name, { ...tinyConfigs[name], ...config });
  await model.fit(data);
  return model;
}

describe('resuming a fit from a checkpoint', () => {
  for (const name of ['mf', 'gru', 'profileEncoder', 'sasrec'] as const) {
    it(`${name}: 2 epochs, checkpoint, 2 resumed epochs == 4 uninterrupted epochs, without leaking tensors`, async () => {
      const before = tf.memory().numTensors;
      const uninterrupted = await fitted(name);
      const checkpoint = await interruptedAfterTwo(name);
      expect(checkpoint.epochsDone).toBe(2);
      expect(checkpoint.optimizer?.step).toBeGreaterThan(0);
      expect(Object.keys(checkpoint.optimizer!.moments)).toContain(
        name === 'mf' ? 'userEmbedding' : 'itemEmbedding',
      );

      const resumed = createModel(name, tinyConfigs[name]);
      const epochs: number[] = [];
      await resumed.fit(data, { resumeFrom: checkpoint, onProgress: (p) => epochs.push(p.epoch) });
      expect(epochs).toEqual([3, 4]);
      expect(resumed.save()).toEqual(uninterrupted.save());
      expect(resumed.scoreAll(probe)).toEqual(uninterrupted.scoreAll(probe));

      // without the optimizer's state (an older checkpoint) it still resumes, just not identically
      const withoutOptimizer = createModel(name, tinyConfigs[name]);
      await withoutOptimizer.fit(data, { resumeFrom: { ...checkpoint, optimizer: undefined } });
      const scores = withoutOptimizer.scoreAll(probe);
      expect(scores.every(Number.isFinite)).toBe(true);
      expect(scores).not.toEqual(uninterrupted.scoreAll(probe));

      for (const model of [uninterrupted, resumed, withoutOptimizer]) model.dispose();
      expect(tf.memory().numTensors).toBe(before);
    });
  }

  it('mf: a finished 2-epoch fit can be trained on to 4 epochs from its last checkpoint', async () => {
    let last: TrainingCheckpoint | undefined;
    const short = createModel('mf', { ...tinyConfigs.mf, epochs: 2 });
    await short.fit(data, { onCheckpoint: (checkpoint) => void (last = checkpoint) });
    expect(last?.epochsDone).toBe(2);
    // the last checkpoint holds exactly the weights the fit ended with
    const fromLast = createModel('mf', { ...tinyConfigs.mf, epochs: 2 });
    await fromLast.fit(data, { resumeFrom: last });
    expect(fromLast.save()).toEqual(short.save());

    const longer = createModel('mf', tinyConfigs.mf);
    await longer.fit(data, { resumeFrom: last });
    const uninterrupted = await fitted('mf');
    expect(longer.save()).toEqual(uninterrupted.save());
    for (const model of [short, fromLast, longer, uninterrupted]) model.dispose();
  });

  it('reports progress, then the checkpoint, then onEpochEnd; the checkpoint is the caller’s to keep', async () => {
    const model = createModel('gru', { ...tinyConfigs.gru, epochs: 2 });
    const events: string[] = [];
    const checkpoints: TrainingCheckpoint[] = [];
    await model.fit(data, {
      onProgress: (p) => events.push(`progress ${p.epoch}`),
      onCheckpoint: async (checkpoint) => {
        await new Promise((resolve) => setTimeout(resolve, 2));
        events.push(`checkpoint ${checkpoint.epochsDone}`);
        checkpoints.push(checkpoint);
      },
      onEpochEnd: (epoch) => {
        events.push(`end ${epoch}`);
        return 'continue';
      },
    });
    expect(events).toEqual(['progress 1', 'checkpoint 1', 'end 1', 'progress 2', 'checkpoint 2', 'end 2']);
    const saved = model.save();
    expect(checkpoints[1].params).toEqual(saved.arrays);
    checkpoints[1].params.itemEmbedding.fill(0);
    expect(model.save()).toEqual(saved);
    model.dispose();

    // the same with onCheckpoint alone (the store's way): the model does not share its arrays
    const alone = createModel('mf', { ...tinyConfigs.mf, epochs: 1 });
    let last: TrainingCheckpoint | undefined;
    await alone.fit(data, { onCheckpoint: (checkpoint) => void (last = checkpoint) });
    const aloneSaved = alone.save();
    last!.params.itemEmbedding.fill(0);
    last!.params.itemBias.fill(0);
    expect(alone.save()).toEqual(aloneSaved);
    alone.dispose();
  });
});
