import { describe, expect, it } from 'vitest';
import { fromSequences } from '../../interactions';
import { leaveOneOutSplit } from '../../eval/splits';
import { recboleAtomicFiles, recboleDatasetName, recboleHeader } from './recbole';

const header = recboleHeader + '\n';

describe('recboleAtomicFiles', () => {
  // u1: a b a c (a repeated), u2: b c, u3: c (one item: training only)
  const matrix = fromSequences([[0, 1, 0, 2], [1, 2], [2]], 3);
  const source = { userIds: ['u1', 'u2', 'u3'], itemIds: ['a', 'b', 'c'], matrix };

  it('writes leave-one-out as train / valid / test with each row’s position as its time', () => {
    const files = recboleAtomicFiles(source, leaveOneOutSplit(matrix), 'toy');
    expect(files.map((file) => file.name)).toEqual([
      'toy.inter',
      'toy.train.inter',
      'toy.valid.inter',
      'toy.test.inter',
    ]);
    const [whole, train, valid, test] = files.map((file) => file.text);
    expect(whole).toBe(header + 'u1\ta\t0\nu1\tb\t1\nu1\ta\t2\nu1\tc\t3\nu2\tb\t0\nu2\tc\t1\nu3\tc\t0\n');
    // u1 trains on a b, validates on the second a, is tested on c; u2 has no validation item
    expect(train).toBe(header + 'u1\ta\t0\nu1\tb\t1\nu2\tb\t0\nu3\tc\t0\n');
    expect(valid).toBe(header + 'u1\ta\t2\n');
    expect(test).toBe(header + 'u1\tc\t3\nu2\tc\t1\n');
  });

  it('carries the dataset’s timestamps and writes a header-only valid file without a validation fold', () => {
    const timed = { ...source, timestamps: Float64Array.from([10, 20, 30, 40.5, 5, 6, 7]) };
    const split = leaveOneOutSplit(matrix);
    const [, train, valid, test] = recboleAtomicFiles(timed, { ...split, validation: undefined }, 'toy').map(
      (file) => file.text,
    );
    expect(train).toBe(header + 'u1\ta\t10\nu1\tb\t20\nu2\tb\t5\nu3\tc\t7\n');
    expect(valid).toBe(header);
    expect(test).toBe(header + 'u1\tc\t40.5\nu2\tc\t6\n');
  });

  it('refuses an id that would break a tab-separated line', () => {
    const bad = { ...source, itemIds: ['a', 'b\tx', 'c'] };
    expect(() => recboleAtomicFiles(bad, leaveOneOutSplit(matrix), 'toy')).toThrow(
      'item id "b\\tx" holds a tab or line break',
    );
  });
});

describe('recboleDatasetName', () => {
  it('keeps a file name’s stem in letters, digits, _ and -', () => {
    expect(recboleDatasetName('LastFM.txt')).toBe('LastFM');
    expect(recboleDatasetName('dir/my data (1).inter')).toBe('my_data_1');
    expect(recboleDatasetName('...')).toBe('aisle');
  });
});
