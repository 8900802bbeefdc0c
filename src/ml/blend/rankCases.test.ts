import { describe, expect, it } from 'vitest';
import { createRng } from '../random';
import { drawNegatives, rankingCase } from './rankCases';

describe('drawNegatives', () => {
  const pool = [3, 7, 1, 9, 4];

  it('never draws the target or an excluded item, and says whether the pool held the target', () => {
    const drawn = drawNegatives(pool, 7, 12, new Set([9, 0]), { pool: 10, catalogue: 50 }, createRng(1));
    // the whole eligible pool (3, 1, 4) when more are asked for than it has
    expect([...drawn.pool].sort((a, b) => a - b)).toEqual([1, 3, 4]);
    expect(drawn.catalogue).toHaveLength(50);
    for (const item of drawn.catalogue) {
      expect(item).toBeGreaterThanOrEqual(0);
      expect(item).toBeLessThan(12);
      expect([7, 9, 0]).not.toContain(item);
    }
    expect(drawn.positiveInPool).toBe(true);
    expect(
      drawNegatives(pool, 5, 12, new Set(), { pool: 2, catalogue: 0 }, createRng(1)).positiveInPool,
    ).toBe(false);
  });

  it('draws the asked-for counts, the same for the same seed', () => {
    const draw = (seed: number) =>
      drawNegatives(pool, 7, 1000, new Set(), { pool: 2, catalogue: 20 }, createRng(seed));
    const first = draw(4);
    expect(first.pool).toHaveLength(2);
    expect(first.catalogue).toHaveLength(20);
    expect(draw(4)).toEqual(first);
    expect(draw(5)).not.toEqual(first);
  });

  it('gives up on catalogue draws when nearly everything is excluded', () => {
    const drawn = drawNegatives([], 0, 3, new Set([1, 2]), { pool: 0, catalogue: 5 }, createRng(1));
    expect(drawn.catalogue).toEqual([]);
  });
});

describe('rankingCase', () => {
  it('puts every row through the serving scaler, negatives row-major', () => {
    const features = (item: number) => [item, 10 * item];
    const built = rankingCase(features, 2, { pool: [5, 1], catalogue: [7], positiveInPool: true });
    expect(Array.from(built.positive)).toEqual([2, 20]);
    expect(Array.from(built.poolNegatives)).toEqual([5, 50, 1, 10]);
    expect(Array.from(built.catalogueNegatives)).toEqual([7, 70]);
    expect(built.positiveInPool).toBe(true);
  });

  it('refuses rows of different widths', () => {
    const ragged = (item: number) => (item === 2 ? [1, 2] : [1]);
    expect(() => rankingCase(ragged, 2, { pool: [3], catalogue: [], positiveInPool: false })).toThrow(
      'width differs',
    );
  });
});
