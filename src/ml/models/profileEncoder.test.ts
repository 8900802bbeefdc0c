import * as tf from '../tf';
import { beforeAll, describe, expect, it } from 'vitest';
import { fromSequences } from '../interactions';
import { createGru } from './gru';
import {
  createProfileEncoder,
  genreMixLoss,
  headLogits,
  priceBandLoss,
  profileBatch,
  type ProfileEncoderConfig,
} from './profileEncoder';
import { gruPartOf, HostProfileHeads, readProfileHeads } from './profileHeads';
import type { PreparedSequenceBatch } from './sequenceStep';
import { checkpointOfInterruptedFit } from '../testSupport/interruptedFit';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

// Two clusters of six items, shoppers walking a cycle inside one (as in contract.test.ts).
// Cluster A (0–5) is all genre 0 and price band 0; cluster B (6–11) is genre 1 and band 1,
// and its even items also carry genre 2. Item 11's price is unknown.
const clusterSize = 6;
const itemCount = 12;
const sequences: number[][] = [];
for (let user = 0; user < 40; user++) {
  const start = user < 20 ? 0 : clusterSize;
  sequences.push(Array.from({ length: 4 }, (_, step) => start + ((user + step) % clusterSize)));
}
const data = fromSequences(sequences, itemCount);
const genresOf = (item: number): number[] => (item < clusterSize ? [0] : item % 2 === 0 ? [1, 2] : [1]);
const itemGenreOffsets = new Uint32Array(itemCount + 1);
for (let item = 0; item < itemCount; item++)
  itemGenreOffsets[item + 1] = itemGenreOffsets[item] + genresOf(item).length;
const itemGenreIds = Int32Array.from(Array.from({ length: itemCount }, (_, item) => genresOf(item)).flat());
const itemPriceBands = Int32Array.from({ length: itemCount }, (_, item) =>
  item === 11 ? -1 : item < clusterSize ? 0 : 1,
);
const attributes = { genreCount: 3, itemGenreOffsets, itemGenreIds, priceBandCount: 2, itemPriceBands };

const small: Partial<ProfileEncoderConfig> = {
  ...attributes,
  hidden: 8,
  maxLen: 4,
  batchSize: 8,
  learningRate: 0.02,
  dropout: 0,
  seed: 5,
};

describe('profileBatch', () => {
  it("gives each target cell its item's genres and price band, weighted, unknowns weighted 0", () => {
    // cells 1, 2 and 3 of a 1 × 4 batch have targets: items 6 (genres 1, 2; band 1),
    // 3 (genre 0; band 0) and 11 (genre 1; price unknown), with target weights 2, 1, 3
    const prepared = {
      targetCells: Int32Array.from([1, 2, 3]),
      targetItems: Int32Array.from([6, 3, 11]),
      targetWeights: Float32Array.from([0, 2, 1, 3]),
    } as PreparedSequenceBatch;
    const batch = profileBatch(prepared, attributes);
    expect(Array.from(batch.genreTargets)).toEqual([0, 1, 1, 1, 0, 0, 0, 1, 0]);
    expect(Array.from(batch.genreWeights)).toEqual([2, 1, 3]);
    expect(Array.from(batch.priceBandTargets)).toEqual([0, 1, 1, 0, 0, 0]);
    expect(Array.from(batch.priceBandWeights)).toEqual([2, 1, 0]);
  });
});

describe('the auxiliary losses', () => {
  it('genre mix: the weighted mean over cells of the mean binary cross-entropy over genres', () => {
    // cell 0: logits (0, 0) → ln 2 for each genre → ln 2.
    // cell 1: logits (ln 3, 0), targets (1, 0): −ln σ(ln 3) = −ln ¾ and −ln(1 − ½) = ln 2 → mean (ln 4/3 + ln 2)/2.
    // weights 1 and 3 → (ln 2 + 3·(ln 4/3 + ln 2)/2) / 4
    const value = tf.tidy(
      () =>
        genreMixLoss(
          tf.tensor2d([0, 0, Math.log(3), 0], [2, 2]),
          tf.tensor2d([0, 1, 1, 0], [2, 2]),
          Float32Array.from([1, 3]),
        ).dataSync()[0],
    );
    expect(value).toBeCloseTo((Math.log(2) + (3 * (Math.log(4 / 3) + Math.log(2))) / 2) / 4, 5);
  });

  it('price band: the weighted mean cross-entropy of the true band; a weight of 0 leaves a cell out', () => {
    // cell 0: logits (ln 1, ln 3), band 1: −ln ¾. cell 1 has weight 0.
    const value = tf.tidy(
      () =>
        priceBandLoss(
          tf.tensor2d([0, Math.log(3), 5, -5], [2, 2]),
          tf.tensor2d([0, 1, 1, 0], [2, 2]),
          Float32Array.from([2, 0]),
        ).dataSync()[0],
    );
    expect(value).toBeCloseTo(-Math.log(3 / 4), 5);
  });
});

