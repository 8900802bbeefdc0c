import { describe, expect, it } from 'vitest';
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
