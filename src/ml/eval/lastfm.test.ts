// End-to-end check on real data: a popularity ranker evaluated with the published S3-Rec
// protocol on LastFM (leave-one-out, fixed negatives from LastFM_sample.txt) should land on the
// PopRec numbers in the dataset README: full ranking HR@10 .0440, NDCG@10 .0203; 99 fixed
// negatives HR@10 .3037, NDCG@10 .1687. Popularity scores tie a lot, so the published values are
// expected between our pessimistic and optimistic tie policies.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { alignNegatives, chunksOf, parseNegativesFile, parseSequenceFile } from '../io';
import { topK, type Recommender } from '../recommender';
import { evaluateRecommender } from './evaluate';
import { itemPopularity } from './metrics';
import { leaveOneOutSplit } from './splits';
import { datasetPath } from '../testSupport/sharedDatasets';

const read = (path: string) => readFileSync(datasetPath('lastfm', path), 'utf8');

describe('popularity on LastFM under the S3-Rec protocol', () => {
  it('reproduces the published PopRec results', async () => {
    const dataset = await parseSequenceFile(chunksOf(read('LastFM.txt'), 1 << 16));
    const negatives = alignNegatives(
      await parseNegativesFile(chunksOf(read('LastFM_sample.txt'), 1 << 16)),
      dataset,
    );
    const split = leaveOneOutSplit(dataset.matrix);
    // PopRec counts over the whole file (how many users had each item)
    const scores = Float32Array.from(itemPopularity(dataset.matrix));
    const popularity = {
      name: 'popularity',
      scoreAll: () => scores,
      recommend: (_state: unknown, k: number) => topK(scores, k),
    } as unknown as Recommender;
    const run = async (kind: 'full' | 'fixed', tiePolicy: 'pessimistic' | 'optimistic') => {
      const protocol =
        kind === 'full' ? ({ kind } as const) : ({ kind, negativesByUser: negatives } as const);
      const result = await evaluateRecommender(popularity, split.test, protocol, {
        ks: [10],
        tiePolicy,
        tieBreak: 'none', // the tie policies bracket the published figure; no popularity tie-break on top
        bootstrapResamples: 100,
      });
      expect(result.users.length).toBe(1090);
      return [result.summary['HR@10'].mean, result.summary['NDCG@10'].mean];
    };

    const [fullHr, fullNdcgLow] = await run('full', 'pessimistic');
    const [, fullNdcgHigh] = await run('full', 'optimistic');
    expect(fullHr).toBeCloseTo(0.044, 4);
    expect(fullNdcgLow).toBeLessThanOrEqual(0.0203);
    expect(fullNdcgHigh).toBeGreaterThanOrEqual(0.0203);

    const [fixedHrLow, fixedNdcgLow] = await run('fixed', 'pessimistic');
    const [fixedHrHigh, fixedNdcgHigh] = await run('fixed', 'optimistic');
    expect(fixedHrLow).toBeLessThanOrEqual(0.3037);
    expect(fixedHrHigh).toBeGreaterThanOrEqual(0.3037);
    expect(fixedNdcgLow).toBeLessThanOrEqual(0.1687);
    expect(fixedNdcgHigh).toBeGreaterThanOrEqual(0.1687);
  });
});
