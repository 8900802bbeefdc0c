import { describe, expect, it } from 'vitest';
import { fromSequences, type InteractionMatrix } from '../interactions';
import type { ItemAttributes } from '../io/itemAttributes';
import { createRng } from '../random';
import { attributeVectors, EaseRecommender, gramMatrix, sweepInPlace, sweepPivots } from './ease';

// Two users, two items:  u0: 0 1   u1: 0
// G = XᵀX = [[2, 1], [1, 1]]; with λ = 1, G + λI = [[3, 1], [1, 2]] (det 5) and
// P = (1/5)[[2, −1], [−1, 3]], so B_01 = −P_01 / P_11 = 1/3 and B_10 = −P_10 / P_00 = 1/2 —
// the one-variable ridge fits x1 ≈ b·x0: b = (x0·x1) / (x0·x0 + λ) = 1/3, and x0 ≈ b·x1: 1/(1 + 1).
const twoItems = fromSequences([[0, 1], [0]], 2);

/** A random binary user × item matrix (rows may repeat an item, as real histories do). */
function randomData(users: number, items: number, seed: number): InteractionMatrix {
  const random = createRng(seed);
  const rows = Array.from({ length: users }, () =>
    Array.from({ length: 1 + random.nextInt(5) }, () => random.nextInt(items)),
  );
  return fromSequences(rows, items);
}

/** Full symmetric matrix from the upper triangle. */
function symmetric(upper: Float64Array, n: number): number[][] {
  return Array.from({ length: n }, (_, i) =>
    Array.from({ length: n }, (_, j) => (i <= j ? upper[i * n + j] : upper[j * n + i])),
  );
}

