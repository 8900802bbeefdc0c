import { describe, expect, it } from 'vitest';
import {
  forYouSentence,
  metricText,
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
