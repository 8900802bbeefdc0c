import { describe, expect, it } from 'vitest';
import { alignItemFactors, describeAlignment, type ImportedItemFactors } from './itemFactors';
import { parseManifest } from './manifest';

const factors: ImportedItemFactors = {
  format: 'spark-als',
  architecture: 'mf',
  ids: ['7', '3', '99'],
  vectors: Float32Array.from([1, 2, 3, 4, 5, 6]),
  rank: 2,
  settings: {},
};

describe('alignItemFactors', () => {
  it("lays the file's rows on the dataset's items, zero for the missing, counting both sides", () => {
    const aligned = alignItemFactors(factors, ['3', '5', '7']);
    expect(Array.from(aligned.vectors)).toEqual([3, 4, 0, 0, 1, 2]);
    expect(Array.from(aligned.present)).toEqual([1, 0, 1]);
    expect(aligned).toMatchObject({ matched: 2, missing: 1, unknown: 1 });
    expect(describeAlignment(aligned, 3)).toBe(
      "2 of 3 items matched; 1 have no vector in the file (they score 0); 1 of the file's rows are not items here (left out).",
    );
  });
});

describe('parseManifest', () => {
  const valid = {
    format: 'aisle-model',
    version: 1,
    architecture: 'mf',
    source: 'PyTorch',
    itemTensor: 'item.weight',
    itemIds: ['1', null],
    config: { dim: 8 },
  };
  it('accepts the documented schema and refuses a mistyped field by name', () => {
    expect(parseManifest(JSON.stringify(valid))).toEqual(valid);
    expect(() => parseManifest(JSON.stringify({ ...valid, architecture: 'bert4rec' }))).toThrow(
      'manifest: expected "architecture": "mf", "sasrec" or "gru"',
    );
    expect(() => parseManifest(JSON.stringify({ ...valid, itemIds: [1, 2] }))).toThrow(/"itemIds"/);
    expect(() => parseManifest(JSON.stringify({ ...valid, config: { dim: [8] } }))).toThrow(
      'config.dim must be',
    );
    expect(() => parseManifest('not json')).toThrow('manifest: is not JSON');
  });
});
