import { describe, expect, it } from 'vitest';
import { choosePenalty, poolNdcg, type PoolRanking } from './penaltyChoice';
import type { RankingCase } from './rankFit';

describe("a validation player's pool NDCG@10", () => {
  // three candidates, two columns; the held-out game is row 2
  const ranking: PoolRanking = { rows: [0.2, 0, 0.9, 0, 0.5, 1], width: 2, targetRow: 2 };

  it('is 1 / log2(2 + candidates at least as high as the held-out game)', () => {
    // by column 0: .9 is above .5 -> 1 / log2(3)
    expect(poolNdcg([1, 0], ranking)).toBeCloseTo(1 / Math.log2(3), 12);
    // by column 1: nothing above -> 1
    expect(poolNdcg([0, 1], ranking)).toBe(1);
    // all tied: both others count against it -> 1 / log2(4)
    expect(poolNdcg([0, 0], ranking)).toBe(0.5);
  });

  it('is 0 beyond k, and for a game no source proposed', () => {
    expect(poolNdcg([1, 0], ranking, 1)).toBe(0);
    expect(poolNdcg([1, 0], { ...ranking, targetRow: -1 })).toBe(0);
  });
});

describe('choosing the penalty on the fitting players', () => {
  // Column 1 always separates the held-out game (+.1); column 0 is larger on average (+.2) but
  // wrong for one player in five (−3). A strong penalty keeps w near the mean difference
  // (column 0 leads); a weak one finds the separating column 1.
  const pairCase = (positive: number[], negative: number[]): RankingCase => ({
    positive,
    poolNegatives: negative,
    catalogueNegatives: [],
    positiveInPool: true,
  });
  const fitCases = [
    ...Array.from({ length: 4 }, () => pairCase([1, 0.1], [0, 0])),
    pairCase([0, 0.1], [3, 0]),
  ];
  // the game column 1 puts first and column 0 second
  const validation: PoolRanking[] = [{ rows: [1, 0, 0, 0.1], width: 2, targetRow: 1 }];

  it('keeps the penalty whose fit ranks the validation players best, reporting each', () => {
    const choice = choosePenalty(fitCases, validation, [10, 1e-4]);
    expect(choice.tried.map((t) => t.l2)).toEqual([10, 1e-4]);
    expect(choice.tried[0].ndcg).toBeCloseTo(1 / Math.log2(3), 12);
    expect(choice.tried[1].ndcg).toBe(1);
    expect(choice.l2).toBe(1e-4);
  });

  it('keeps the first (strongest) penalty on a tie', () => {
    const choice = choosePenalty(fitCases, [], [10, 1e-4]);
    expect(choice.tried.map((t) => t.ndcg)).toEqual([0, 0]);
    expect(choice.l2).toBe(10);
    expect(() => choosePenalty(fitCases, validation, [])).toThrow(RangeError);
  });
});
