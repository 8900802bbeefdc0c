// The pure parts of data-parallel training: the split by rows, the count-weighted combination
// (worked by hand), the dropout masks of a part, and the seed list.
import { describe, expect, it } from 'vitest';
import { dropoutMaskOf, maskValues } from '../kernels/dropoutMask';
import {
  combinePartGradients,
  paramChecksum,
  seedListRng,
  splitBatchRows,
  type PartGradients,
} from './dataParallel';
import type { SequenceBatch } from './sampling';

const batchOf3x2: SequenceBatch = {
  batchSize: 3,
  columns: 2,
  inputs: Int32Array.of(0, 1, 2, 3, 4, 5),
  targets: Int32Array.of(1, 2, 3, 4, 5, 6),
  negatives: Int32Array.of(7, 8, 9, 10, 11, 12),
  targetWeights: Float32Array.of(0, 1, 1, 1, 1, 1),
};

describe('splitBatchRows', () => {
  it('splits 3 rows into 2 + 1, keeping the columns and each part first row', () => {
    const [first, second] = splitBatchRows(batchOf3x2, 2);
    expect(first.firstRow).toBe(0);
    expect(first.batch.batchSize).toBe(2);
    expect(first.batch.columns).toBe(2);
    expect(Array.from(first.batch.inputs)).toEqual([0, 1, 2, 3]);
    expect(Array.from(first.batch.targetWeights)).toEqual([0, 1, 1, 1]);
    expect(second.firstRow).toBe(2);
    expect(second.batch.batchSize).toBe(1);
    expect(Array.from(second.batch.targets)).toEqual([5, 6]);
    expect(Array.from(second.batch.negatives)).toEqual([11, 12]);
  });

  it('refuses more parts than rows', () => {
    expect(() => splitBatchRows(batchOf3x2, 4)).toThrow(/3 rows into 4 parts/);
  });
});

describe('combinePartGradients', () => {
  // part A: 1 target, mean loss 2; part B: 3 targets, mean loss 5. The whole batch's mean is
  // (1·2 + 3·5) / 4 = 4.25 (a plain average of the parts would say 3.5).
  const partA: PartGradients = {
    loss: 2,
    weight: 1,
    rows: { table: Int32Array.of(5, 7) },
    gradients: { table: Float32Array.of(1, 1, 2, 2), dense: Float32Array.of(1, 2) },
  };
  const partB: PartGradients = {
    loss: 5,
    weight: 3,
    rows: { table: Int32Array.of(7, 9) },
    gradients: { table: Float32Array.of(4, 4, 8, 8), dense: Float32Array.of(3, 6) },
  };

  it('weights each part by its share of the target weights', () => {
    const combined = combinePartGradients([partA, partB]);
    expect(combined.loss).toBe(4.25);
    // dense: ¼·[1, 2] + ¾·[3, 6] = [2.5, 5]
    expect(Array.from(combined.gradients.dense)).toEqual([2.5, 5]);
    // rows 5 (A only), 7 (both: ¼·2 + ¾·4 = 3.5), 9 (B only: ¾·8 = 6)
    expect(Array.from(combined.rows.table)).toEqual([5, 7, 9]);
    expect(Array.from(combined.gradients.table)).toEqual([0.25, 0.25, 3.5, 3.5, 6, 6]);
    expect(combined.rows.dense).toBeUndefined();
  });

  it('leaves out a part without targets (its mean is 0 / 0 = NaN) but keeps its rows, at zero', () => {
    const empty: PartGradients = {
      loss: NaN,
      weight: 0,
      rows: { table: Int32Array.of(7, 11) },
      gradients: { table: Float32Array.of(NaN, NaN, NaN, NaN), dense: Float32Array.of(NaN, NaN) },
    };
    const combined = combinePartGradients([partA, empty]);
    expect(combined.loss).toBe(2);
    expect(Array.from(combined.gradients.dense)).toEqual([1, 2]);
    // rows 5 and 7 are A's alone; row 11, touched only by the empty part, gets 0
    expect(Array.from(combined.rows.table)).toEqual([5, 7, 11]);
    expect(Array.from(combined.gradients.table)).toEqual([1, 1, 2, 2, 0, 0]);
  });

  it('refuses parts without targets or of different parameters', () => {
    expect(() => combinePartGradients([{ ...partA, weight: 0 }])).toThrow(/sum to 0/);
    expect(() =>
      combinePartGradients([partA, { ...partB, gradients: { table: partB.gradients.table } }]),
    ).toThrow(/no gradient for "dense"/);
    expect(() =>
      combinePartGradients([
        partA,
        { ...partB, gradients: { ...partB.gradients, table: Float32Array.of(1) } },
      ]),
    ).toThrow(/1 values for 2 rows/);
  });
});

describe('paramChecksum', () => {
  it('hashes the exact bits, names in sorted order', () => {
    // no parameters: FNV-1a's offset basis
    expect(paramChecksum({})).toBe(0x811c9dc5);
    // one word 0 (0.0f), then the length 1: (basis · p) then ((that ^ 1) · p), p = 16777619, mod 2^32
    const p = 16777619n;
    const expected = Number(((((0x811c9dc5n * p) % 2n ** 32n) ^ 1n) * p) % 2n ** 32n);
    expect(paramChecksum({ a: Float32Array.of(0) })).toBe(expected);
    const ab = paramChecksum({ a: Float32Array.of(1, 2), b: Float32Array.of(3) });
    expect(paramChecksum({ b: Float32Array.of(3), a: Float32Array.of(1, 2) })).toBe(ab);
    // −0 and 0 differ in one bit; so do 1 and the next float32 up
    expect(paramChecksum({ a: Float32Array.of(-0) })).not.toBe(expected);
    expect(paramChecksum({ a: Float32Array.of(1 + 2 ** -23, 2), b: Float32Array.of(3) })).not.toBe(ab);
  });
});

describe("a part's dropout masks", () => {
  it('are the whole mask from the part first entry on', () => {
    const whole = maskValues(dropoutMaskOf(77, 0.7), 64);
    for (const firstEntry of [1, 20, 40]) {
      const part = maskValues(dropoutMaskOf(77, 0.7, firstEntry), 64 - firstEntry);
      expect(Array.from(part)).toEqual(Array.from(whole.subarray(firstEntry)));
    }
    // and not some other stream: entry 0 of the part at 20 is not in general entry 0 of the whole
    expect(Array.from(maskValues(dropoutMaskOf(77, 0.7, 20), 20))).not.toEqual(
      Array.from(whole.subarray(0, 20)),
    );
  });
});

describe('seedListRng', () => {
  it('hands out the given seeds in order, then refuses', () => {
    const rng = seedListRng([11, 22]);
    expect([rng.nextSeed(), rng.nextSeed()]).toEqual([11, 22]);
    expect(rng.used).toBe(2);
    expect(() => rng.nextSeed()).toThrow(/more than the step's 2/);
    expect(() => rng.next()).toThrow(/only its step dropout seeds/);
  });
});
