import { describe, expect, it } from 'vitest';
import { measuredForYou as quality, ranker } from '../../src/recs/testSupport';
import type { ForYouQuality } from '../../src/recs/forYouQuality';
import { ratiosToBest, storeQualityLines } from './storeQuality';
import { nodeQualityLines } from './table';

const inBrowser = (plan: string) => ({ plan, where: 'browser' as const });
const inNode = { plan: 'full', where: 'node' as const, backend: 'wasm' };

describe('the store quality section', () => {
  it('compares what For you serves with its best component on both metrics', () => {
    // HR 0.25 / 0.215 = 1.163…, NDCG 0.131 / 0.115 = 1.139…
    const { hr, ndcg } = ratiosToBest(quality);
    expect(hr).toBeCloseTo(1.163, 3);
    expect(ndcg).toBeCloseTo(1.139, 3);
    const lines = storeQualityLines(quality, inBrowser('full'));
    expect(lines[0]).toBe(
      'store quality, full plan (?train=full, in the browser\'s store worker): "For you" as served on 400 held-out community players (blend fitted on 400 others; fit 1.2 s, measurement 3.4 s)',
    );
    expect(lines.at(-1)).toBe(
      '  For you / best component (GRU): HR@10 1.16×, NDCG@10 1.14×; goal ≥ 1.1×: met',
    );
  });

  it('says plainly when the goal is not met, e.g. when a component serves', () => {
    const lines = storeQualityLines({ ...quality, serves: 'sequential' }, inBrowser('quick'));
    // For you is the GRU itself: 1.00× on both
    expect(lines.at(-1)).toBe(
      '  For you / best component (GRU): HR@10 1.00×, NDCG@10 1.00×; goal ≥ 1.1×: NOT met',
    );
    expect(lines.some((line) => line.includes('→ serves GRU alone'))).toBe(true);
  });

  it('says when there was nothing to report', () => {
    expect(storeQualityLines(null, inBrowser('quick'))).toEqual([
      "store quality, quick plan (?train=quick, in the browser's store worker): not measured (learning did not finish in the wait)",
    ]);
  });

  it("says whether the profile model's columns were kept, with both blends", () => {
    expect(storeQualityLines(quality, inNode)).toContain(
      "  profile model's columns: not tried (no profile model)",
    );
    const tried: ForYouQuality = {
      ...quality,
      profile: {
        kept: false,
        withProfile: ranker([0.129, 0.118, 0.14], [0.25, 0.22, 0.28]),
        withoutProfile: quality.blend,
        difference: { mean: -0.002, lower: -0.006, upper: 0.003, confidence: 0.95 },
      },
    };
    expect(storeQualityLines(tried, inNode)).toContain(
      "  profile model's columns: left out — blend NDCG@10 with 0.129 [0.118, 0.140], without 0.131 [0.120, 0.140]; with − without −.002 [−.006, .003]",
    );
  });
});

describe('the full plan measured in Node', () => {
  it('says where it was measured, and how long the whole run took', () => {
    const lines = nodeQualityLines({
      ok: true,
      plan: 'full',
      backend: 'wasm',
      forYou: quality,
      hybrid: null,
      wallSeconds: 81.4,
    });
    expect(lines[0]).toMatch(
      /^store quality, full plan \(measured in Node with the store worker's code: learnStoreModels, wasm\): "For you" as served on 400/,
    );
    expect(lines.at(-1)).toBe(
      '  (the whole Node run, models trained or loaded from the --store-models folder: 81 s)',
    );
  });

  it('says why it could not be measured', () => {
    expect(nodeQualityLines({ ok: false, plan: 'full', error: 'exit code 1' })).toEqual([
      'store quality, full plan (measured in Node): could not be measured: exit code 1',
    ]);
  });
});
