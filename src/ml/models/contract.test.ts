// One contract every Recommender must meet, run over every model (baselines included) on a
// synthetic shop whose right answers are known:
//  - cluster A (items 0-5) and cluster B (items 6-11); each shopper stays in one cluster;
//  - inside a cluster shoppers walk a cycle (0→1→…→5→0…), so the next item is determined;
//    each walk is shorter than the cycle, so every shopper leaves some same-cluster items
//    unseen (otherwise sampled negatives could never come from the shopper's own cluster);
//  - four extra shoppers touched only item 0, which makes item 0 the single most popular.
import * as tf from '../tf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { leaveOneOutSplit } from '../eval';
import { fromSequences, type InteractionMatrix } from '../interactions';
import type { Recommender, TrainProgress } from '../recommender';
import { createRecommender, modelNames, registry, type ModelContext, type ModelName } from '../registry';

const clusterSize = 6;
const walkLength = 4;
const itemCount = 2 * clusterSize;
const clusterB = new Set([6, 7, 8, 9, 10, 11]);

function cyclicShop(): InteractionMatrix {
  const sequences: number[][] = [];
  for (let user = 0; user < 40; user++) {
    const clusterStart = user < 20 ? 0 : clusterSize;
    const offset = user % clusterSize;
    sequences.push(
      Array.from({ length: walkLength }, (_, step) => clusterStart + ((offset + step) % clusterSize)),
    );
  }
  for (let extra = 0; extra < 4; extra++) sequences.push([0]);
  return fromSequences(sequences, itemCount);
}

/** What a correct model of this kind must get right on the cyclic shop. */
type Expectation = 'mostPopular' | 'sameCluster' | 'nextInCycle';

interface ContractEntry {
  label: string;
  /** the registry's name: every model is built as the page, the lab and the store build it */
  model: ModelName;
  /** small settings, so the suite stays fast */
  config: Record<string, unknown>;
  context?: ModelContext;
  expectation: Expectation;
}

// Item features for MF: the cluster each item belongs to.
const itemFeatures = {
  offsets: Uint32Array.from({ length: itemCount + 1 }, (_, i) => i),
  ids: Int32Array.from({ length: itemCount }, (_, item) => (item < clusterSize ? 0 : 1)),
  featureCount: 2,
};

