import { describe, expect, it } from 'vitest';
import type { ImportedItemFactors } from '../../ml/io/models/itemFactors';
import { hitRateAndNdcg, type HeldOutPlayer } from './heldOut';
import {
  alignToCatalog,
  compareWithStoreMf,
  comparisonVerdict,
  ImportedItemSpace,
  importedModelView,
} from './importedCommunityModel';
import type { ImportedModelComparison } from './protocol';
import { communityItemVectors } from './communityUpdate';
import type { LearnedModels } from '../../recs/scoreSources';

/** Four rows of rank 2: two are games of the catalog below, two (999, 440) are not. */
const factors: ImportedItemFactors = {
  format: 'spark-als',
  ids: ['730', '570', '999', '440'],
  vectors: Float32Array.of(1, 0, 0, 1, 5, 5, 1, 1),
  rank: 2,
  architecture: 'mf',
  settings: {},
};
/** the catalog's Steam app ids in catalog order: 570 first, 730 second, 10 has no row */
const catalogIds = ['570', '730', '10'];

describe('alignToCatalog', () => {
  it('lays the rows out by Steam app id and counts matched, missing and unknown', () => {
    const aligned = alignToCatalog(factors, catalogIds);
    expect(Array.from(aligned.vectors)).toEqual([0, 1, 1, 0, 0, 0]);
    expect(Array.from(aligned.present)).toEqual([1, 1, 0]);
    expect({ matched: aligned.matched, missing: aligned.missing, unknown: aligned.unknown }).toEqual({
      matched: 2,
      missing: 1,
      unknown: 2,
    });
  });

  it('refuses a model of another architecture and one with no game of the store, saying what it expected', () => {
    expect(() => alignToCatalog({ ...factors, architecture: 'sasrec' }, catalogIds)).toThrow(
      'the picked files: hold a sasrec model; the store\'s community model is matrix factorisation (architecture "mf")',
    );
    expect(() => alignToCatalog(factors, ['1', '2'])).toThrow(
      'have 4 item ids and none is a game of this store; ids must be Steam app ids (e.g. 730)',
    );
  });
});

describe('ImportedItemSpace', () => {
  // items 0 = (1, 0), 1 = (0, 1), 2 = (1, 1)
  const space = new ImportedItemSpace({ vectors: Float32Array.of(1, 0, 0, 1, 1, 1), rank: 2 });

  it('folds the shopper in by ridge least squares and scores every game', () => {
    // YᵀY + .1 I + y0 y0ᵀ = [[3.1, 1], [1, 2.1]], right side 2·y0 = (2, 0), determinant 5.51:
    // u = (4.2, −2) / 5.51; scores u·y = .76225, −.36298, .39927
    const scores = space.scoreAll({ history: [0], weights: [1] });
    expect(scores[0]).toBeCloseTo(4.2 / 5.51, 5);
    expect(scores[1]).toBeCloseTo(-2 / 5.51, 5);
    expect(scores[2]).toBeCloseTo(2.2 / 5.51, 5);
  });

  it('gives cosines of the item vectors', () => {
    expect(space.cosine(0, 2)).toBeCloseTo(Math.SQRT1_2, 6);
    expect(space.cosine(0, 1)).toBe(0);
    const all = Array.from(space.cosineToAll(0));
    expect(all[0]).toBeCloseTo(1, 6);
    expect(all[1]).toBe(0);
    expect(all[2]).toBeCloseTo(Math.SQRT1_2, 6);
  });
});

describe("the shopper's community update", () => {
  it("is computed on the imported vectors when they stand in MF's place", () => {
    const vectors = Float32Array.of(1, 0, 0, 1, 1, 1);
    const learned = { mf: new ImportedItemSpace({ vectors, rank: 2 }) } as unknown as LearnedModels;
    const used = communityItemVectors(learned, 3);
    expect(used.vectors).toBe(vectors);
    expect(used.dimension).toBe(2);
    expect(used.basis).toContain('imported');
  });
});

describe('compareWithStoreMf', () => {
  // 13 games; both players own game 0; A's next game is 1, B's is 2
  const players: HeldOutPlayer[] = [
    { user: 0, history: [0], weights: [1], target: 1 },
    { user: 1, history: [0], weights: [1], target: 2 },
  ];
  const scores = (values: Record<number, number>) => {
    const all = new Float32Array(13);
    for (const [item, value] of Object.entries(values)) all[Number(item)] = value;
    return all;
  };
  // imported: A's target first (NDCG 1); B's second behind game 1 (1/log2 3 = .6309)
  const imported = (p: HeldOutPlayer) => (p.user === 0 ? scores({ 1: 10 }) : scores({ 1: 10, 2: 5 }));
  // the store's MF: A's target below the ten others (a miss), B's first
  const storeMf = (p: HeldOutPlayer) => (p.user === 0 ? scores({ 1: -1 }) : scores({ 2: 10 }));

  it('measures both on the same players by the MF card rule, with the paired difference', () => {
    const comparison = compareWithStoreMf(players, imported, storeMf, 3);
    const ndcgB = 1 / Math.log2(3);
    expect(comparison.players).toBe(2);
    expect(comparison.imported.hr.mean).toBe(1);
    expect(comparison.imported.ndcg.mean).toBeCloseTo((1 + ndcgB) / 2, 6);
    expect(comparison.storeMf.hr.mean).toBe(0.5);
    expect(comparison.storeMf.ndcg.mean).toBe(0.5);
    // the MF card's own numbers are these means
    expect(hitRateAndNdcg(players, imported)).toEqual({
      hitRate: comparison.imported.hr.mean,
      ndcg: comparison.imported.ndcg.mean,
    });
    // per player: 1 − 0 and .6309 − 1; the interval lies between them
    expect(comparison.difference.mean).toBeCloseTo((1 + ndcgB - 1) / 2, 6);
    expect(comparison.difference.lower).toBeGreaterThanOrEqual(ndcgB - 1 - 1e-9);
    expect(comparison.difference.upper).toBeLessThanOrEqual(1 + 1e-9);
    expect(comparison.difference.confidence).toBe(0.95);
    expect(comparisonVerdict(comparison)).toBe('tie');
  });
});

describe('comparisonVerdict', () => {
  const interval = (lower: number, upper: number) => ({
    mean: (lower + upper) / 2,
    lower,
    upper,
    confidence: 0.95,
  });
  const withDifference = (lower: number, upper: number) =>
    ({ difference: interval(lower, upper) }) as ImportedModelComparison;

  it('names a winner only when the paired interval leaves out zero', () => {
    expect(comparisonVerdict(withDifference(0.01, 0.05))).toBe('imported');
    expect(comparisonVerdict(withDifference(-0.05, -0.01))).toBe('storeMf');
    expect(comparisonVerdict(withDifference(-0.01, 0.02))).toBe('tie');
  });
});

describe('importedModelView', () => {
  it('carries the provenance and the alignment counts', () => {
    const aligned = alignToCatalog(factors, catalogIds);
    const view = importedModelView(
      {
        slot: 'store',
        factors,
        source: 'Spark MLlib ALS 3.5.1',
        importedAt: 5,
        files: [{ name: 'part-00000', bytes: 9, sha256: 'f'.repeat(64) }],
      },
      aligned,
      null,
    );
    expect(view).toMatchObject({
      format: 'spark-als',
      rank: 2,
      fileItems: 4,
      matched: 2,
      missing: 1,
      unknown: 2,
    });
    expect(view.heldOut).toBeNull();
  });
});
