import { describe, expect, it } from 'vitest';
import { createRng } from '../ml/random';
import { mmrRerank, type Candidate } from './mmr';

describe('mmr', () => {
  const candidates = [
    { item: 0, relevance: 1 },
    { item: 1, relevance: 0.9 },
    { item: 2, relevance: 0.5 },
  ];
  // items 0 and 1 are near-duplicates, 2 is unlike both
  const similarity = (a: number, b: number) => ((a === 0 && b === 1) || (a === 1 && b === 0) ? 1 : 0);

  it('is plain relevance order at diversity 0', () => {
    expect(mmrRerank(candidates, 3, 0, similarity).map((c) => c.item)).toEqual([0, 1, 2]);
  });

  it('skips a near-duplicate when diversity is high', () => {
    // at λ = 0.5: after picking 0, item 1 scores 0.5·0.9 − 0.5·1 = −0.05, item 2 scores 0.25
    expect(mmrRerank(candidates, 2, 0.5, similarity).map((c) => c.item)).toEqual([0, 2]);
  });

  it('picks exactly what recomputing every redundancy each round picks', () => {
    // the straightforward MMR: redundancy is the maximum over all picks, recomputed per round
    const naive = (
      pool: readonly Candidate[],
      k: number,
      diversity: number,
      sim: (a: number, b: number) => number,
    ) => {
      const lambda = Math.min(1, Math.max(0, diversity));
      const remaining = [...pool];
      const picked: Candidate[] = [];
      while (picked.length < k && remaining.length > 0) {
        let best = 0;
        let bestValue = -Infinity;
        remaining.forEach((candidate, index) => {
          const redundancy = picked.reduce((max, p) => Math.max(max, sim(candidate.item, p.item)), 0);
          const value = (1 - lambda) * candidate.relevance - lambda * redundancy;
          if (value > bestValue) {
            bestValue = value;
            best = index;
          }
        });
        picked.push(remaining.splice(best, 1)[0]);
      }
      return picked;
    };
    const rng = createRng(4);
    for (let trial = 0; trial < 60; trial++) {
      const size = 1 + rng.nextInt(40);
      // coarse relevances and similarities, so ties are common
      const pool = Array.from({ length: size }, (_, i) => ({ item: i * 3, relevance: rng.nextInt(5) / 4 }));
      const table = Array.from({ length: size * 3 * size * 3 }, () => rng.nextInt(4) / 3);
      const sim = (a: number, b: number) => table[a * size * 3 + b]; // not symmetric on purpose
      const k = 1 + rng.nextInt(12);
      const diversity = [0, 0.3, 0.5, 0.9, 1][trial % 5];
      expect(mmrRerank(pool, k, diversity, sim)).toEqual(naive(pool, k, diversity, sim));
    }
    expect(mmrRerank([], 3, 0.5, similarity)).toEqual([]);
  });
});
