// TrainOptions.onEpochEnd: called after every epoch with a model that can already score, and a
// 'stop' ends training there with that epoch's weights kept.
import * as tf from '../tf';
import { describe, expect, it } from 'vitest';
import { fromSequences } from '../interactions';
import { createRecommender, type IterativeModelName } from '../registry';
import type { EpochDecision, ModelSnapshot } from '../recommender';

const data = fromSequences(
  Array.from({ length: 24 }, (_, user) => Array.from({ length: 5 }, (_, step) => (user + step) % 12)),
  12,
);

const tinyConfigs: Record<IterativeModelName, Record<string, unknown>> = {
  mf: { epochs: 5, dim: 4, batchSize: 32, seed: 3 },
  sasrec: { epochs: 5, hidden: 4, blocks: 1, maxLen: 4, batchSize: 8, dropout: 0, seed: 3 },
  gru: { epochs: 5, hidden: 4, maxLen: 4, batchSize: 8, dropout: 0, seed: 3 },
  profileEncoder: { epochs: 5, hidden: 4, maxLen: 4, batchSize: 8, dropout: 0, seed: 3 },
};

describe('onEpochEnd', () => {
  for (const name of ['mf', 'sasrec', 'gru', 'profileEncoder'] as const) {
    it(`${name}: is called each epoch with a scorable model, and 'stop' keeps that epoch's weights`, async () => {
      const tensorsBefore = tf.memory().numTensors;
      const model = createRecommender(name, tinyConfigs[name]);
      const progressEpochs: number[] = [];
      const hookEpochs: number[] = [];
      let atStop: ModelSnapshot | undefined;
      await model.fit(data, {
        onProgress: (p) => progressEpochs.push(p.epoch),
        onEpochEnd: (epoch, trained) => {
          hookEpochs.push(epoch);
          const scores = trained.scoreAll({ history: [0, 1, 2] });
          expect(scores).toHaveLength(12);
          expect(new Set(scores).size).toBeGreaterThan(1);
          if (epoch < 2) return 'continue';
          atStop = trained.save();
          return 'stop';
        },
      });
      expect(progressEpochs).toEqual([1, 2]);
      expect(hookEpochs).toEqual([1, 2]);
      expect(model.save().arrays).toEqual(atStop!.arrays);
      model.dispose();
      expect(tf.memory().numTensors).toBe(tensorsBefore);
    });
  }

  it('an async hook is awaited before the next epoch starts', async () => {
    const model = createRecommender('mf', { ...tinyConfigs.mf, epochs: 3 });
    const events: string[] = [];
    await model.fit(data, {
      onProgress: (p) => events.push(`progress ${p.epoch}`),
      onEpochEnd: async (epoch): Promise<EpochDecision> => {
        await new Promise((resolve) => setTimeout(resolve, 5));
        events.push(`hook ${epoch} done`);
        return 'continue';
      },
    });
    expect(events).toEqual([
      'progress 1',
      'hook 1 done',
      'progress 2',
      'hook 2 done',
      'progress 3',
      'hook 3 done',
    ]);
    model.dispose();
  });
});