describe('ProfileEncoder', () => {
  it('learns the next item, the genres and the price band of each cluster, and its loss falls', async () => {
    const model = createProfileEncoder({ ...small, hidden: 16, loss: 'softmax', epochs: 30 });
    const losses: number[] = [];
    await model.fit(data, { onProgress: (progress) => losses.push(progress.loss) });
    expect(losses[losses.length - 1]).toBeLessThan(losses[0] * 0.6);
    const a = model.encode([0, 1, 2]);
    expect(a.embedding).toHaveLength(16);
    expect(a.genreMix[0]).toBeGreaterThan(0.8);
    expect(a.genreMix[1]).toBeLessThan(0.2);
    expect(a.priceBand[0]).toBeGreaterThan(0.8);
    expect(a.priceBand[0] + a.priceBand[1]).toBeCloseTo(1, 5);
    const b = model.encode([6, 7, 8]);
    expect(b.genreMix[1]).toBeGreaterThan(0.8);
    expect(b.genreMix[0]).toBeLessThan(0.2);
    // inside cluster B, genre 2 follows the sequence, not the cluster: after 8 comes 9 (no
    // genre 2), after 7 comes 8 (genre 2)
    expect(b.genreMix[2]).toBeLessThan(0.2);
    expect(model.encode([6, 7]).genreMix[2]).toBeGreaterThan(0.8);
    expect(b.priceBand[1]).toBeGreaterThan(0.8);
    // and it ranks like the GRU: the next item in the cycle first
    expect(model.recommend({ history: [0, 1, 2] }, 1, { exclude: new Set([0, 1, 2]) })[0].item).toBe(3);
    model.dispose();
  });

  it('with α = β = 0 trains exactly the GRU of the same config (the heads only add to it)', async () => {
    const config = { ...small, epochs: 3, dropout: 0.2 };
    const encoder = createProfileEncoder({ ...config, genreLossWeight: 0, priceBandLossWeight: 0 });
    const gru = createGru(config);
    await encoder.fit(data);
    await gru.fit(data);
    expect(encoder.scoreAll({ history: [6, 7] })).toEqual(gru.scoreAll({ history: [6, 7] }));
    expect(encoder.save().arrays.itemEmbedding).toEqual(gru.save().arrays.itemEmbedding);
    encoder.dispose();
    gru.dispose();
  });

  it('encodes an empty history as the zero state read by the heads: the prior', async () => {
    const model = createProfileEncoder({ ...small, epochs: 2 });
    await model.fit(data);
    const empty = model.encode([]);
    expect(Array.from(empty.embedding)).toEqual(new Array(8).fill(0));
    const bias = model.save().arrays.genreBias as Float32Array;
    Array.from(empty.genreMix).forEach((p, g) => expect(p).toBeCloseTo(1 / (1 + Math.exp(-bias[g])), 6));
    model.dispose();
  });

  it('the host heads read exactly what the tfjs heads compute, and its GRU part ranks as the encoder', async () => {
    const model = createProfileEncoder({ ...small, epochs: 3 });
    await model.fit(data);
    const snapshot = model.save();
    const history = [6, 7, 8];
    const { embedding } = model.encode(history);
    const arrays = snapshot.arrays as Record<string, Float32Array>;
    const [tfGenres, tfBands] = tf.tidy(() => {
      const hidden = tf.tensor2d(embedding, [1, 8]);
      return [
        tf
          .sigmoid(
            headLogits(hidden, tf.tensor2d(arrays.genreWeights, [8, 3]), tf.tensor1d(arrays.genreBias)),
          )
          .dataSync(),
        tf
          .softmax(
            headLogits(
              hidden,
              tf.tensor2d(arrays.priceBandWeights, [8, 2]),
              tf.tensor1d(arrays.priceBandBias),
            ),
          )
          .dataSync(),
      ];
    });
    const host = new HostProfileHeads(snapshot).read(embedding);
    Array.from(host.genreMix).forEach((p, g) => expect(p).toBeCloseTo(tfGenres[g], 6));
    Array.from(host.priceBand).forEach((p, band) => expect(p).toBeCloseTo(tfBands[band], 6));
    expect(host).toEqual(model.encode(history));

    const gru = createGru();
    gru.load(gruPartOf(snapshot));
    expect(gru.scoreAll({ history })).toEqual(model.scoreAll({ history }));
    expect(gru.save().config).not.toHaveProperty('genreCount');
    gru.dispose();
    model.dispose();
  });

  it('saves no item attributes; a loaded copy encodes the same and keeps the attributes it was made with', async () => {
    const model = createProfileEncoder({ ...small, epochs: 2 });
    await model.fit(data);
    const snapshot = model.save();
    expect(Object.values(snapshot.config).some((value) => ArrayBuffer.isView(value))).toBe(false);
    expect(snapshot.config).toMatchObject({ genreCount: 3, priceBandCount: 2, itemCount });
    const copy = createProfileEncoder(attributes);
    copy.load(snapshot);
    expect(copy.encode([0, 1])).toEqual(model.encode([0, 1]));
    await copy.fit(data); // the attributes are still there to train on
    model.dispose();
    copy.dispose();
  });

  it('refuses attributes that do not fit the catalogue', async () => {
    await expect(
      createProfileEncoder({ ...small, itemGenreIds: Int32Array.from(itemGenreIds, () => 3) }).fit(data),
    ).rejects.toThrow('genreCount');
    await expect(
      createProfileEncoder({ ...small, itemPriceBands: new Int32Array(3) }).fit(data),
    ).rejects.toThrow('one entry per item');
  });

  it('without attributes it is a GRU whose heads read as empty', async () => {
    const model = createProfileEncoder({ hidden: 4, maxLen: 4, epochs: 1 });
    await model.fit(data);
    const encoding = model.encode([1, 2]);
    expect(encoding.genreMix).toHaveLength(0);
    expect(encoding.priceBand).toHaveLength(0);
    model.dispose();
  });

  it('resumes from a checkpoint to the very weights of an uninterrupted fit, leaking no tensors', async () => {
    const before = tf.memory().numTensors;
    const config = { ...small, epochs: 4, dropout: 0.3 };
    const uninterrupted = createProfileEncoder(config);
    await uninterrupted.fit(data);
    const kept = await checkpointOfInterruptedFit(createProfileEncoder(config), data, 2);
    expect(kept.params.genreWeights).toBeDefined();
    const resumed = createProfileEncoder(config);
    await resumed.fit(data, { resumeFrom: kept });
    const a = uninterrupted.save().arrays;
    const b = resumed.save().arrays;
    for (const name of Object.keys(a)) expect(b[name]).toEqual(a[name]);
    resumed.encode([0, 1]);
    resumed.scoreAll({ history: [0, 1] });
    await resumed.scoreMany([{ history: [0, 1] }, { history: [] }]);
    uninterrupted.dispose();
    resumed.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('readProfileHeads', () => {
  it('computes σ(e·W + b) and softmax(e·V + c) by hand', () => {
    // e = (1, 2); W = [[1, 0], [0, −1]] → genre logits (1, −2) + b (0, 0)
    // V = [[ln 2, 0], [0, 0]], c = (0, 0) → band logits (ln 2, 0) → (2/3, 1/3)
    const read = readProfileHeads(
      {
        genreWeights: Float32Array.from([1, 0, 0, -1]),
        genreBias: new Float32Array(2),
        priceBandWeights: Float32Array.from([Math.log(2), 0, 0, 0]),
        priceBandBias: new Float32Array(2),
      },
      { hidden: 2, genreCount: 2, priceBandCount: 2 },
      Float32Array.from([1, 2]),
    );
    expect(read.genreMix[0]).toBeCloseTo(1 / (1 + Math.exp(-1)), 6);
    expect(read.genreMix[1]).toBeCloseTo(1 / (1 + Math.exp(2)), 6);
    expect(read.priceBand[0]).toBeCloseTo(2 / 3, 6);
    expect(read.priceBand[1]).toBeCloseTo(1 / 3, 6);
  });
});
