import { describe, expect, it } from 'vitest';
import type { EvaluationResult } from '../../ml/eval';
import { mergeFolds, type FoldMergeOptions } from './foldMerge';

const options: FoldMergeOptions = {
  userIds: ['ann', 'bob', 'cat', 'dan'],
  itemIds: ['a', 'b', 'c'],
  keepTopLists: true,
  seed: 1,
  bootstrapResamples: 200,
};

function fold(users: number[], hits: number[], coverage: number, tops: number[][]): EvaluationResult {
  return {
    protocol: 'full ranking',
    ks: [10],
    users: Int32Array.from(users),
    perUser: { 'HR@10': Float64Array.from(hits) },
    summary: { 'HR@10': { mean: 0.5, lower: 0.1, upper: 0.9, confidence: 0.95 } },
    beyondAccuracy: { 'coverage@10': coverage },
    topLists: users.map((user, at) => ({ user, targets: [0], items: tops[at] })),
  };
}

describe('merging folds', () => {
  const first = fold([0, 2], [1, 0], 0.2, [[0, 1], [2]]);
  const second = fold([1, 3], [1, 1], 0.6, [[1], [2, 0]]);

  it('pools per-user values of disjoint folds and bootstraps the interval over all of them', () => {
    const merged = mergeFolds([first, second], options);
    expect(Array.from(merged.users)).toEqual([0, 2, 1, 3]);
    expect(Array.from(merged.perUser['HR@10'])).toEqual([1, 0, 1, 1]);
    // the pooled mean (3 hits of 4), not either fold's summary
    expect(merged.metrics['HR@10'].mean).toBe(0.75);
    expect(merged.metrics['HR@10'].lower).toBeLessThanOrEqual(0.75);
    expect(merged.metrics['HR@10'].upper).toBeGreaterThanOrEqual(0.75);
  });

  it("reports the mean over folds of catalogue-level metrics, which belong to each fold's lists", () => {
    expect(mergeFolds([first, second], options).beyondAccuracy['coverage@10']).toBeCloseTo(0.4);
  });

  it('names users and items in the top lists, fold after fold, and keeps them only when asked', () => {
    const merged = mergeFolds([first, second], options);
    expect(merged.topLists).toEqual([
      { user: 'ann', targets: ['a'], items: ['a', 'b'] },
      { user: 'cat', targets: ['a'], items: ['c'] },
      { user: 'bob', targets: ['a'], items: ['b'] },
      { user: 'dan', targets: ['a'], items: ['c', 'a'] },
    ]);
    expect(mergeFolds([first, second], { ...options, keepTopLists: false }).topLists).toBeUndefined();
  });

  it("keeps a single fold's own summary and arrays", () => {
    const merged = mergeFolds([first], options);
    expect(merged.metrics['HR@10']).toEqual({ mean: 0.5, lower: 0.1, upper: 0.9 });
    expect(merged.perUser).toBe(first.perUser);
    expect(merged.beyondAccuracy).toEqual({ 'coverage@10': 0.2 });
  });

  it('refuses to merge nothing', () => {
    expect(() => mergeFolds([], options)).toThrow(/no folds/);
  });
});