describe('EASE', () => {
  it('matches the closed form worked by hand', async () => {
    const model = new EaseRecommender({ l2: 1 });
    await model.fit(twoItems);
    const from0 = model.scoreAll({ history: [0] });
    const from1 = model.scoreAll({ history: [1] });
    expect(from0[0]).toBe(0); // zero diagonal: an item never recommends itself
    expect(from0[1]).toBeCloseTo(1 / 3, 6);
    expect(from1[0]).toBeCloseTo(1 / 2, 6);
    expect(from1[1]).toBe(0);
  });

  it('sweeping every pivot leaves −A⁻¹ in the upper triangle', async () => {
    const n = 6;
    const random = createRng(3);
    const m = Array.from({ length: n }, () => Array.from({ length: n }, () => random.next() - 0.5));
    // A = MᵀM + I is symmetric positive definite
    const a = Array.from({ length: n }, (_, i) =>
      Array.from({ length: n }, (_, j) => m.reduce((sum, row) => sum + row[i] * row[j], i === j ? 1 : 0)),
    );
    const upper = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = i; j < n; j++) upper[i * n + j] = a[i][j];
    await sweepInPlace(upper, n);
    const negInverse = symmetric(upper, n);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        const product = a[i].reduce((sum, aik, k) => sum - aik * negInverse[k][j], 0);
        expect(product).toBeCloseTo(i === j ? 1 : 0, 10);
      }
    }
  });

  it('sweeps in blocks to the same matrix as one pivot at a time', async () => {
    const n = 11; // not a multiple of the block
    const random = createRng(8);
    const m = Array.from({ length: n + 3 }, () => Array.from({ length: n }, () => random.next() - 0.5));
    const upper = new Float64Array(n * n);
    for (let i = 0; i < n; i++) {
      for (let j = i; j < n; j++)
        upper[i * n + j] = m.reduce((sum, row) => sum + row[i] * row[j], i === j ? 0.5 : 0);
    }
    const onePivot = upper.slice();
    sweepPivots(onePivot, n);
    for (const block of [1, 3, 4, 11, 48]) {
      const blocked = upper.slice();
      await sweepInPlace(blocked, n, undefined, block);
      for (let i = 0; i < n; i++) {
        for (let j = i; j < n; j++) expect(blocked[i * n + j]).toBeCloseTo(onePivot[i * n + j], 10);
      }
    }
  });

  it('satisfies the ridge optimality conditions off the diagonal: ((G + λI)B)_ij = G_ij', async () => {
    const data = randomData(40, 9, 11);
    const l2 = 2.5;
    const model = new EaseRecommender({ l2 });
    await model.fit(data);
    const n = data.itemCount;
    const g = symmetric(gramMatrix(data), n);
    const b = Array.from({ length: n }, (_, h) => Array.from(model.scoreAll({ history: [h] })));
    for (let i = 0; i < n; i++) {
      expect(b[i][i]).toBe(0);
      for (let j = 0; j < n; j++) {
        if (i === j) continue;
        const lhs = g[i].reduce((sum, gik, k) => sum + (gik + (i === k ? l2 : 0)) * b[k][j], 0);
        expect(lhs).toBeCloseTo(g[i][j], 4);
      }
    }
  });

  it('counts an item met twice once, in the Gram matrix and in a history', async () => {
    expect(Array.from(gramMatrix(fromSequences([[0, 0, 1]], 2)))).toEqual([1, 1, 0, 1]);
    const model = new EaseRecommender({ l2: 1 });
    await model.fit(twoItems);
    expect(model.scoreAll({ history: [0, 0] })).toEqual(model.scoreAll({ history: [0] }));
  });

  it('ties items through shared attributes only when attributeWeight > 0', async () => {
    // items 0 and 1 are never met together; both carry tag "a", item 2 carries "b"
    const data = fromSequences([[0, 2], [1], [2]], 3);
    const attributes: ItemAttributes = {
      offsets: Uint32Array.from([0, 1, 2, 3]),
      attributeIds: Int32Array.from([0, 0, 1]),
      counts: Float32Array.from([1, 1, 1]),
      attributeNames: ['a', 'b'],
      itemsCovered: 3,
      itemsUnknown: 0,
    };
    const plain = new EaseRecommender({ l2: 1 }, attributes);
    await plain.fit(data);
    expect(plain.scoreAll({ history: [0] })[1]).toBeCloseTo(0, 6);
    const tagged = new EaseRecommender({ l2: 1, attributeWeight: 2 }, attributes);
    await tagged.fit(data);
    expect(tagged.scoreAll({ history: [0] })[1]).toBeGreaterThan(0.1);
    expect(() => new EaseRecommender({ attributeWeight: 1 })).toThrow(/needs item attributes/);
  });

  it('weighs attributes by tf-idf, every item vector of unit length', () => {
    // item 0: a ×1; item 1: a ×1, b ×3; item 2: b ×1. Both tags sit on 2 of 3 items, so the idf
    // is the same and cancels: item 1 is (log 2, log 4) / |·| = (1, 2) / √5.
    const vectors = attributeVectors({
      offsets: Uint32Array.from([0, 1, 3, 4]),
      attributeIds: Int32Array.from([0, 0, 1, 1]),
      counts: Float32Array.from([1, 1, 3, 1]),
      attributeNames: ['a', 'b'],
      itemsCovered: 3,
      itemsUnknown: 0,
    });
    expect(Array.from(vectors).map((v) => Number(v.toFixed(6)))).toEqual([
      1,
      Number((1 / Math.sqrt(5)).toFixed(6)),
      Number((2 / Math.sqrt(5)).toFixed(6)),
      1,
    ]);
  });

  it('refuses a catalogue above maxItems, naming the limit', async () => {
    const model = new EaseRecommender({ maxItems: 1 });
    await expect(model.fit(twoItems)).rejects.toThrow(/at most 1 items \(this data has 2\)/);
  });

  it('stops when cancelled', async () => {
    const controller = new AbortController();
    controller.abort();
    const model = new EaseRecommender();
    await expect(model.fit(randomData(50, 200, 1), { signal: controller.signal })).rejects.toThrow(/abort/i);
    // a catalogue inside one block is checked before the fit starts
    await expect(new EaseRecommender().fit(twoItems, { signal: controller.signal })).rejects.toThrow(
      /abort/i,
    );
  });

  it('saves and loads to the same scores, and ranks neighbours by its weights', async () => {
    const data = randomData(30, 7, 5);
    const model = new EaseRecommender({ l2: 3 });
    await model.fit(data);
    const copy = new EaseRecommender();
    copy.load(model.save());
    expect(copy.scoreAll({ history: [1, 4] })).toEqual(model.scoreAll({ history: [1, 4] }));
    expect(copy.config.l2).toBe(3);
    const row = model.scoreAll({ history: [2] });
    const similar = model.similarItems(2, 3);
    expect(similar.map((s) => s.item)).not.toContain(2);
    for (const { item, score } of similar) expect(score).toBe(row[item]);
  });
});
