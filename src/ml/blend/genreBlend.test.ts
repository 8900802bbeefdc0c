import { describe, expect, it } from 'vitest';
import { bestWeight, blended, genreMatchScores, minMaxScaled, scaledSum } from './genreBlend';

describe('the genre blend', () => {
  it('scores a game by the mean profile probability of its genres, 0 without genres', () => {
    // item 0: {0}; item 1: {0, 1}; item 2: none; item 3: {2}
    const genres = {
      genreCount: 3,
      offsets: Uint32Array.from([0, 1, 3, 3, 4]),
      ids: Int32Array.from([0, 0, 1, 2]),
    };
    expect(Array.from(genreMatchScores([0.5, 0.25, 1], genres))).toEqual([0.5, 0.375, 0, 1]);
  });

  it('scales to [0, 1] and adds the weighted extra', () => {
    expect(Array.from(minMaxScaled(Float32Array.from([2, 4, 6])))).toEqual([0, 0.5, 1]);
    expect(Array.from(minMaxScaled(Float32Array.from([3, 3])))).toEqual([0, 0]);
    // base (2, 4, 6) → (0, .5, 1); extra (1, 0, 0) → (1, 0, 0); weight 2
    expect(Array.from(blended(Float32Array.from([2, 4, 6]), Float32Array.from([1, 0, 0]), 2))).toEqual([
      2, 0.5, 1,
    ]);
  });

  it('sums already scaled lists into the buffer it is given', () => {
    const out = new Float32Array(3);
    // (0, .5, 1) + 2 · (1, 0, .25) = (2, .5, 1.5)
    expect(scaledSum(Float32Array.from([0, 0.5, 1]), Float32Array.from([1, 0, 0.25]), 2, out)).toBe(out);
    expect(Array.from(out)).toEqual([2, 0.5, 1.5]);
  });

  it('picks the best weight of the grid, the first of equals', () => {
    expect(bestWeight([0, 0.5, 1], (w) => -((w - 0.6) ** 2))).toBe(0.5);
    expect(bestWeight([0, 0.5, 1], () => 0.2)).toBe(0);
  });
});