const entries: ContractEntry[] = [
  { label: 'popularity', model: 'popularity', config: {}, expectation: 'mostPopular' },
  { label: 'itemknn', model: 'itemknn', config: {}, expectation: 'sameCluster' },
  { label: 'ease', model: 'ease', config: { l2: 10 }, expectation: 'sameCluster' },
  {
    label: 'mf (bpr, item features)',
    model: 'mf',
    config: { dim: 8, epochs: 25, batchSize: 128, learningRate: 0.05, useAttributes: true },
    context: { itemFeatures },
    expectation: 'sameCluster',
  },
  {
    label: 'mf (sampled softmax)',
    model: 'mf',
    config: {
      dim: 8,
      epochs: 25,
      batchSize: 128,
      learningRate: 0.05,
      loss: 'sampledSoftmax',
      sampledNegatives: 6,
    },
    expectation: 'sameCluster',
  },
  {
    label: 'sasrec (bce)',
    model: 'sasrec',
    config: {
      maxLen: 6,
      hidden: 16,
      heads: 2,
      epochs: 20,
      batchSize: 40,
      learningRate: 0.01,
      dropout: 0.1,
    },
    expectation: 'nextInCycle',
  },
  {
    label: 'sasrec (softmax)',
    model: 'sasrec',
    config: {
      maxLen: 6,
      hidden: 16,
      blocks: 1,
      epochs: 15,
      batchSize: 40,
      learningRate: 0.01,
      loss: 'softmax',
    },
    expectation: 'nextInCycle',
  },
  {
    label: 'sasrec (sampled softmax)',
    model: 'sasrec',
    config: {
      maxLen: 6,
      hidden: 16,
      blocks: 1,
      epochs: 15,
      batchSize: 40,
      learningRate: 0.01,
      loss: 'sampledSoftmax',
      sampledNegatives: 6,
    },
    expectation: 'nextInCycle',
  },
  {
    label: 'gru (bce)',
    model: 'gru',
    config: { maxLen: 6, hidden: 16, epochs: 25, batchSize: 40, learningRate: 0.02, dropout: 0 },
    expectation: 'nextInCycle',
  },
  {
    label: 'gru (softmax)',
    model: 'gru',
    config: { maxLen: 6, hidden: 16, epochs: 20, batchSize: 40, learningRate: 0.02, loss: 'softmax' },
    expectation: 'nextInCycle',
  },
  {
    label: 'profileEncoder (softmax, cluster as genre, item parity as price band)',
    model: 'profileEncoder',
    // the heads share the GRU's hidden state, so learning the cycle takes more epochs than the
    // GRU's 20 (with 25, seeds 1 and 42 miss the wrap 11 → 6; with 50, seeds 1, 2 and 42 pass)
    config: {
      maxLen: 6,
      hidden: 16,
      epochs: 50,
      batchSize: 40,
      learningRate: 0.02,
      loss: 'softmax',
      dropout: 0,
    },
    context: {
      profileTargets: {
        genreCount: 2,
        itemGenreOffsets: itemFeatures.offsets,
        itemGenreIds: itemFeatures.ids,
        priceBandCount: 2,
        itemPriceBands: Int32Array.from({ length: itemCount }, (_, item) => item % 2),
      },
    },
    expectation: 'nextInCycle',
  },
  {
    label: 'imported (item vectors: one axis per cluster, a little apart inside it)',
    model: 'imported',
    config: {},
    context: {
      importedItemVectors: {
        rank: 2,
        vectors: Float32Array.from({ length: itemCount * 2 }, (_, at) => {
          const item = Math.floor(at / 2);
          const onClusterAxis = at % 2 === (item < clusterSize ? 0 : 1);
          return onClusterAxis ? 1 : 0.05 * (item % clusterSize);
        }),
      },
    },
    expectation: 'sameCluster',
  },
  {
    label: 'hybrid (itemknn, popularity)',
    model: 'hybrid',
    config: { components: 'itemknn,popularity', candidates: 6, randomNegatives: 4 },
    expectation: 'sameCluster',
  },
];

describe('the contract suite', () => {
  it('covers every model of the registry', () => {
    expect(new Set(entries.map((entry) => entry.model))).toEqual(new Set(modelNames));
  });
});

const data = cyclicShop();
const inClusterB = { history: [7, 8] };

/** A model with a validation fit (the hybrid's blend) takes it once fit is done, as the lab does. */
async function fitted(model: Recommender, options: { onProgress?: (p: TrainProgress) => void } = {}) {
  await model.fit(data, options);
  await model.fitOnValidation?.(leaveOneOutSplit(data).test);
}

