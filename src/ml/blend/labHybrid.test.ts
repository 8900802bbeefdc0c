import { describe, expect, it } from 'vitest';
import { ItemKnnRecommender } from '../baselines/itemKnn';
import { evaluatedUsers, evaluateRecommender, leaveOneOutSplit, mean, type EvalFold } from '../eval';
import { fromSequences, userRow } from '../interactions';
import type { Recommender, ShopperState } from '../recommender';
import { createRng } from '../random';
import { modelCacheKey, type Bytes, type ModelCacheStore } from '../modelCache';
import { createRecommender, resolveModelConfig } from '../registry';
import { LabHybrid } from './labHybrid';
import { foldForUsers, splitEpochAndBlendUsers } from './userSplit';

const ITEMS = 40;
/** The blend's settings most tests share: a pool of 10, half the validation users each to fit and judge. */
const blendSettings = {
  candidates: 10,
  blendUsers: 1000,
  blendMaxPercent: 50,
  poolNegatives: 10,
  randomNegatives: 10,
  seed: 1,
};

/** 300 users each walk a chain s, s+1, s+2, … (mod 40) for 8 steps: the next item follows the last. */
function chains() {
  const rng = createRng(3);
  const sequences = Array.from({ length: 300 }, () => {
    const start = rng.nextInt(ITEMS);
    return Array.from({ length: 8 }, (_, i) => (start + i) % ITEMS);
  });
  return fromSequences(sequences, ITEMS);
}

/** A component that knows nothing: seeded random scores, different for every history. */
function noise(): Recommender {
  const scoreAll = (state: ShopperState) => {
    const rng = createRng(state.history.reduce((h, item) => h * 31 + item + 1, 7) >>> 0);
    return Float32Array.from({ length: ITEMS }, () => rng.next());
  };
  return scripted(scoreAll);
}

/**
 * A component that knows the chain's next item after a last item it accepts (2 there, noise below
 * 1 elsewhere) and has no opinion otherwise (every item 0: all tied, so alone it ranks the target
 * last, and min-max scaling turns it into 0 for the blend).
 */
function halfOracle(accepts: (last: number) => boolean): Recommender {
  const base = noise();
  return scripted((state) => {
    const last = state.history[state.history.length - 1];
    if (!accepts(last)) return new Float32Array(ITEMS);
    const scores = base.scoreAll(state);
    scores[(last + 1) % ITEMS] = 2;
    return scores;
  });
}

/** Noise that reports two epochs of training, as a learned component would. */
function twoEpochs(): Recommender {
  const model = noise();
  model.fit = async (_data, options) => {
    for (const epoch of [1, 2]) {
      options?.onProgress?.({ epoch, epochs: 2, loss: 1 / epoch, interactionsPerSec: 0, etaSec: 0 });
    }
  };
  return model;
}

function scripted(scoreAll: (state: ShopperState) => Float32Array): Recommender {
  return {
    name: 'gru',
    fit: async () => {},
    scoreAll,
    recommend: () => [],
    similarItems: () => [],
    save: () => ({ name: 'gru', config: {}, arrays: {} }),
    load: () => {},
    dispose: () => {},
  };
}

async function ndcg10(model: Recommender, fold: EvalFold) {
  const result = await evaluateRecommender(
    model,
    fold,
    { kind: 'full' },
    { ks: [10], bootstrapResamples: 1 },
  );
  return mean(result.perUser['NDCG@10']);
}

