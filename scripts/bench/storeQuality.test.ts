import { describe, expect, it } from 'vitest';
import { measuredForYou as quality } from '../../src/recs/testSupport';
import { ratiosToBest, storeQualityLines } from './storeQuality';

describe('the store quality section', () => {
  it('compares what For you serves with its best component on both metrics', () => {
    // HR 0.25 / 0.215 = 1.163…, NDCG 0.131 / 0.115 = 1.139…
    const { hr, ndcg } = ratiosToBest(quality);
    expect(hr).toBeCloseTo(1.163, 3);
    expect(ndcg).toBeCloseTo(1.139, 3);
    const lines = storeQualityLines(quality, 'full');
    expect(lines[0]).toContain('400 held-out community players (blend fitted on 400 others; fit 1.2 s');
    expect(lines.at(-1)).toBe(
      '  For you / best component (GRU): HR@10 1.16×, NDCG@10 1.14×; goal ≥ 1.1×: met',
    );
  });

  it('says plainly when the goal is not met, e.g. when a component serves', () => {
    const lines = storeQualityLines({ ...quality, serves: 'sequential' }, 'quick');
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
