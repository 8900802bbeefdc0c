import { describe, expect, it } from 'vitest';
import { fromSequences } from '../interactions';
import type { ModelSnapshot, Recommender, ShopperState } from '../recommender';
import { topK } from '../recommender';
import { compareEvaluations, evaluateRecommender, formatTopLists } from './evaluate';
import { leaveOneOutSplit } from './splits';

/** A model whose scores are set by hand for each history it may be asked about. */
function fakeModel(table: Record<string, number[]>, fallback?: number[]): Recommender {
  const scoreAll = (state: ShopperState) => {
    const scores = table[state.history.join(',')] ?? fallback;
    if (!scores) throw new Error(`no scores for history ${state.history.join(',')}`);
    return Float32Array.from(scores);
  };
  return {
    name: 'popularity',
    fit: async () => {},
    scoreAll,
    recommend: (state, k, filter) => topK(scoreAll(state), k, filter),
    similarItems: () => [],
    save: (): ModelSnapshot => ({ name: 'popularity', config: {}, arrays: {} }),
    load: () => {},
    dispose: () => {},
  };
}

// user 0 had items 0,1,2,3; user 1 had 4,5,0; user 2 only item 1 (never evaluated)
const data = fromSequences([[0, 1, 2, 3], [4, 5, 0], [1]], 6);
const split = leaveOneOutSplit(data);
// test histories: user 0 -> 0,1,2 (target 3); user 1 -> 4,5 (target 0)
const model = fakeModel({
  '0,1,2': [9, 8, 7, 5, 6, 1], // seen 0,1,2 masked; target 3 (5) is beaten only by item 4 (6): rank 2
  '4,5': [3, 0, 0, 0, 9, 9], // seen 4,5 masked; target 0 (3) beats items 1,2,3 (0): rank 1
});

