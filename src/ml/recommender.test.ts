import { describe, expect, it } from 'vitest';
import { topK, topKExcept, type RecommendFilter, type ScoredItem } from './recommender';
import { topKCases } from './testSupport/topKCases';

/** The plain definition topK must match: filter, sort everything, take k. */
function sortedTopK(scores: Float32Array, k: number, filter?: RecommendFilter): ScoredItem[] {
  const all: ScoredItem[] = [];
  scores.forEach((score, item) => {
    if (!Number.isFinite(score) || filter?.exclude?.has(item)) return;
    if (filter?.allow && !filter.allow(item)) return;
    all.push({ item, score });
  });
  return all.sort((a, b) => b.score - a.score || a.item - b.item).slice(0, Math.max(0, k));
}

describe('topK', () => {
  it('equals sorting every allowed finite score, ties and filters included', () => {
    for (const { scores, k, filter } of topKCases(1)) {
      expect(topK(scores, k, filter)).toEqual(sortedTopK(scores, k, filter));
    }
  });

  it('picks best first, the lower index winning a tie, skipping non-finite and filtered items', () => {
    const scores = Float32Array.from([0.5, Number.NaN, 2, 0.5, Number.POSITIVE_INFINITY, 1, 2]);
    expect(topK(scores, 3)).toEqual([
      { item: 2, score: 2 },
      { item: 6, score: 2 },
      { item: 5, score: 1 },
    ]);
    expect(topK(scores, 3, { exclude: new Set([2]), allow: (item) => item !== 5 })).toEqual([
      { item: 6, score: 2 },
      { item: 0, score: 0.5 },
      { item: 3, score: 0.5 },
    ]);
  });

  it('returns every candidate when fewer than k pass, and nothing for k = 0', () => {
    expect(topK(Float32Array.from([1, 3, 2]), 10)).toEqual([
      { item: 1, score: 3 },
      { item: 2, score: 2 },
      { item: 0, score: 1 },
    ]);
    expect(topK(Float32Array.from([1, 2]), 0)).toEqual([]);
  });

  it('asks the filter only about items that would enter the top k', () => {
    const asked: number[] = [];
    // descending scores: once k are held, no later item can beat the k-th
    topK(Float32Array.from([5, 4, 3, 2, 1]), 2, { allow: (item) => (asked.push(item), true) });
    expect(asked).toEqual([0, 1]);
  });

  it('topKExcept never returns the item itself', () => {
    expect(topKExcept(Float32Array.from([3, 2, 1]), 2, 0).map((s) => s.item)).toEqual([1, 2]);
  });
});
