import { describe, expect, it } from 'vitest';
import type { ForYouQuality, RankerQuality } from '../../src/recs/forYouQuality';
import { ratiosToBest, storeQualityLines } from './storeQuality';

const interval = (mean: number) => ({ mean, lower: mean - 0.01, upper: mean + 0.01, confidence: 0.95 });
const ranker = (hr: number, ndcg: number): RankerQuality => ({ hr: interval(hr), ndcg: interval(ndcg) });

const quality: ForYouQuality = {
  serves: 'blend',
  blend: ranker(0.25, 0.15),
  components: {
    popularity: ranker(0.1, 0.05),
    coOccurrence: ranker(0.2, 0.1),
    mf: ranker(0.19, 0.11),
    sequential: ranker(0.22, 0.12),
  },
  baselines: ranker(0.1, 0.042),
  best: 'sequential',
  ratioToBest: 0.15 / 0.12,
  difference: interval(0.03),
  players: 1500,
  fitPlayers: 1500,
  fitMs: 6600,
  measureMs: 18500,
};

describe('the store quality section', () => {
  it('compares what For you serves with its best component on both metrics', () => {
    // HR 0.25 / 0.22 = 1.136…, NDCG 0.15 / 0.12 = 1.25
    const { hr, ndcg } = ratiosToBest(quality);
    expect(hr).toBeCloseTo(1.136, 3);
    expect(ndcg).toBeCloseTo(1.25, 3);
    const lines = storeQualityLines(quality, 'full');
    expect(lines[0]).toContain('1500 held-out community players (blend fitted on 1500 others; fit 6.6 s');
    expect(lines.at(-1)).toBe(
      '  For you / best component (GRU): HR@10 1.14×, NDCG@10 1.25×; goal ≥ 1.1×: met',
    );
  });

  it('says plainly when the goal is not met, e.g. when a component serves', () => {
    const lines = storeQualityLines({ ...quality, serves: 'sequential', blend: ranker(0.2, 0.11) }, 'quick');
    // For you is the GRU itself: 1.00× on both
    expect(lines.at(-1)).toBe(
      '  For you / best component (GRU): HR@10 1.00×, NDCG@10 1.00×; goal ≥ 1.1×: NOT met',
    );
    expect(lines.some((line) => line.includes('→ serves GRU alone'))).toBe(true);
  });

  it('says when there was nothing to report', () => {
    expect(storeQualityLines(null, 'quick')).toEqual([
      'store quality: not measured (?train=quick: learning did not finish in the wait)',
    ]);
  });
});
