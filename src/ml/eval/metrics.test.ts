import { describe, expect, it } from 'vitest';
import { fromSequences } from '../interactions';
import {
  averagePrecision,
  catalogCoverage,
  hitRate,
  intraListDiversity,
  itemPopularity,
  ndcg,
  novelty,
  popularHead,
  popularityShare,
  recall,
  reciprocalRank,
} from './metrics';

describe('ranking metrics, one target', () => {
  // the single target sits at position 3
  const positions = [3];
  it('scores HR, Recall, NDCG, MRR and AP', () => {
    expect([hitRate(positions, 1), hitRate(positions, 3), hitRate(positions, 5)]).toEqual([0, 1, 1]);
    expect(recall(positions, 1, 5)).toBe(1);
    // 1 / log2(3 + 1) = 1/2; the ideal list has the target first: 1 / log2(2) = 1
    expect(ndcg(positions, 1, 5)).toBeCloseTo(0.5, 12);
    expect(ndcg(positions, 1, 2)).toBe(0);
    expect(reciprocalRank(positions)).toBeCloseTo(1 / 3, 12);
    expect(averagePrecision(positions, 1, 5)).toBeCloseTo(1 / 3, 12);
    expect(averagePrecision(positions, 1, 2)).toBe(0);
  });

  it('accepts a fractional (realistic tie) position', () => {
    // 1 / log2(2.5 + 1) = 1 / 1.807355 = 0.553295
    expect(ndcg([2.5], 1, 5)).toBeCloseTo(0.553295, 6);
    expect(hitRate([2.5], 2)).toBe(0);
  });

  it('gives zero when no target was ranked', () => {
    expect([
      hitRate([], 10),
      recall([], 0, 10),
      ndcg([], 0, 10),
      reciprocalRank([]),
      averagePrecision([], 0, 10),
    ]).toEqual([0, 0, 0, 0, 0]);
  });
});

describe('ranking metrics, several targets', () => {
  // three targets at positions 1, 4 and 6
  const positions = [1, 4, 6];
  it('counts hits within k', () => {
    expect(hitRate(positions, 3)).toBe(1);
    expect(recall(positions, 3, 5)).toBeCloseTo(2 / 3, 12);
  });

  it('normalises NDCG by the ideal list', () => {
    // DCG@5 = 1/log2(2) + 1/log2(5) = 1 + 0.4306766 = 1.4306766
    // IDCG@5 (3 targets first) = 1 + 1/log2(3) + 1/log2(4) = 1 + 0.6309298 + 0.5 = 2.1309298
    expect(ndcg(positions, 3, 5)).toBeCloseTo(1.4306766 / 2.1309298, 6);
    // NDCG@2: DCG = 1; IDCG = 1 + 0.6309298 (only two slots)
    expect(ndcg(positions, 3, 2)).toBeCloseTo(1 / 1.6309298, 6);
  });

  it('averages precision at each hit', () => {
    // AP@5 = (1/1 + 2/4) / min(3, 5) = 0.5 ; AP@10 = (1 + 2/4 + 3/6) / 3 = 2/3
    expect(averagePrecision(positions, 3, 5)).toBeCloseTo(0.5, 12);
    expect(averagePrecision(positions, 3, 10)).toBeCloseTo(2 / 3, 12);
    // AP@2 divides by min(3, 2) = 2: (1/1) / 2
    expect(averagePrecision(positions, 3, 2)).toBeCloseTo(0.5, 12);
    expect(reciprocalRank(positions)).toBe(1);
  });
});

describe('beyond-accuracy metrics', () => {
  it('counts item popularity by distinct users', () => {
    // user 0 had item 0 twice and item 1; user 1 had items 1 and 2
    const matrix = fromSequences(
      [
        [0, 0, 1],
        [1, 2],
      ],
      4,
    );
    expect(Array.from(itemPopularity(matrix))).toEqual([1, 2, 1, 0]);
  });

  it('measures catalogue coverage', () => {
    // items 0, 1, 2 shown out of 10
    expect(
      catalogCoverage(
        [
          [0, 1],
          [1, 2],
        ],
        10,
      ),
    ).toBeCloseTo(0.3, 12);
  });

  it('measures novelty as mean self-information', () => {
    // popularity of items 0..3 among 4 users: 4, 2, 1, 0 (0 is counted as 1)
    // -log2(4/4) = 0, -log2(2/4) = 1, -log2(1/4) = 2, -log2(1/4) = 2 -> mean 5/4
    expect(
      novelty(
        [
          [0, 1],
          [2, 3],
        ],
        [4, 2, 1, 0],
        4,
      ),
    ).toBeCloseTo(1.25, 12);
  });

  it('measures intra-list diversity', () => {
    const similarity = (a: number, b: number) => {
      const key = [a, b].sort().join('-');
      return ({ '0-1': 1, '0-2': 0, '1-2': 0.5 } as Record<string, number>)[key];
    };
    // list [0,1,2]: dissimilarities 0, 1, 0.5 -> 0.5; list [0,2]: 1; list [3] has no pairs
    expect(intraListDiversity([[0, 1, 2], [0, 2], [3]], similarity)).toBeCloseTo(0.75, 12);
  });

  it('measures the share of slots taken by the popular head', () => {
    // popularity 5, 3, 3, 1, 0; top 40% = ceil(2) items: item 0, then item 1 wins the tie with 2
    expect([...popularHead([5, 3, 3, 1, 0], 0.4)].sort()).toEqual([0, 1]);
    // lists [0,2] and [1,3]: items 0 and 1 are in the head -> 2 of 4 slots
    expect(
      popularityShare(
        [
          [0, 2],
          [1, 3],
        ],
        [5, 3, 3, 1, 0],
        0.4,
      ),
    ).toBeCloseTo(0.5, 12);
  });
});
