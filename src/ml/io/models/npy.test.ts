import { describe, expect, it } from 'vitest';
import { ModelImportError } from './itemFactors';
import { parseNpy } from './npy';
import { npyBytes } from './testSupport';

describe('parseNpy', () => {
  it('reads a float32 matrix in C order, in each header version', () => {
    for (const version of [1, 2, 3]) {
      const array = parseNpy(npyBytes([2, 3], [1, 2, 3, 4.5, -5, 0.25], { version }), 'a.npy');
      expect(array.shape).toEqual([2, 3]);
      expect(Array.from(array.values)).toEqual([1, 2, 3, 4.5, -5, 0.25]);
    }
  });

  it('reads float64 as float32 (0.1 rounds to the nearest float32)', () => {
    const array = parseNpy(npyBytes([1, 2], [0.1, 2], { descr: '<f8' }), 'a.npy');
    expect(Array.from(array.values)).toEqual([Math.fround(0.1), 2]);
  });

  it('refuses another dtype, Fortran order, a short data section and a non-npy file, saying what was expected', () => {
    expect(() => parseNpy(npyBytes([2], [1, 2], { descr: '<f2' }), 'a.npy')).toThrow(
      "a.npy: has dtype '<f2'; expected '<f4' (float32) or '<f8' (float64)",
    );
    expect(() => parseNpy(npyBytes([2, 2], [1, 2, 3, 4], { fortranOrder: true }), 'a.npy')).toThrow(
      /Fortran order/,
    );
    const short = npyBytes([2, 2], [1, 2, 3, 4]).slice(0, -1);
    expect(() => parseNpy(short, 'a.npy')).toThrow(
      "a.npy: holds 15 bytes of data; shape (2, 2) of '<f4' needs 16",
    );
    expect(() => parseNpy(new TextEncoder().encode('user,item\n1,2\n'), 'a.npy')).toThrow(ModelImportError);
  });
});