describe.each(entries)('Recommender contract: $label', ({ model: name, config, context, expectation }) => {
  const create = () => createRecommender(name, config, context);
  const { iterative } = registry[name];
  let model: Recommender;
  let tensorsBefore: number;
  const progress: TrainProgress[] = [];

  beforeAll(async () => {
    tensorsBefore = tf.memory().numTensors;
    model = create();
    await fitted(model, { onProgress: (p) => progress.push(p) });
  }, 60_000); // training, on a machine that may be busy

  afterAll(() => model.dispose());

  it('has a validation fit exactly when it is made of other models', () => {
    expect(typeof model.fitOnValidation === 'function').toBe(registry[name].composite);
  });

  it('scores every item with a finite number', () => {
    const scores = model.scoreAll(inClusterB);
    expect(scores).toBeInstanceOf(Float32Array);
    expect(scores.length).toBe(itemCount);
    expect(scores.every(Number.isFinite)).toBe(true);
  });

  it('gets the known answer of the cyclic shop', () => {
    const exclude = new Set(inClusterB.history);
    if (expectation === 'mostPopular') {
      expect(model.recommend({ history: [] }, 1)[0].item).toBe(0);
    } else if (expectation === 'sameCluster') {
      const picks = model.recommend(inClusterB, 3, { exclude }).map((r) => r.item);
      expect(picks.every((item) => clusterB.has(item))).toBe(true);
      const similar = model.similarItems(7, 3).map((r) => r.item);
      expect(similar.every((item) => clusterB.has(item))).toBe(true);
    } else {
      expect(model.recommend(inClusterB, 1, { exclude })[0].item).toBe(9);
      // the cycle wraps; like the store, ask for items the shopper has not seen yet
      expect(model.recommend({ history: [3, 4, 5] }, 1, { exclude: new Set([3, 4, 5]) })[0].item).toBe(0);
      expect(model.recommend({ history: [11] }, 1, { exclude: new Set([11]) })[0].item).toBe(6);
    }
  });

  it('never recommends filtered items and honours k', () => {
    const exclude = new Set([0, 6, 9]);
    const picks = model.recommend(inClusterB, 4, { exclude, allow: (item) => item !== 10 });
    expect(picks).toHaveLength(4);
    expect(picks.some((r) => exclude.has(r.item) || r.item === 10)).toBe(false);
    for (let i = 1; i < picks.length; i++) expect(picks[i - 1].score).toBeGreaterThanOrEqual(picks[i].score);
    expect(model.similarItems(3, 20).map((r) => r.item)).not.toContain(3);
  });

  it('gives identical scores after save and load into a fresh instance', () => {
    const snapshot = model.save();
    const restored = create();
    restored.load(snapshot);
    for (const state of [inClusterB, { history: [0, 1, 2] }, { history: [] }]) {
      expect(Array.from(restored.scoreAll(state))).toEqual(Array.from(model.scoreAll(state)));
    }
    expect(restored.similarItems(2, 3)).toEqual(model.similarItems(2, 3));
    restored.dispose();
  });

  it('frees every tensor on dispose', () => {
    const extra = create();
    extra.load(model.save());
    extra.dispose();
    const copy = create();
    copy.load(model.save());
    model.dispose();
    copy.dispose();
    expect(tf.memory().numTensors).toBe(tensorsBefore);
    // keep `model` usable for the remaining tests
    model = create();
    model.load(snapshotHolder.last!);
  });

  // save() before the dispose test above, so the model can be restored afterwards
  const snapshotHolder: { last?: ReturnType<Recommender['save']> } = {};
  beforeAll(() => {
    snapshotHolder.last = model.save();
  });

  it.runIf(iterative)('lowers its training loss', () => {
    expect(progress.length).toBeGreaterThan(1);
    expect(progress.at(-1)!.loss).toBeLessThan(progress[0].loss * 0.8);
    expect(progress.at(-1)!.etaSec).toBe(0);
    expect(progress.every((p) => p.interactionsPerSec > 0)).toBe(true);
  });

  it.runIf(iterative)('stops training when its AbortSignal fires, leaking no tensors', async () => {
    const before = tf.memory().numTensors;
    const controller = new AbortController();
    const epochsSeen: number[] = [];
    const victim = create();
    await expect(
      victim.fit(data, {
        signal: controller.signal,
        onProgress: (p) => {
          epochsSeen.push(p.epoch);
          controller.abort();
        },
      }),
    ).rejects.toMatchObject({ name: 'AbortError' });
    expect(epochsSeen).toEqual([1]);
    victim.dispose();
    expect(tf.memory().numTensors).toBe(before);

    const alreadyAborted = AbortSignal.abort();
    await expect(create().fit(data, { signal: alreadyAborted })).rejects.toMatchObject({
      name: 'AbortError',
    });
    expect(tf.memory().numTensors).toBe(before);
  });
});
