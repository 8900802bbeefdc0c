import { describe, expect, it } from 'vitest';
import { ItemKnnRecommender } from '../baselines/itemKnn';
import { evaluateRecommender, leaveOneOutSplit, mean, type EvalFold } from '../eval';
import { fromSequences, userRow } from '../interactions';
import type { Recommender, ShopperState } from '../recommender';
import { createRng } from '../random';
import { LabHybrid } from './labHybrid';

const ITEMS = 40;

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
      { candidates: 10, blendUsers: 1000, poolNegatives: 10, randomNegatives: 10, seed: 1 },
    );
    await hybrid.fit(split.train);
    await hybrid.fitBlend(split.validation!);
    const summary = hybrid.summary()!;
    expect(summary.components.map((c) => c.name)).toEqual(['itemknn', 'noise']);
    const [knnWeight, noiseWeight] = summary.components.map((c) => c.weight);
    expect(knnWeight).toBeGreaterThan(1);
    expect(knnWeight).toBeGreaterThan(5 * Math.abs(noiseWeight));
    expect(summary.cases).toBe(300);
    expect(summary.examples).toBe(300 * 20 * 2);

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

  it('scores every item, so a target outside the candidate pool is still ranked (not −∞)', async () => {
    const split = leaveOneOutSplit(chains());
    const hybrid = new LabHybrid([{ name: 'itemknn', model: new ItemKnnRecommender() }], {
      candidates: 2,
      blendUsers: 50,
      poolNegatives: 2,
      randomNegatives: 5,
      seed: 1,
    });
    await hybrid.fit(split.train);
    await hybrid.fitBlend(split.validation!);
    const scores = hybrid.scoreAll({ history: [0, 1, 2] });
    expect(scores).toHaveLength(ITEMS);
    expect(Array.from(scores).every(Number.isFinite)).toBe(true);
    // with a positive weight the blend keeps item-kNN's order, in and out of the two-item pool
    const knn = new ItemKnnRecommender();
    await knn.fit(split.train);
    const raw = knn.scoreAll({ history: [0, 1, 2] });
    expect(hybrid.summary()!.components[0].weight).toBeGreaterThan(0);
    for (const [a, b] of [
      [3, 10],
      [4, 20],
    ]) {
      expect(Math.sign(scores[a] - scores[b])).toBe(Math.sign(raw[a] - raw[b]));
    }
  });

  it('refuses to score before the blend is fitted', async () => {
    const hybrid = new LabHybrid([{ name: 'noise', model: noise() }]);
    await hybrid.fit(chains());
    expect(() => hybrid.scoreAll({ history: [1] })).toThrow(/not fitted/);
  });
});
