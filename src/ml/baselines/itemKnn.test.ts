import { describe, expect, it } from 'vitest';
import { fromSequences, type InteractionMatrix } from '../interactions';
import { BestNeighbours, buildNeighbourTable, ItemKnnRecommender, type ItemKnnConfig } from './itemKnn';
import { PopularityRecommender } from './popularity';

/**
 * The neighbour table with nothing but cosine: no shrinkage, decay or normalising, ten neighbours
 * and every row whole, unless `overrides` says otherwise; each test changes only what it is about.
 */
const plainTable = (data: InteractionMatrix, overrides: Partial<ItemKnnConfig> = {}) =>
  buildNeighbourTable(data, {
    neighbours: 10,
    shrink: 0,
    maxItemsPerUser: 100,
    normalizeNeighbours: false,
    proximityDecay: 1,
    historyDecay: 1,
    ...overrides,
  });

// Three players, four games:
//   u0: 0 1      u1: 0 1 2      u2: 2 3
// Column norms (binary weights): |0| = √2, |1| = √2, |2| = √2, |3| = 1.
// Co-occurrence: (0,1) = 2, (0,2) = 1, (1,2) = 1, (2,3) = 1.
// With shrink 0 the cosines are:
//   sim(0,1) = 2 / (√2·√2) = 1
//   sim(0,2) = 1 / 2 = 0.5,  sim(1,2) = 0.5
//   sim(2,3) = 1 / (√2·1) = 0.7071
const tiny = fromSequences(
  [
    [0, 1],
    [0, 1, 2],
    [2, 3],
  ],
  4,
);

describe('item co-occurrence kNN', () => {
  it('computes cosine similarities by hand', () => {
    const table = plainTable(tiny);
    const of = (i: number) =>
      Array.from(table.neighbours.subarray(table.offsets[i], table.offsets[i + 1])).map((j, p) => [
        j,
        table.similarities[table.offsets[i] + p],
      ]);
    expect(of(0)).toEqual([
      [1, 1],
      [2, 0.5],
    ]);
    expect(of(2)[0][0]).toBe(3);
    expect(of(2)[0][1]).toBeCloseTo(Math.SQRT1_2, 6);
    expect(of(2).slice(1)).toEqual([
      [0, 0.5],
      [1, 0.5],
    ]);
    expect(of(3)).toEqual([[2, expect.closeTo(Math.SQRT1_2, 6)]]);
  });

  it('shrinkage pulls rarely co-seen pairs down: sim = dot / (norms + shrink)', () => {
    const table = plainTable(tiny, { shrink: 2 });
    // sim(0,1) = 2 / (2 + 2) = 0.5 and sim(0,2) = 1 / (2 + 2) = 0.25
    expect(Array.from(table.similarities.subarray(table.offsets[0], table.offsets[1]))).toEqual([0.5, 0.25]);
  });

  it('can scale each neighbour list so its best neighbour scores 1', () => {
    const table = plainTable(tiny, { normalizeNeighbours: true });
    // item 2's list was [3: 0.7071, 0: 0.5, 1: 0.5] → [1, 0.7071, 0.7071]
    const list = Array.from(table.similarities.subarray(table.offsets[2], table.offsets[3]));
    expect(list[0]).toBe(1);
    expect(list[1]).toBeCloseTo(0.5 / Math.SQRT1_2, 5);
  });

  it('weights pairs by their distance in the sequence with proximityDecay', () => {
    // u1 = 0 1 2: (0,1) and (1,2) sit next to each other (weight 1), (0,2) two apart (0.5)
    const table = plainTable(tiny, { proximityDecay: 0.5 });
    const knn = new ItemKnnRecommender();
    knn.load({ name: 'itemknn', config: {}, arrays: { ...table } });
    expect(knn.similarity(0, 1)).toBeCloseTo(1, 6); // u0 and u1 both adjacent: 2 / 2
    expect(knn.similarity(0, 2)).toBeCloseTo(0.25, 6); // 0.5 / 2 (0.5 without decay)
    expect(knn.similarity(1, 2)).toBeCloseTo(0.5, 6); // adjacent in u1: unchanged
  });

  it('weights older history items down with historyDecay', async () => {
    const knn = new ItemKnnRecommender({ shrink: 0, historyDecay: 0.5 });
    await knn.fit(tiny);
    // history 3 then 0: item 0 is the latest (weight 1), item 3 one older (weight 0.5)
    // score(2) = 0.5·sim(3,2) + 1·sim(0,2) = 0.5·0.7071 + 0.5
    const scores = knn.scoreAll({ history: [3, 0] });
    expect(scores[2]).toBeCloseTo(0.5 * Math.SQRT1_2 + 0.5, 5);
    expect(scores[1]).toBeCloseTo(1, 5); // sim(0,1) = 1 at full weight; 3 has no tie to 1
  });

  it('keeps only the top neighbours per item', () => {
    const table = plainTable(tiny, { neighbours: 1 });
    expect(Array.from(table.offsets)).toEqual([0, 1, 2, 3, 4]);
    expect(Array.from(table.neighbours)).toEqual([1, 0, 3, 2]);
  });

  it('truncates long rows to the most recent items', () => {
    // u0's row is 0 1 2; keeping the last 2 items drops game 0, so 0 co-occurs with nothing.
    const table = plainTable(fromSequences([[0, 1, 2]], 3), { maxItemsPerUser: 2 });
    expect(table.offsets[1] - table.offsets[0]).toBe(0);
    expect(Array.from(table.neighbours.subarray(table.offsets[1], table.offsets[2]))).toEqual([2]);
  });

  it('scores a shopper as the weighted sum of neighbour similarities', async () => {
    const knn = new ItemKnnRecommender({ shrink: 0 });
    await knn.fit(tiny);
    // history [3] -> only game 2 is a neighbour of 3, with sim 0.7071
    const scores = knn.scoreAll({ history: [3], weights: [2] });
    expect(scores[2]).toBeCloseTo(2 * Math.SQRT1_2, 5);
    expect(scores[0]).toBe(0);
    // history [0, 3]: game 1 gets 1 (from 0), game 2 gets 0.5 + 0.7071
    expect(knn.recommend({ history: [0, 3] }, 2, { exclude: new Set([0, 3]) }).map((s) => s.item)).toEqual([
      2, 1,
    ]);
  });

  it('reads one pair similarity from the neighbour list', async () => {
    const knn = new ItemKnnRecommender({ shrink: 0 });
    await knn.fit(tiny);
    expect(knn.similarity(0, 1)).toBe(1);
    expect(knn.similarity(2, 3)).toBeCloseTo(Math.SQRT1_2, 6);
    // 0 and 3 never co-occur
    expect(knn.similarity(0, 3)).toBe(0);
  });

  it('similarItems excludes the item itself and filtered items', async () => {
    const knn = new ItemKnnRecommender({ shrink: 0 });
    await knn.fit(tiny);
    expect(knn.similarItems(0, 5).map((s) => s.item)).toEqual([1, 2]);
    expect(knn.similarItems(0, 5, { exclude: new Set([1]) }).map((s) => s.item)).toEqual([2]);
  });

  it('save/load round-trips to identical scores', async () => {
    const knn = new ItemKnnRecommender({ shrink: 1 });
    await knn.fit(tiny);
    const copy = new ItemKnnRecommender();
    copy.load(knn.save());
    expect(copy.scoreAll({ history: [1, 2] })).toEqual(knn.scoreAll({ history: [1, 2] }));
  });

  it('stops when its abort signal fires', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(new ItemKnnRecommender().fit(tiny, { signal: controller.signal })).rejects.toThrow(
      /cancelled/,
    );
  });
});

