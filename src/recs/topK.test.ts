import { describe, expect, it } from 'vitest';
import { topK } from '../ml/recommender';
import { topKCases } from '../ml/testSupport/topKCases';
import { FixedRanking } from './topK';

describe('a fixed ranking', () => {
  it('sorted once, gives the same top k as topK over its scores', () => {
    for (const { scores, k, filter } of topKCases(2)) {
      const ranking = new FixedRanking(scores);
      expect(ranking.isOf(scores)).toBe(true);
      expect(ranking.isOf(Float32Array.from(scores))).toBe(false);
      expect(ranking.topK(k, filter)).toEqual(topK(scores, k, filter));
    }
  });

  it('returns nothing for k = 0', () => {
    expect(new FixedRanking(Float32Array.from([1, 2])).topK(0)).toEqual([]);
  });
});