describe('evaluateRecommender', () => {
  it('computes per-user metrics under full ranking with seen items masked', async () => {
    const result = await evaluateRecommender(model, split.test, { kind: 'full' }, { ks: [1, 5], topKOut: 3 });
    expect(Array.from(result.users)).toEqual([0, 1]);
    expect(Array.from(result.perUser['HR@1'])).toEqual([0, 1]);
    expect(Array.from(result.perUser['HR@5'])).toEqual([1, 1]);
    // NDCG@5: user 0 at rank 2 -> 1/log2(3) = 0.6309298; user 1 at rank 1 -> 1
    expect(result.perUser['NDCG@5'][0]).toBeCloseTo(0.6309298, 6);
    expect(result.perUser['NDCG@5'][1]).toBe(1);
    expect(Array.from(result.perUser.MRR)).toEqual([0.5, 1]);
    expect(result.summary['HR@1'].mean).toBe(0.5);
    expect(result.summary['NDCG@5'].mean).toBeCloseTo((0.6309298 + 1) / 2, 6);
    expect(result.protocol).toBe('full ranking, seen items masked, ties pessimistic, broken by popularity');
    // top lists mask the seen items: user 0 -> 4 (6), 3 (5), 5 (1); user 1 -> 0 (3), then the
    // zero-score items 1, 2 in index order
    expect(result.topLists).toEqual([
      { user: 0, targets: [3], items: [4, 3, 5] },
      { user: 1, targets: [0], items: [0, 1, 2] },
    ]);
    expect(formatTopLists(result.topLists!, ['u0', 'u1', 'u2'], ['a', 'b', 'c', 'd', 'e', 'f'])).toBe(
      'u0\td\te d f\nu1\ta\ta b c',
    );
  });

  it('breaks a target’s tie with zero-scored items by popularity, unless told not to', async () => {
    // user 1 (history 4,5, target 0): items 0-3 all score 0, 4 and 5 are seen and masked
    const flat = fakeModel({ '0,1,2': [9, 8, 7, 5, 6, 1], '4,5': [0, 0, 0, 0, 9, 9] });
    const popularity = [5, 1, 2, 0, 0, 0];
    const run = (tieBreak: 'popularity' | 'none') =>
      evaluateRecommender(flat, split.test, { kind: 'full' }, { ks: [1], popularity, tieBreak });
    // pessimistic ties: target 0 below items 1, 2, 3 → rank 4; by popularity (5 > 2 > 1 > 0) → rank 1
    expect((await run('none')).perUser.MRR[1]).toBe(0.25);
    expect((await run('popularity')).perUser.MRR[1]).toBe(1);
    // user 0's scores have no ties: the same rank 2 either way
    expect((await run('popularity')).perUser.MRR[0]).toBe(0.5);
  });

  it('uses a batched scorer when the model has one, with the same results', async () => {
    const asked: number[] = [];
    const batched: Recommender = {
      ...model,
      scoreAll: () => {
        throw new Error('scoreAll must not be called when scoreMany exists');
      },
      scoreMany: async (states) => {
        asked.push(states.length);
        const rows = new Float32Array(states.length * 6);
        states.forEach((state, i) => rows.set(model.scoreAll(state), i * 6));
        return rows;
      },
    };
    const one = await evaluateRecommender(model, split.test, { kind: 'full' }, { ks: [1, 5], topKOut: 3 });
    const many = await evaluateRecommender(batched, split.test, { kind: 'full' }, { ks: [1, 5], topKOut: 3 });
    expect(asked).toEqual([2]); // both evaluated users in one block
    expect(many.perUser).toEqual(one.perUser);
    expect(many.topLists).toEqual(one.topLists);
  });

  it('ranks against a fixed negatives list exactly as given', async () => {
    // user 0's negative is item 5 (1 < 5): rank 1; user 1's negative is item 4 (9 > 3): rank 2,
    // even though item 4 is in user 1's history: published lists are used verbatim
    const result = await evaluateRecommender(
      model,
      split.test,
      { kind: 'fixed', negativesByUser: [[5], [4], undefined] },
      { ks: [1] },
    );
    expect(Array.from(result.perUser['HR@1'])).toEqual([1, 0]);
    await expect(
      evaluateRecommender(model, split.test, { kind: 'fixed', negativesByUser: [[5]] }, { ks: [1] }),
    ).rejects.toThrow('no fixed negatives for user 1');
  });

  it('ranks against sampled negatives the user never had', async () => {
    // 6 items: user 0 can only draw 4 and 5 (0..2 seen, 3 the target); with 2 negatives both are
    // drawn, so the result is the full ranking's: rank 2. User 1 draws from 1, 2, 3 (all score 0)
    const result = await evaluateRecommender(
      model,
      split.test,
      { kind: 'sampled', negatives: 2, sampling: 'uniform' },
      { ks: [1], seed: 5 },
    );
    expect(Array.from(result.perUser.MRR)).toEqual([0.5, 1]);
  });

  it('puts a constant model last under the pessimistic tie policy', async () => {
    const constant = fakeModel({}, [1, 1, 1, 1, 1, 1]);
    // user 0: competitors 4 and 5 tie with the target -> rank 3; user 1: 1, 2, 3 -> rank 4
    // (ties left as ties: the policy, not popularity, settles them here)
    const result = await evaluateRecommender(
      constant,
      split.test,
      { kind: 'full' },
      { ks: [1], tieBreak: 'none' },
    );
    expect(Array.from(result.perUser.MRR)).toEqual([1 / 3, 1 / 4]);
    const optimistic = await evaluateRecommender(
      constant,
      split.test,
      { kind: 'full' },
      {
        ks: [1],
        tiePolicy: 'optimistic',
        tieBreak: 'none',
      },
    );
    expect(Array.from(optimistic.perUser.MRR)).toEqual([1, 1]);
  });

  it('reports beyond-accuracy metrics on the top lists', async () => {
    const result = await evaluateRecommender(
      model,
      split.test,
      { kind: 'full' },
      {
        ks: [1, 2],
        beyondAccuracy: true,
        itemSimilarity: (a, b) => (a === b ? 1 : 0),
      },
    );
    // top-2 lists: user 0 [4, 3], user 1 [0, 1] -> 4 of 6 items; top-1: [4], [0] -> 2 of 6
    expect(result.beyondAccuracy!['coverage@2']).toBeCloseTo(4 / 6, 12);
    expect(result.beyondAccuracy!['coverage@1']).toBeCloseTo(2 / 6, 12);
    // popularity from the test histories (0,1,2 / 4,5 / 1): items 4 and 0 each had by 1 of 3
    // users -> -log2(1/3) = 1.5849625
    expect(result.beyondAccuracy!['novelty@1']).toBeCloseTo(Math.log2(3), 12);
    expect(result.beyondAccuracy!['diversity@2']).toBe(1);
    expect(result.topLists).toBeUndefined();
  });

  it('reports progress, stops on abort, and compares two models pairwise', async () => {
    const progress: number[] = [];
    await evaluateRecommender(
      model,
      split.test,
      { kind: 'full' },
      { onProgress: (p) => progress.push(p.done) },
    );
    expect(progress.at(-1)).toBe(2);

    const controller = new AbortController();
    controller.abort(new Error('cancelled by the shopper'));
    await expect(
      evaluateRecommender(model, split.test, { kind: 'full' }, { signal: controller.signal }),
    ).rejects.toThrow('cancelled by the shopper');

    const constant = fakeModel({}, [1, 1, 1, 1, 1, 1]);
    const good = await evaluateRecommender(model, split.test, { kind: 'full' });
    const bad = await evaluateRecommender(constant, split.test, { kind: 'full' }, { tieBreak: 'none' });
    const comparison = compareEvaluations(good, bad, 'MRR');
    // differences 1/2 - 1/3 = 1/6 and 1 - 1/4 = 3/4: mean 11/24; both positive -> the exact sign-flip
    // p is 2/4 (only ++ and -- are as extreme)
    expect(comparison.meanDifference).toBeCloseTo(11 / 24, 12);
    expect(comparison.permutationP).toBe(0.5);
  });
});
