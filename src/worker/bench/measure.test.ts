import { describe, expect, it } from 'vitest';
import { fromSequences } from '../../ml/interactions';
import {
  evenlySpaced,
  extrapolateEpochSeconds,
  quantile,
  selectUsers,
  snapshotBytes,
  steadyEpochSeconds,
  syntheticEventItem,
} from './measure';

describe('benchmark measurements', () => {
  it('interpolates quantiles between order statistics', () => {
    const values = [5, 1, 4, 2, 3];
    expect(quantile(values, 0.5)).toBe(3);
    expect(quantile(values, 0)).toBe(1);
    expect(quantile(values, 1)).toBe(5);
    expect(quantile([1, 2], 0.95)).toBeCloseTo(1.95);
    expect(quantile([], 0.5)).toBeNaN();
  });

  it('spreads a slice over the whole range', () => {
    expect([...evenlySpaced(10, 5)]).toEqual([0, 2, 4, 6, 8]);
    expect([...evenlySpaced(3, 5)]).toEqual([0, 1, 2]);
  });

  it('keeps the chosen users rows and the whole catalogue', () => {
    const matrix = fromSequences([[0, 1], [2], [3, 4, 5]], 7);
    const slice = selectUsers(matrix, Int32Array.from([0, 2]));
    expect(slice.userCount).toBe(2);
    expect(slice.itemCount).toBe(7);
    expect([...slice.userOffsets]).toEqual([0, 2, 5]);
    expect([...slice.items]).toEqual([0, 1, 3, 4, 5]);
  });

  it('leaves the first (compiling) epoch out when later ones exist, and scales partial epochs', () => {
    expect(steadyEpochSeconds([10, 2, 4])).toBe(3);
    expect(steadyEpochSeconds([10])).toBe(10);
    expect(extrapolateEpochSeconds(2, 100, 1000)).toBe(20);
  });

  it('weighs a snapshot as its arrays plus its JSON config', () => {
    const bytes = snapshotBytes({ name: 'mf', config: { a: 1 }, arrays: { x: new Float32Array(4) } });
    expect(bytes).toBe(16 + '{"a":1}'.length);
  });

  it('picks the same in-range event item for a user every time', () => {
    for (let user = 0; user < 50; user++) {
      const item = syntheticEventItem(user, 13);
      expect(item).toBe(syntheticEventItem(user, 13));
      expect(item).toBeGreaterThanOrEqual(0);
      expect(item).toBeLessThan(13);
    }
  });
});
