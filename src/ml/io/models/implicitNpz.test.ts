import { describe, expect, it } from 'vitest';
import { readImplicitNpz } from './implicitNpz';
import { npyBytes, npzBytes } from './testSupport';

const itemFactors = [0.5, -1, 2, 0.25, 0, 3];

describe('readImplicitNpz', () => {
  it('reads item_factors as written, ids as row indices, the settings, and never the user factors', () => {
    for (const compressed of [false, true]) {
      const file = npzBytes(
        {
          item_factors: npyBytes([3, 2], itemFactors),
          user_factors: npyBytes([1, 2], [Number.NaN, 9]),
          factors: npyBytes([], [2], { descr: '<f8' }),
          regularization: npyBytes([], [0.01], { descr: '<f8' }),
        },
        compressed,
      );
      const model = readImplicitNpz(file, 'als.npz');
      expect(model.ids).toEqual(['0', '1', '2']);
      expect(model.rank).toBe(2);
      expect(Array.from(model.vectors)).toEqual(itemFactors);
      expect(model.settings).toEqual({ factors: 2, regularization: 0.01 });
      expect(model.format).toBe('implicit-npz');
    }
  });

  it('names rows by a manifest when one is given', () => {
    const file = npzBytes({ item_factors: npyBytes([3, 2], itemFactors) });
    const model = readImplicitNpz(file, 'als.npz', { itemTensor: 'item_factors', itemIds: ['a', null, 'c'] });
    expect(model.ids).toEqual(['a', 'c']);
    expect(Array.from(model.vectors)).toEqual([0.5, -1, 0, 3]);
  });

  it('refuses a zip without item_factors, a 1-D array, NaN factors, and a non-zip, saying what was expected', () => {
    expect(() => readImplicitNpz(npzBytes({ user_factors: npyBytes([1, 2], [1, 2]) }), 'x.npz')).toThrow(
      "x.npz: has no item_factors.npy; expected implicit's model.save() file",
    );
    expect(() => readImplicitNpz(npzBytes({ item_factors: npyBytes([2], [1, 2]) }), 'x.npz')).toThrow(
      'x.npz, item_factors: has shape (2); expected (items, factors)',
    );
    expect(() =>
      readImplicitNpz(npzBytes({ item_factors: npyBytes([1, 2], [1, Number.NaN]) }), 'x.npz'),
    ).toThrow(/row 0 holds NaN/);
    expect(() => readImplicitNpz(new Uint8Array([1, 2, 3]), 'x.npz')).toThrow(/not a readable \.npz/);
  });
});
