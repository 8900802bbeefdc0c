import { describe, expect, it } from 'vitest';
import { clipUpdate, shareableUpdate, updateNorm, type RowUpdate } from './shareableUpdate';

const catalog = Array.from({ length: 50 }, (_, i) => `game-${i}`);

/** A 3-4-5 update: rows (3, 0) and (0, 4), L2 norm 5 over both rows together. */
const threeFourFive: RowUpdate<string> = new Map([
  ['game-1', [3, 0]],
  ['game-2', [0, 4]],
]);

function mean(values: readonly number[]): number {
  return values.reduce((sum, value) => sum + value, 0) / values.length;
}

function standardDeviation(values: readonly number[]): number {
  const centre = mean(values);
  return Math.sqrt(values.reduce((sum, value) => sum + (value - centre) ** 2, 0) / (values.length - 1));
}

describe('updateNorm and clipUpdate', () => {
  it('measures the norm over all rows together', () => {
    expect(updateNorm(threeFourFive)).toBe(5);
  });

  it('scales a long update to exactly C, every row by the same factor', () => {
    // C = 1, norm 5: scale 1/5, rows (0.6, 0) and (0, 0.8), whose norm is 1
    const { rows, scale, norm } = clipUpdate(threeFourFive, 1);
    expect(norm).toBe(5);
    expect(scale).toBeCloseTo(0.2, 15);
    expect(rows.get('game-1')?.[0]).toBeCloseTo(0.6, 15);
    expect(rows.get('game-1')?.[1]).toBe(0);
    expect(rows.get('game-2')?.[1]).toBeCloseTo(0.8, 15);
    expect(updateNorm(rows)).toBeCloseTo(1, 15);
  });

  it('leaves an update at or under C unchanged, as a copy', () => {
    for (const clipNorm of [5, 10]) {
      const { rows, scale } = clipUpdate(threeFourFive, clipNorm);
      expect(scale).toBe(1);
      expect(rows).toEqual(threeFourFive);
      expect(rows.get('game-1')).not.toBe(threeFourFive.get('game-1'));
    }
  });

  it('rejects a clipping norm that is not positive', () => {
    expect(() => clipUpdate(threeFourFive, 0)).toThrow(/clipping norm must be a finite number > 0/);
  });
});

describe('shareableUpdate', () => {
  const options = { clipNorm: 1, noiseMultiplier: 1.1, catalog, pseudoItemCount: 6, seed: 42 };

  it('shares every touched row plus k untouched pseudo-items', () => {
    const shared = shareableUpdate(threeFourFive, options);
    const ids = [...shared.rows.keys()];
    expect(ids).toHaveLength(2 + 6);
    expect(shared.pseudoItemCount).toBe(6);
    expect(ids).toEqual(expect.arrayContaining(['game-1', 'game-2']));
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(catalog).toContain(id);
    expect(shared.normBeforeClipping).toBe(5);
    expect(shared.clipScale).toBeCloseTo(0.2, 15);
    expect(shared.noiseStdDev).toBeCloseTo(1.1, 15);
  });

  it('without noise, shares the clipped rows as they are and zero pseudo rows', () => {
    const shared = shareableUpdate(threeFourFive, { ...options, noiseMultiplier: 0 });
    expect(shared.rows.get('game-1')?.[0]).toBeCloseTo(0.6, 15);
    expect(shared.rows.get('game-2')?.[1]).toBeCloseTo(0.8, 15);
    const pseudoRows = [...shared.rows].filter(([id]) => !threeFourFive.has(id));
    expect(pseudoRows).toHaveLength(6);
    for (const [, row] of pseudoRows) expect(row).toEqual([0, 0]);
  });

  it('adds noise of mean 0 and standard deviation z·C to touched and pseudo rows alike', () => {
    // C = 2, z = 1.5 → σ = 3. One touched row of 0.001s (norm 0.2, under C, so unclipped) plus 19
    // pseudo rows, 2000 coordinates each: 40 000 draws. The sample mean's standard error is
    // 3/√40000 = 0.015, so |mean| < 0.075 is 5 standard errors; the sample SD's is about
    // 3/√80000 ≈ 0.011, so 2% (0.06) is over 5 of those.
    const dimension = 2000;
    const touched: RowUpdate<string> = new Map([['game-0', new Array<number>(dimension).fill(0.001)]]);
    const shared = shareableUpdate(touched, {
      clipNorm: 2,
      noiseMultiplier: 1.5,
      catalog,
      pseudoItemCount: 19,
      seed: 7,
    });
    const noise: number[] = [];
    for (const [id, row] of shared.rows) {
      const original = touched.get(id);
      row.forEach((value, i) => noise.push(value - (original ? original[i] : 0)));
    }
    expect(noise).toHaveLength(20 * dimension);
    expect(Math.abs(mean(noise))).toBeLessThan(0.075);
    expect(Math.abs(standardDeviation(noise) - 3)).toBeLessThan(0.06);
  });

  it('is the same for a seed and different across seeds', () => {
    const entries = (seed: number): [string, number[]][] => [
      ...shareableUpdate(threeFourFive, { ...options, seed }).rows,
    ];
    expect(entries(42)).toEqual(entries(42));
    expect(entries(43)).not.toEqual(entries(42));
  });

  it('shuffles the rows, so position does not tell touched rows from pseudo ones', () => {
    // Were the touched rows always first, the order would give them away; over 20 seeds the
    // first row must sometimes be a pseudo-item (chance it never is: (2/8)^20 ≈ 1e-12).
    const firstIds = Array.from(
      { length: 20 },
      (_, seed) => [...shareableUpdate(threeFourFive, { ...options, seed }).rows.keys()][0],
    );
    expect(firstIds.some((id) => !threeFourFive.has(id))).toBe(true);
  });

  it('adds fewer pseudo-items when the catalogue runs out of untouched ones', () => {
    const small = shareableUpdate(threeFourFive, {
      ...options,
      catalog: ['game-1', 'game-2', 'game-3'],
      pseudoItemCount: 5,
    });
    expect(small.pseudoItemCount).toBe(1);
    expect([...small.rows.keys()].sort()).toEqual(['game-1', 'game-2', 'game-3']);
  });

  it('shares pseudo rows only, of the given dimension, for an empty update', () => {
    const shared = shareableUpdate(new Map<string, number[]>(), { ...options, dimension: 3 });
    expect(shared.rows.size).toBe(6);
    for (const row of shared.rows.values()) expect(row).toHaveLength(3);
    expect(shared.normBeforeClipping).toBe(0);
    expect(shared.clipScale).toBe(1);
  });

  it('explains bad input instead of sharing something wrong', () => {
    const ragged = new Map([
      ['game-1', [1, 2]],
      ['game-2', [1]],
    ]);
    expect(() => shareableUpdate(ragged, options)).toThrow(/Row game-2 has 1 values where the others have 2/);
    expect(() => shareableUpdate(new Map([['game-1', [Number.NaN]]]), options)).toThrow(
      /not a finite number/,
    );
    expect(() => shareableUpdate(new Map<string, number[]>(), options)).toThrow(
      /empty update needs its row dimension/,
    );
    expect(() => shareableUpdate(threeFourFive, { ...options, noiseMultiplier: -1 })).toThrow(
      /noise multiplier/,
    );
    expect(() => shareableUpdate(threeFourFive, { ...options, pseudoItemCount: 1.5 })).toThrow(
      /pseudo-item count/,
    );
  });
});
