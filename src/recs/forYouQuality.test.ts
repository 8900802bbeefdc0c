import { describe, expect, it } from 'vitest';
import {
  forYouSentence,
  metricText,
  qualityFromMetrics,
  qualityMetrics,
  servedQuality,
  type ForYouQuality,
  type RankerQuality,
} from './forYouQuality';

const interval = (mean: number, lower: number, upper: number) => ({ mean, lower, upper, confidence: 0.95 });
const ranker = (ndcg: [number, number, number], hr: [number, number, number]): RankerQuality => ({
  ndcg: interval(...ndcg),
  hr: interval(...hr),
});

const blendServes: ForYouQuality = {
  serves: 'blend',
  blend: ranker([0.131, 0.12, 0.14], [0.25, 0.22, 0.28]),
  components: {
    popularity: ranker([0.04, 0.03, 0.05], [0.09, 0.07, 0.11]),
    coOccurrence: ranker([0.1, 0.09, 0.11], [0.2, 0.18, 0.22]),
    mf: ranker([0.11, 0.1, 0.12], [0.19, 0.17, 0.21]),
    sequential: ranker([0.115, 0.105, 0.125], [0.215, 0.2, 0.23]),
  },
  baselines: ranker([0.042, 0.035, 0.05], [0.1, 0.08, 0.12]),
  best: 'sequential',
  ratioToBest: 0.131 / 0.115,
  difference: interval(0.016, 0.004, 0.028),
  players: 400,
  fitPlayers: 400,
  fitMs: 1200,
  measureMs: 3400,
};

describe("the store card's For-you quality", () => {
  it('says the blend serves, its interval and how many times the best component it scores', () => {
    // 0.131 / 0.115 = 1.139… → 1.14×
    expect(forYouSentence(blendServes)).toBe('For you: blend, NDCG@10 .131 [.120, .140], 1.14× GRU alone');
    expect(servedQuality(blendServes)).toBe(blendServes.blend);
  });

  it('says which component serves when the blend loses, and by how much', () => {
    const gruServes: ForYouQuality = {
      ...blendServes,
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
    const metrics = qualityMetrics(blendServes);
    expect(metrics['For you NDCG@10']).toBe(0.131);
    expect(metrics['sequential NDCG@10 lower']).toBe(0.105);
    expect(metrics.serves).toBe(-1);
    expect(qualityFromMetrics(metrics)).toEqual(blendServes);
    const served = qualityMetrics({ ...blendServes, serves: 'mf' });
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
