import * as tf from '../../ml/tf';
import { beforeAll, describe, expect, it } from 'vitest';
import { fromSequences } from '../../ml/interactions';
import { createProfileEncoder } from '../../ml/models/profileEncoder';
import { gruPartOf, HostProfileHeads } from '../../ml/models/profileHeads';
import { perPlayerRanking } from './heldOut';
import { HostGruScorer } from './hostGru';
import { priceBandNames, profileTargets } from './profileTargets';
import { EncoderProfileSource } from './profileSource';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('profile targets from the catalog', () => {
  it('numbers genres by name and bands prices like MF features, an unknown price as −1', () => {
    const inputs = profileTargets([
      { id: 0, price: 14.99, genres: ['Action', 'Indie'] },
      { id: 1, price: 0, genres: [] },
      { id: 2, price: null, genres: ['Indie', 'Indie'] },
      { id: 3, price: 45, genres: ['Strategy'] },
    ]);
    expect(inputs.genreNames).toEqual(['Action', 'Indie', 'Strategy']);
    expect(Array.from(inputs.genres.offsets)).toEqual([0, 2, 2, 3, 4]);
    expect(Array.from(inputs.genres.ids)).toEqual([0, 1, 1, 2]);
    // bands: 0 free, 1 under 5, 2 5–10, 3 10–20, 4 20–40, 5 40 and up; so 14.99 → 3, 0 → 0, 45 → 5
    expect(Array.from(inputs.attributes.itemPriceBands)).toEqual([3, 0, -1, 5]);
    expect(inputs.attributes.priceBandCount).toBe(6);
    expect(Array.from(inputs.bandsAsGenres.offsets)).toEqual([0, 1, 2, 2, 3]);
    expect(Array.from(inputs.bandsAsGenres.ids)).toEqual([3, 0, 5]);
  });

  it('names the six known bands in words, in band order', () => {
    expect(priceBandNames()).toEqual(['free', 'under $5', '$5–$10', '$10–$20', '$20–$40', '$40 and up']);
  });

  it('refuses a catalog whose ids are not its positions', () => {
    expect(() => profileTargets([{ id: 1, price: 1, genres: [] }])).toThrow('id 1');
  });

  it('scores each player alone: a hit at rank 2 is NDCG 1/log2(3), history excluded', () => {
    const players = [
      { user: 0, history: [0], weights: [1], target: 2 },
      { user: 1, history: [], weights: [], target: 0 },
    ];
    // player 0: item 0 (history) scores highest but does not count; item 1 beats the target
    const scores = [Float32Array.from([9, 5, 4, 1]), Float32Array.from([0, 5, 4, 1])];
    const { hits, ndcgs } = perPlayerRanking(players, (i) => scores[i], 1);
    expect(Array.from(hits)).toEqual([0, 0]);
    const atTwo = perPlayerRanking(players, (i) => scores[i], 2);
    expect(Array.from(atTwo.hits)).toEqual([1, 0]);
    expect(atTwo.ndcgs[0]).toBeCloseTo(1 / Math.log2(3), 12);
    expect(ndcgs).toHaveLength(2);
  });
});

// The store worker reads a shopper's profile without tfjs: the host GRU over the encoder's GRU
// part, then the host heads. It must equal the model's own (tfjs) encode.
describe('the host-side profile', () => {
  it("equals ProfileEncoder.encode: the host GRU on gruPartOf(snapshot), then HostProfileHeads; so does the blend's profile source", async () => {
    const genres = {
      itemGenreOffsets: Uint32Array.from([0, 1, 2, 3, 4, 5, 6]),
      itemGenreIds: Int32Array.from([0, 0, 1, 1, 2, 2]),
    };
    const model = createProfileEncoder({
      ...genres,
      genreCount: 3,
      priceBandCount: 2,
      itemPriceBands: Int32Array.from([0, 0, 1, 1, 0, -1]),
      hidden: 6,
      maxLen: 4,
      epochs: 3,
      batchSize: 4,
      learningRate: 0.05,
    });
    await model.fit(
      fromSequences(
        [
          [0, 1, 2, 3],
          [2, 3, 4, 5],
          [5, 4, 1, 0],
          [1, 2, 3],
        ],
        6,
      ),
    );
    const snapshot = model.save();
    const gru = new HostGruScorer(gruPartOf(snapshot));
    const heads = new HostProfileHeads(snapshot);
    // the blend's source: every game has one genre here, so its match is that genre's probability
    const source = new EncoderProfileSource(snapshot, {
      offsets: genres.itemGenreOffsets,
      ids: genres.itemGenreIds,
      genreCount: 3,
    });
    for (const history of [[], [3], [0, 1, 2, 3, 4, 5], [5, 99, 1], [2, 2, 2]]) {
      const expected = model.encode(history);
      const host = heads.read(gru.hiddenState(history));
      Array.from(host.embedding).forEach((value, i) => expect(value).toBeCloseTo(expected.embedding[i], 5));
      Array.from(host.genreMix).forEach((value, g) => expect(value).toBeCloseTo(expected.genreMix[g], 5));
      Array.from(host.priceBand).forEach((value, b) => expect(value).toBeCloseTo(expected.priceBand[b], 5));
      const scores = gru.scoreAll({ history });
      Array.from(model.scoreAll({ history })).forEach((score, item) =>
        expect(scores[item]).toBeCloseTo(score, 5),
      );
      const read = source.read(history);
      Array.from(read.nextGame).forEach((score, item) => expect(score).toBeCloseTo(scores[item], 5));
      Array.from(read.genreMatch).forEach((match, item) =>
        expect(match).toBeCloseTo(expected.genreMix[genres.itemGenreIds[item]], 5),
      );
    }
    model.dispose();
  });
});
