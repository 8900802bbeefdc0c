import { describe, expect, it } from 'vitest';
import {
  forYouSentence,
  metricText,
  profileColumnsSentence,
  qualityFromMetrics,
  qualityMetrics,
  servedQuality,
  type ForYouQuality,
} from './forYouQuality';
import { measuredForYou, ranker } from './testSupport';

describe("the store card's For-you quality", () => {
  it('says the blend serves, its interval and how many times the best component it scores', () => {
    // 0.131 / 0.115 = 1.139… → 1.14×
    expect(forYouSentence(measuredForYou)).toBe('For you: blend, NDCG@10 .131 [.120, .140], 1.14× GRU alone');
    expect(servedQuality(measuredForYou)).toBe(measuredForYou.blend);
  });

  it('says which component serves when the blend loses, and by how much', () => {
    const gruServes: ForYouQuality = {
      ...measuredForYou,
      serves: 'sequential',
      blend: ranker([0.107, 0.097, 0.117], [0.2, 0.18, 0.22]),
      ratioToBest: 0.107 / 0.115,
    };
    // 0.107 / 0.115 = 0.930… → 0.93×
    expect(forYouSentence(gruServes)).toBe(
      'For you uses GRU alone: the blend scored 0.93× it (NDCG@10 .107 against .115)',
    );
    expect(servedQuality(gruServes)).toBe(gruServes.components.sequential);
  });

  it('survives the trip through a model record, and an older record reads as none', () => {
    const metrics = qualityMetrics(measuredForYou);
    expect(metrics['For you NDCG@10']).toBe(0.131);
    expect(metrics['sequential NDCG@10 lower']).toBe(0.105);
    expect(metrics.serves).toBe(-1);
    expect(qualityFromMetrics(metrics)).toEqual(measuredForYou);
    const served = qualityMetrics({ ...measuredForYou, serves: 'mf' });
    expect(served.serves).toBe(2);
    expect(qualityFromMetrics(served)?.serves).toBe('mf');
    expect(qualityFromMetrics({ 'HR@10': 0.1, 'NDCG@10': 0.04 })).toBeNull();
  });

  it('writes metrics the way the cards do', () => {
    expect(metricText(0.1314)).toBe('.131');
    expect(metricText(1)).toBe('1.000');
    expect(metricText(-0.0123)).toBe('−.012');
  });
});

describe("the card's line on the profile model's columns", () => {
  const tried = (kept: boolean, difference: [number, number, number]): ForYouQuality => ({
    ...measuredForYou,
    profile: {
      kept,
      withProfile: ranker([0.135, 0.124, 0.146], [0.255, 0.23, 0.28]),
      withoutProfile: ranker([0.131, 0.12, 0.14], [0.25, 0.22, 0.28]),
      difference: { mean: difference[0], lower: difference[1], upper: difference[2], confidence: 0.95 },
    },
  });

  it('says the profile model joined the blend, and by how much', () => {
    expect(profileColumnsSentence(tried(true, [0.004, 0.001, 0.008]))).toBe(
      'The profile model joined the blend: NDCG@10 +.004 [+.001, +.008] over the blend without it.',
    );
  });

  it('says why it was left out, and nothing when there was no profile model', () => {
    expect(profileColumnsSentence(tried(false, [0.004, -0.002, 0.01]))).toBe(
      'The profile model was left out of the blend: with it NDCG@10 .135, without .131 (difference +.004 [−.002, +.010], not clearly above zero).',
    );
    expect(profileColumnsSentence(measuredForYou)).toBeNull();
  });

  it('survives the trip through a model record, kept or not', () => {
    for (const kept of [true, false]) {
      const quality = tried(kept, [0.004, kept ? 0.001 : -0.002, 0.008]);
      const metrics = qualityMetrics(quality);
      expect(metrics['profile kept']).toBe(kept ? 1 : 0);
      expect(metrics['profile difference NDCG@10 upper']).toBe(0.008);
      expect(qualityFromMetrics(metrics)).toEqual(quality);
    }
    // no profile model: −1, and it reads back as none
    expect(qualityMetrics(measuredForYou)['profile kept']).toBe(-1);
    const partial = { ...qualityMetrics(tried(true, [0.004, 0.001, 0.008])) };
    delete partial['with profile NDCG@10 lower'];
    expect(qualityFromMetrics(partial)).toBeNull();
  });
});
