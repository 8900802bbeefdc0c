import { describe, expect, it } from 'vitest';
import { createRng } from '../random';
import { targetPositions } from './protocols';
import { breakTiesByPopularity, smallestScoreGap } from './tieBreak';

/** Items best first (a stable sort: equal values keep index order). */
const order = (scores: ArrayLike<number>) =>
  Array.from(scores, (score, item) => ({ score, item }))
    .sort((a, b) => b.score - a.score)
    .map((entry) => entry.item);

describe('smallestScoreGap', () => {
  it('is the smallest positive difference between finite scores, 0 without two different ones', () => {
    expect(smallestScoreGap([0.5, 0, 0, 0.25, 0])).toBe(0.25);
    expect(smallestScoreGap([3, 1, 2.5, -Infinity, NaN])).toBe(0.5);
    expect(smallestScoreGap([2, 2, 2])).toBe(0);
    expect(smallestScoreGap([])).toBe(0);
  });
});

describe('breakTiesByPopularity', () => {
  it('orders each plateau by popularity and keeps the model’s own order (hand-worked)', () => {
    // gap 0.25, most popular 5: each item gains popularity × 0.125 / 6
    // item 0: 0.5 + 0.0208, item 3: 0.25 + 0.1042, item 1: 0 + 0.0625, item 4: 0 + 0.0417, item 2: 0
    const broken = breakTiesByPopularity([0.5, 0, 0, 0.25, 0], [1, 3, 0, 5, 2]);
    expect(broken[3]).toBeCloseTo(0.25 + (5 * 0.125) / 6, 12);
    expect(order(broken)).toEqual([0, 3, 1, 4, 2]);
  });

  it('never lets popularity overturn a difference the model made, however small', () => {
    expect(order(breakTiesByPopularity([1, 1 + 1e-9, 0], [1_000_000, 0, 5]))).toEqual([1, 0, 2]);
  });

  it('ranks by popularity alone when every score is the same; equal popularity stays a tie', () => {
    expect(order(breakTiesByPopularity([0, 0, 0, 0], [2, 7, 2, 0]))).toEqual([1, 0, 2, 3]);
    const broken = breakTiesByPopularity([0, 0, 0, 0], [2, 7, 2, 0]);
    expect(broken[0]).toBe(broken[2]);
  });

  it('keeps non-finite scores and changes nothing without popularity', () => {
    const broken = breakTiesByPopularity([-Infinity, 1, 1], [9, 1, 2]);
    expect(broken[0]).toBe(-Infinity);
    expect(order(broken)).toEqual([2, 1, 0]);
    expect(Array.from(breakTiesByPopularity([1, 1], [0, 0]))).toEqual([1, 1]);
  });
});

describe('targetPositions with the popularity tie-break', () => {
  it('ranks a plateau by popularity in one scan (hand-worked)', () => {
    // target item 0 scores 1 with popularity 2; item 1 scores 1 (popularity 5: above it), item 2
    // scores 1 (popularity 2: a tie), item 3 scores 2 (above whatever its popularity), item 4 scores 0
    const scores = [1, 1, 1, 2, 0];
    const popularity = [2, 5, 2, 0, 9];
    const all = { kind: 'allExcept' as const, excluded: Uint8Array.from([1, 0, 0, 0, 0]) };
    expect(targetPositions(scores, [0], all, 'pessimistic', popularity)).toEqual([4]); // 2 above, 1 tie
    expect(targetPositions(scores, [0], all, 'optimistic', popularity)).toEqual([3]);
    expect(targetPositions(scores, [0], all, 'pessimistic')).toEqual([4]); // no tie-break: 1 above, 2 ties
    expect(targetPositions(scores, [0], all, 'optimistic')).toEqual([2]);
  });

  it('gives the positions breakTiesByPopularity’s scores give, on every protocol and tie policy', () => {
    const rng = createRng(11);
    const items = 300;
    for (let trial = 0; trial < 40; trial++) {
      // float32 scores on a coarse grid (many ties), a few non-finite, popularity with ties too
      const scores = Float32Array.from({ length: items }, () => {
        const roll = rng.next();
        if (roll < 0.02) return NaN;
        if (roll < 0.04) return -Infinity;
        return Math.round(rng.nextNormal() * 4) / 4;
      });
      const popularity = Int32Array.from({ length: items }, () => rng.nextInt(6));
      const broken = breakTiesByPopularity(scores, popularity);
      const targets = [rng.nextInt(items), rng.nextInt(items)].filter((t, i, all) => all.indexOf(t) === i);
      const excluded = new Uint8Array(items);
      targets.forEach((t) => (excluded[t] = 1));
      for (let i = 0; i < 30; i++) excluded[rng.nextInt(items)] = 1;
      const list = { kind: 'list' as const, items: Array.from({ length: 99 }, () => rng.nextInt(items)) };
      const all = { kind: 'allExcept' as const, excluded };
      for (const tiePolicy of ['pessimistic', 'optimistic', 'realistic'] as const) {
        for (const competitors of [list, all]) {
          for (const wanted of [targets, targets.slice(0, 1)]) {
            expect(targetPositions(scores, wanted, competitors, tiePolicy, popularity)).toEqual(
              targetPositions(broken, wanted, competitors, tiePolicy),
            );
          }
        }
      }
    }
  });
});
