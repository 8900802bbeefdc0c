import { describe, expect, it } from 'vitest';
import { fromSequences } from '../interactions';
import { foldInUser, gramOf, ImportedRecommender } from './imported';

describe('foldInUser', () => {
  it('solves the ridge least squares by hand: rank 1', () => {
    // y = [1, 2]; YᵀY = 5; λ = 1, α = 1, history [1]: (5 + 1 + 1·2²) u = (1 + 1)·2 → u = 0.4
    const items = { vectors: Float32Array.from([1, 2]), rank: 1 };
    const u = foldInUser(items, gramOf(items), { history: [1] }, { regularization: 1, alpha: 1 });
    expect(u[0]).toBeCloseTo(0.4, 12);
  });

  it('solves it by hand: rank 2, a weight and a repeat', () => {
    // y0 = [1, 0], y1 = [0, 1]: YᵀY = I; λ = 0.5, α = 2; history [0, 0] with weights 1 and 0.5:
    // extra confidence 2·1 + 2·0.5 = 3 → (I + 0.5 I + 3·e0e0ᵀ) u = 4·e0 → u = [4 / 4.5, 0]
    const items = { vectors: Float32Array.from([1, 0, 0, 1]), rank: 2 };
    const u = foldInUser(
      items,
      gramOf(items),
      { history: [0, 0], weights: [1, 0.5] },
      { regularization: 0.5, alpha: 2 },
    );
    expect(u[0]).toBeCloseTo(4 / 4.5, 12);
    expect(u[1]).toBe(0);
  });
});

describe('ImportedRecommender', () => {
  const vectors = Float32Array.from([1, 0, 0.9, 0.1, 0, 1, 0, 0]); // item 3 had no vector in the file
  const data = fromSequences([[0, 1], [2]], 4);

  it('scores by the folded-in vector and finds neighbours by cosine, none for an item without a vector', async () => {
    const model = new ImportedRecommender({ regularization: 0.1, alpha: 1 }, { vectors, rank: 2 });
    await model.fit(data);
    // YᵀY + 0.1 I + y0y0ᵀ = [[2.91, 0.09], [0.09, 1.11]], rhs 2·y0 = [2, 0]; determinant 3.222:
    // u = [2 · 1.11, −0.09 · 2] / 3.222 = [0.68901, −0.05587]. Item 2 (only on the other axis)
    // scores below item 3, which has no vector: the solve explains item 0 away from axis 1.
    const scores = model.scoreAll({ history: [0] });
    expect(scores[1]).toBeCloseTo(0.9 * 0.68901 + 0.1 * -0.05587, 4);
    expect(scores[2]).toBeCloseTo(-0.05587, 4);
    expect(model.recommend({ history: [0] }, 3, { exclude: new Set([0]) }).map((r) => r.item)).toEqual([
      1, 3, 2,
    ]);
    expect(model.similarItems(0, 1)[0].item).toBe(1);
    expect(model.similarItems(3, 2)).toEqual([]);
    expect(Array.from(model.scoreAll({ history: [] }))).toEqual([0, 0, 0, 0]);
  });

  it('refuses to run without vectors, or with vectors for another number of items, saying so', async () => {
    await expect(new ImportedRecommender().fit(data)).rejects.toThrow(/pick a model file/);
    const short = new ImportedRecommender({}, { vectors: vectors.subarray(0, 6), rank: 2 });
    await expect(short.fit(data)).rejects.toThrow('imported: the vectors cover 3 items, the data has 4');
  });
});