describe('the k best neighbours, kept without sorting every candidate', () => {
  it('keeps the k highest scores, lower item first on a tie, best first', () => {
    const best = new BestNeighbours(3);
    for (const [item, score] of [
      [5, 0.2],
      [1, 0.9],
      [7, 0.5],
      [3, 0.5],
      [2, 0.1],
      [9, 0.9],
    ])
      best.offer(item, score);
    // by hand: 0.9 (items 1, 9), then 0.5 (items 3, 7): item 3 wins the tie for the third place
    expect(best.sorted()).toEqual([
      { item: 1, score: 0.9 },
      { item: 9, score: 0.9 },
      { item: 3, score: 0.5 },
    ]);
    best.clear();
    best.offer(4, 1);
    expect(best.sorted()).toEqual([{ item: 4, score: 1 }]);
  });

  it('agrees with a full sort on many candidates with ties', () => {
    const best = new BestNeighbours(10);
    const candidates = Array.from({ length: 500 }, (_, item) => ({ item, score: ((item * 37) % 23) / 23 }));
    for (const { item, score } of [...candidates].reverse()) best.offer(item, score);
    const sorted = [...candidates].sort((a, b) => b.score - a.score || a.item - b.item).slice(0, 10);
    expect(best.sorted()).toEqual(sorted);
  });
});

describe('popularity', () => {
  it('counts weighted interactions and ranks ties by item index', async () => {
    const pop = new PopularityRecommender();
    await pop.fit(tiny);
    // counts: game0 2, game1 2, game2 2, game3 1
    expect(Array.from(pop.scoreAll())).toEqual([2, 2, 2, 1]);
    expect(pop.recommend({ history: [] }, 3, { exclude: new Set([1]) }).map((s) => s.item)).toEqual([
      0, 2, 3,
    ]);
    const weighted = { ...tiny, weights: new Float32Array([1, 1, 5, 1, 1, 1, 1]) };
    await pop.fit(weighted);
    // u1's game 0 weighs 5: game0 = 1 + 5 = 6
    expect(pop.scoreAll()[0]).toBe(6);
  });
});