describe('the lab hybrid', () => {
  it('weighs the informative component above noise, and ranks validation as well as the better one', async () => {
    const split = leaveOneOutSplit(chains());
    const knn = new ItemKnnRecommender({ historyDecay: 0.5 });
    const hybrid = new LabHybrid(
      [
        { name: 'itemknn', model: knn },
        { name: 'noise', model: noise() },
      ],
      blendSettings,
    );
    await hybrid.fit(split.train);
    await hybrid.fitBlend(split.validation!);
    const summary = hybrid.summary()!;
    expect(summary.components.map((c) => c.name)).toEqual(['itemknn', 'noise']);
    const [knnWeight, noiseWeight] = summary.components.map((c) => c.weight);
    expect(knnWeight).toBeGreaterThan(1);
    expect(knnWeight).toBeGreaterThan(5 * Math.abs(noiseWeight));
    // half of the 300 validation users fit the weights, the other half judge them
    expect(summary.cases).toBe(150);
    expect(summary.decision.users).toBe(150);
    // 10 catalogue pairs per user, and 10 pool pairs for each user whose target the pool held
    expect(summary.examples).toBeGreaterThanOrEqual(150 * 10);
    expect(summary.examples).toBeLessThanOrEqual(150 * 20);

    const knnNdcg = await ndcg10(knn, split.validation!);
    const noiseNdcg = await ndcg10(noise(), split.validation!);
    const hybridNdcg = await ndcg10(hybrid, split.validation!);
    expect(knnNdcg).toBeGreaterThan(noiseNdcg + 0.2);
    expect(hybridNdcg).toBeGreaterThanOrEqual(Math.max(knnNdcg, noiseNdcg) - 0.01);
    // the batched scorer is the same blend
    const states = [0, 1, 2].map((user) => ({ history: Array.from(userRow(split.test.history, user)) }));
    const many = await hybrid.scoreMany(states);
    states.forEach((state, s) =>
      expect(Array.from(many.subarray(s * ITEMS, (s + 1) * ITEMS))).toEqual(
        Array.from(hybrid.scoreAll(state)),
      ),
    );
  });

  it('serves its best component when the blend does not beat it, scores exactly as it and says so', async () => {
    const split = leaveOneOutSplit(chains());
    const knn = new ItemKnnRecommender({ historyDecay: 0.5 });
    const hybrid = new LabHybrid(
      [
        { name: 'noise', model: noise() },
        { name: 'itemknn', model: knn },
      ],
      blendSettings,
    );
    await hybrid.fit(split.train);
    await hybrid.fitBlend(split.validation!);
    const summary = hybrid.summary()!;
    // item-kNN finds every chain's next item; noise can only cost the blend, never add to it
    expect(summary.decision.bestComponent).toBe('itemknn');
    expect(summary.servedBy).toBe('itemknn');
    expect(summary.decision.explanation).toMatch(/^itemknn serves/);
    for (const history of [[0, 1, 2], [17], [39, 0]]) {
      expect(hybrid.scoreAll({ history })).toEqual(knn.scoreAll({ history }));
    }
    // a reloaded hybrid serves the same component
    const copy = new LabHybrid([
      { name: 'noise', model: noise() },
      { name: 'itemknn', model: new ItemKnnRecommender({ historyDecay: 0.5 }) },
    ]);
    copy.load(hybrid.save());
    expect(copy.servedBy()).toBe('itemknn');
    expect(copy.scoreAll({ history: [5, 6] })).toEqual(knn.scoreAll({ history: [5, 6] }));
  });

  it('serves the blend when its components know different halves of the users', async () => {
    const split = leaveOneOutSplit(chains());
    const hybrid = new LabHybrid(
      [
        { name: 'even', model: halfOracle((last) => last % 2 === 0) },
        { name: 'odd', model: halfOracle((last) => last % 2 === 1) },
      ],
      blendSettings,
    );
    await hybrid.fit(split.train);
    await hybrid.fitBlend(split.validation!);
    const { servedBy, decision } = hybrid.summary()!;
    // each component puts half the users' next item first and ties everything for the others
    // (NDCG@10 ≈ .5); the blend, with both weights positive, puts it first for everyone (1)
    expect(servedBy).toBe('blend');
    expect(decision.blend.ndcg.mean).toBe(1);
    expect(decision.ratioToBest).toBeGreaterThan(1.5);
    expect(decision.difference.lower).toBeGreaterThan(0);
  });

  it('scores every item, so a target outside the candidate pool is still ranked (not −∞)', async () => {
    const split = leaveOneOutSplit(chains());
    const even = halfOracle((last) => last % 2 === 0);
    const hybrid = new LabHybrid(
      [
        { name: 'even', model: even },
        { name: 'odd', model: halfOracle((last) => last % 2 === 1) },
      ],
      { candidates: 2, blendUsers: 1000, blendMaxPercent: 50, poolNegatives: 2, randomNegatives: 5, seed: 1 },
    );
    await hybrid.fit(split.train);
    await hybrid.fitBlend(split.validation!);
    expect(hybrid.servedBy()).toBe('blend');
    const history = [0, 1, 2];
    const scores = hybrid.scoreAll({ history });
    expect(scores).toHaveLength(ITEMS);
    expect(Array.from(scores).every(Number.isFinite)).toBe(true);
    // after item 2 only "even" has an opinion ("odd" is constant, scaled to 0): with its positive
    // weight the blend keeps its order, in and out of the pool of its two top items
    const raw = even.scoreAll({ history });
    expect(hybrid.summary()!.components[0].weight).toBeGreaterThan(0);
    for (const [a, b] of [
      [5, 10],
      [4, 20],
      [3, 30],
    ]) {
      expect(Math.sign(scores[a] - scores[b])).toBe(Math.sign(raw[a] - raw[b]));
    }
  });

  it("reports each component's training, and fits on validation through the Recommender capability", async () => {
    const split = leaveOneOutSplit(chains());
    const hybrid = new LabHybrid(
      [
        { name: 'itemknn', model: new ItemKnnRecommender({ historyDecay: 0.5 }) },
        { name: 'epochs', model: twoEpochs() },
      ],
      blendSettings,
    );
    const componentProgress: string[] = [];
    const ownProgress: number[] = [];
    await hybrid.fit(split.train, {
      onProgress: (p) => ownProgress.push(p.epoch),
      onComponentProgress: (component, p) => componentProgress.push(`${component} ${p.epoch}/${p.epochs}`),
    });
    // item-kNN reports its one pass as an epoch; a component's epochs are not the hybrid's own,
    // so they come only through onComponentProgress
    expect(componentProgress).toEqual(['itemknn 1/1', 'epochs 1/2', 'epochs 2/2']);
    expect(ownProgress).toEqual([]);
    const messages: string[] = [];
    const summary = await hybrid.fitOnValidation(split.validation!, { onMessage: (m) => messages.push(m) });
    expect(summary).toEqual(hybrid.summary());
    const [knn, epochs] = summary.components;
    expect(messages).toEqual([
      'fitting the blend on the validation fold',
      `blend weights: itemknn ${knn.weight.toFixed(3)}, epochs ${epochs.weight.toFixed(3)}`,
      summary.decision.explanation,
    ]);
  });

  it('keeps a component with a config in the model cache: the next fit loads it instead of training it', async () => {
    const split = leaveOneOutSplit(chains());
    const entries = new Map<string, Bytes>();
    const store: ModelCacheStore = {
      get: async (key) => entries.get(key),
      put: async (key, bytes) => void entries.set(key, bytes),
    };
    const modelCache = { store, data: 'chains | leave-one-out | fold 0' };
    const knnConfig = { neighbours: 50, shrink: 10, proximityDecay: 1, historyDecay: 0.5 };
    const build = () => {
      const trained: string[] = [];
      const knn = new ItemKnnRecommender(knnConfig);
      const fit = knn.fit.bind(knn);
      knn.fit = (data, options) => (trained.push('itemknn'), fit(data, options));
      const epochs = twoEpochs(); // no config: never cached, always trained
      epochs.fit = async () => void trained.push('epochs');
      const hybrid = new LabHybrid(
        [
          { name: 'itemknn', model: knn, config: knnConfig },
          { name: 'epochs', model: epochs },
        ],
        blendSettings,
      );
      return { hybrid, knn, trained };
    };

    const first = build();
    const messages: string[] = [];
    await first.hybrid.fit(split.train, { modelCache, onMessage: (m) => messages.push(m) });
    expect(first.trained).toEqual(['itemknn', 'epochs']);
    expect([...entries.keys()]).toEqual([
      modelCacheKey({ ...modelCache, model: 'itemknn', config: knnConfig }),
    ]);
    expect(messages).toEqual([]);

    const second = build();
    await second.hybrid.fit(split.train, { modelCache, onMessage: (m) => messages.push(m) });
    expect(second.trained).toEqual(['epochs']);
    expect(messages).toEqual([`itemknn: loaded from the model cache (${[...entries.keys()][0]})`]);
    const state = { history: [3, 4, 5] };
    expect(Array.from(second.knn.scoreAll(state))).toEqual(Array.from(first.knn.scoreAll(state)));
    const summary = await second.hybrid.fitOnValidation(split.validation!);
    expect(summary.components.map((c) => c.cached)).toEqual([true, undefined]);
  });

  it('validates a component with a patience after every epoch and keeps its best epoch, with or without the cache', async () => {
    const split = leaveOneOutSplit(chains());
    const make = () => {
      const config = resolveModelConfig('mf', { epochs: 4, dim: 4, learningRate: 0.05, seed: 2 });
      const mf = createRecommender('mf', config);
      return { mf, hybrid: new LabHybrid([{ name: 'mf', model: mf, config, patience: 2 }], blendSettings) };
    };
    const plain = make();
    await expect(plain.hybrid.fit(split.train)).rejects.toThrow(/mf.patience needs a validation fold/);
    await plain.hybrid.fit(split.train, { componentValidation: split.validation });
    await plain.hybrid.fitBlend(split.validation!);
    const epochs = plain.hybrid.summary()!.components[0].epochs!;
    // every epoch scored on the validation fold, full ranking; the kept one is the best of them
    expect(epochs.validationNdcg10.length).toBeGreaterThanOrEqual(3);
    expect(epochs.validationNdcg10.length).toBeLessThanOrEqual(4);
    expect(epochs.trainedNow).toBe(epochs.validationNdcg10.length);
    const best = Math.max(...epochs.validationNdcg10);
    expect(epochs.validationNdcg10[epochs.keptEpoch - 1]).toBe(best);
    // chosen on the epoch part of the 300 validation users: 150 (the blend has the other 150)
    const { epochChoice } = splitEpochAndBlendUsers(Array.from(evaluatedUsers(split.validation!)), 1, {
      blendUsers: 1000,
      blendMaxPercent: 50,
    });
    expect(epochs.epochChoiceUsers).toBe(150);
    expect(plain.hybrid.summary()!.validationUsers).toEqual({ epochChoice: 150, blend: 150 });
    // per-user figures are stored as float32, so the mean agrees to float32's precision
    expect(await ndcg10(plain.mf, foldForUsers(split.validation!, epochChoice))).toBeCloseTo(best, 6);

    const entries = new Map<string, Bytes>();
    const store: ModelCacheStore = {
      get: async (k) => entries.get(k),
      put: async (k, b) => void entries.set(k, b),
    };
    const modelCache = { store, data: 'chains | loo | fold 0' };
    for (const trainedNow of [epochs.trainedNow, 0]) {
      const cached = make();
      await cached.hybrid.fit(split.train, { componentValidation: split.validation, modelCache });
      await cached.hybrid.fitBlend(split.validation!);
      expect(cached.hybrid.summary()!.components[0].epochs).toEqual({ ...epochs, trainedNow });
      expect(cached.mf.save().arrays).toEqual(plain.mf.save().arrays);
      cached.hybrid.dispose();
    }
    plain.hybrid.dispose();
  });

  it('chooses the epoch on its own users and fits and judges the blend on the others', async () => {
    // 40 users, user u walks u, u+1, … (mod 40): a history's first item names its user
    const split = leaveOneOutSplit(
      fromSequences(
        Array.from({ length: 40 }, (_, u) => Array.from({ length: 8 }, (_, i) => (u + i) % ITEMS)),
        ITEMS,
      ),
    );
    const validation = split.validation!;
    const options = {
      candidates: 10,
      blendUsers: 1000,
      blendMaxPercent: 50,
      poolNegatives: 5,
      randomNegatives: 5,
      seed: 4,
    };
    // 2 · 1,000 is more than half of 40 validation users: halves
    const parts = splitEpochAndBlendUsers(Array.from(evaluatedUsers(validation)), 4, options);
    expect([parts.epochChoice.length, parts.blend.length]).toEqual([20, 20]);
    // epoch 1 knows the epoch-choosing users' next item and no one else's; epoch 2 knows every
    // blend user's and 5 of the choosing users': on all 40 users epoch 2 would win (.625 > .5)
    const knownAt = [new Set(parts.epochChoice), new Set([...parts.blend, ...parts.epochChoice.slice(0, 5)])];
    const learned = (budget: number) => {
      let epoch = 0;
      const model = scripted((state) => {
        const scores = new Float32Array(ITEMS); // all tied: the target ranks last, NDCG 0
        const last = state.history[state.history.length - 1];
        if (knownAt[epoch - 1]?.has(state.history[0])) scores[(last + 1) % ITEMS] = 1;
        return scores;
      });
      model.fit = async (_data, fitOptions) => {
        for (epoch = 1; epoch <= budget; epoch++) {
          if ((await fitOptions?.onEpochEnd?.(epoch, model)) === 'stop') return;
        }
        epoch = budget;
      };
      model.save = () => ({ name: 'gru', config: { epoch }, arrays: {} });
      model.load = (snapshot) => void (epoch = Number(snapshot.config.epoch));
      return new LabHybrid([{ name: 'gru', model, config: { epochs: budget }, patience: 1 }], options);
    };
    const summaries = [];
    for (const budget of [3, 5]) {
      const hybrid = learned(budget);
      await hybrid.fit(split.train, { componentValidation: validation });
      await hybrid.fitBlend(validation);
      summaries.push(hybrid.summary()!);
    }
    const [summary, longer] = summaries;
    // on the choosing users: epoch 1 all 20 known (1), epoch 2 five of 20 (.25): epoch 1 kept,
    // and patience 1 stops after epoch 2
    expect(summary.components[0].epochs).toEqual({
      validationNdcg10: [1, 0.25],
      keptEpoch: 1,
      stoppedEarly: true,
      trainedNow: 2,
      epochChoiceUsers: 20,
    });
    expect(summary.validationUsers).toEqual({ epochChoice: 20, blend: 20 });
    // the blend is fitted on 10 of the blend users and judged on the other 10, where epoch 1
    // knows no one: the component's figure there is 0, not the 1 it was chosen with
    expect(summary.cases).toBe(10);
    expect(summary.decision.users).toBe(10);
    expect(summary.decision.components[0].ndcg.mean).toBe(0);
    // the split and the choice do not depend on the epoch budget
    expect(longer.validationUsers).toEqual(summary.validationUsers);
    expect(longer.components[0].epochs).toEqual(summary.components[0].epochs);
    expect(longer.decision).toEqual(summary.decision);
  });

  it('refuses to score before the blend is fitted', async () => {
    const hybrid = new LabHybrid([{ name: 'noise', model: noise() }]);
    await hybrid.fit(chains());
    expect(() => hybrid.scoreAll({ history: [1] })).toThrow(/not fitted/);
  });
});
