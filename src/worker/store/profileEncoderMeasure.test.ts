import { describe, expect, it } from 'vitest';
import { gruPartOf } from '../../ml/models/profileHeads';
import { HostGruScorer } from './hostGru';
import { bandScores, measureProfileEncoder } from './profileEncoderMeasure';
import type { ProfileTargets } from './profileTargets';
import { handEncoder } from './testSupport';

// two games: 0 is Simulation and free, 1 is Sports and under $5
const csr = { offsets: Uint32Array.from([0, 1, 2]), ids: Int32Array.from([0, 1]) };
const targets: ProfileTargets = {
  genreNames: ['Simulation', 'Sports'],
  priceBandNames: ['free', 'under $5'],
  genres: { genreCount: 2, ...csr },
  attributes: {
    genreCount: 2,
    itemGenreOffsets: csr.offsets,
    itemGenreIds: csr.ids,
    priceBandCount: 2,
    itemPriceBands: Int32Array.from([0, 1]),
  },
  bandsAsGenres: { genreCount: 2, ...csr },
};
const player = { user: 0, history: [0], weights: [1], target: 1 };

describe('the profile encoder’s card figures', () => {
  it('scores a band prediction by its likeliest band and by −ln p', () => {
    expect(bandScores([0.2, 0.5, 0.3], 1)).toEqual({ hit: 1, crossEntropy: -Math.log(0.5) });
    expect(bandScores([0.2, 0.5, 0.3], 2).hit).toBe(0);
  });

  it('measures the encoder against the counted profile player by player', async () => {
    const quality = await measureProfileEncoder({
      encoder: handEncoder,
      gru: new HostGruScorer(gruPartOf(handEncoder)),
      targets,
      trainItems: [0, 1, 0],
      fitPlayers: [player],
      metricPlayers: [player],
      seed: 1,
    });
    const { comparisons } = quality;
    // the encoder after [0] (testSupport.ts): genres (0.364946, 0.030887); the next game is
    // Sports, so log-loss = −(ln(1 − 0.364946) + ln 0.030887) / 2 = −(−0.454046 − 3.477416) / 2
    expect(comparisons['genre log-loss'].encoder.mean).toBeCloseTo(1.965731, 5);
    // bands (0.2761, 0.7239): the likeliest is the next game's. The counted shares, community
    // prior (2/3, 1/3) over 2 pseudo-games: ((1 + 4/3) / 3, (2/3) / 3) = (0.7778, 0.2222): a miss
    expect(comparisons['price band accuracy'].encoder.mean).toBe(1);
    expect(comparisons['price band accuracy'].baseline.mean).toBe(0);
    expect(comparisons['price band cross-entropy'].encoder.mean).toBeCloseTo(-Math.log(0.7239), 4);
    expect(comparisons['price band cross-entropy'].baseline.mean).toBeCloseTo(-Math.log(2 / 9), 4);
    const { encoder, baseline, difference } = comparisons['genre log-loss'];
    expect(difference.mean).toBeCloseTo(encoder.mean - baseline.mean, 12);
    // one game left to rank: the target is first whatever the blend's weight
    expect(comparisons['blend NDCG@10'].encoder.mean).toBe(1);
    expect(quality.hr).toBe(1);
    expect(quality.players).toBe(1);
    expect(quality.blendWeightWith).toBe(0);
  });
});
