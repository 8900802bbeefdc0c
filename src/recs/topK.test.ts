import { describe, expect, it } from 'vitest';
import { topK } from '../ml/recommender';
import { createRng } from '../ml/random';
import { FixedRanking, topKFiltered } from './topK';

// coarse scores (many ties), the odd non-finite one, and random filters
function cases(seed: number) {
  const rng = createRng(seed);
  return Array.from({ length: 80 }, (_, trial) => {
    const size = rng.nextInt(300);
    const scores = Float32Array.from({ length: size }, () => {
      const roll = rng.next();
      if (roll < 0.03) return Number.NaN;
      if (roll < 0.05) return Number.NEGATIVE_INFINITY;
      if (roll < 0.06) return Number.POSITIVE_INFINITY;
      return (rng.nextInt(20) - 5) / 7;
    });
    const exclude = new Set(Array.from({ length: rng.nextInt(size + 1) }, () => rng.nextInt(size + 1)));
    const modulus = 2 + rng.nextInt(3);
    const filter =
      trial % 4 === 0
        ? undefined
        : trial % 4 === 1
          ? { exclude }
          : trial % 4 === 2
            ? { allow: (item: number) => item % modulus !== 0 }
            : { exclude, allow: (item: number) => item % modulus !== 0 };
    return { scores, k: 1 + rng.nextInt(60), filter };
  });
}

describe('top-k on the ranking path', () => {
  it('equals topK from ml/recommender, ties and filters included', () => {
    for (const { scores, k, filter } of cases(1)) {
      expect(topKFiltered(scores, k, filter)).toEqual(topK(scores, k, filter));
    }
  });

  it('a fixed ranking sorted once gives the same top k as topK over its scores', () => {
    for (const { scores, k, filter } of cases(2)) {
      const ranking = new FixedRanking(scores);
      expect(ranking.isOf(scores)).toBe(true);
      expect(ranking.isOf(Float32Array.from(scores))).toBe(false);
      expect(ranking.topK(k, filter)).toEqual(topK(scores, k, filter));
    }
  });

  it('returns nothing for k = 0', () => {
    expect(topKFiltered(Float32Array.from([1, 2]), 0)).toEqual([]);
    expect(new FixedRanking(Float32Array.from([1, 2])).topK(0)).toEqual([]);
  });
});
