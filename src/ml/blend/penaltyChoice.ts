// The blend's weight penalty (L2), chosen on the fitting players alone: a seeded part of them fits
// the blend at each penalty of a grid, the rest rank their own candidate pools with it, and the
// penalty whose rankings put the held-out game highest (NDCG@10 over the pool) wins. The
// objective averages its pairs, so a penalty's strength depends on how many columns and how much
// signal there are; no one value suits a 7-column blend on 1,500 players and on 200 alike.
import { fitRankingWeights, type RankFitOptions, type RankingCase } from './rankFit';

/** One validation player's candidate pool as serving ranks it: feature rows, and the held-out game's row. */
export interface PoolRanking {
  /** [candidates × width], row-major, through the serving scaler */
  rows: ArrayLike<number>;
  width: number;
  /** the held-out game's row in `rows`; −1 when no source proposed it (it cannot be ranked) */
  targetRow: number;
}

/**
 * NDCG@k of one pool ranked by w · x: 1 / log2(2 + r) when r < k candidates score at least as
 * high as the held-out game (ties counted against it, so a blend that cannot tell them apart
 * earns nothing for it), 0 otherwise or when the game is not in the pool.
 */
export function poolNdcg(weights: ArrayLike<number>, ranking: PoolRanking, k = 10): number {
  if (ranking.targetRow < 0) return 0;
  const { rows, width } = ranking;
  const score = (row: number) => {
    let sum = 0;
    for (let f = 0; f < width; f++) sum += weights[f] * rows[row * width + f];
    return sum;
  };
  const target = score(ranking.targetRow);
  let above = 0;
  for (let row = 0; row < rows.length / width && above < k; row++) {
    if (row !== ranking.targetRow && score(row) >= target) above++;
  }
  return above < k ? 1 / Math.log2(2 + above) : 0;
}

export interface PenaltyChoice {
  l2: number;
  /** mean pool NDCG@10 of the validation players at each penalty tried, in the grid's order */
  tried: { l2: number; ndcg: number }[];
}

/** Penalties tried, strongest first: a tie keeps the stronger one (the simpler blend). */
export const defaultPenaltyGrid = [1e-2, 1e-3, 1e-4] as const;

/**
 * The grid's penalty whose fit on `fitCases` ranks `validation` best (mean pool NDCG@10); the
 * first listed wins a tie, so list the strongest first.
 */
export function choosePenalty(
  fitCases: readonly RankingCase[],
  validation: readonly PoolRanking[],
  grid: readonly number[] = defaultPenaltyGrid,
  options: Partial<RankFitOptions> = {},
): PenaltyChoice {
  if (grid.length === 0) throw new RangeError('choosePenalty needs at least one penalty');
  const tried = grid.map((l2) => {
    const { weights } = fitRankingWeights(fitCases, { ...options, l2 });
    const total = validation.reduce((sum, ranking) => sum + poolNdcg(weights, ranking), 0);
    return { l2, ndcg: validation.length > 0 ? total / validation.length : 0 };
  });
  const best = tried.reduce((a, b) => (b.ndcg > a.ndcg ? b : a));
  return { l2: best.l2, tried };
}
