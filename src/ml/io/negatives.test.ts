import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { userRow } from '../interactions';
import { chunksOf } from './lines';
import { alignNegatives, parseNegativesFile } from './negatives';
import { parseSequenceFile } from './parsers';
import { datasetPath } from '../testSupport/sharedDatasets';

const sample = readFileSync(datasetPath('lastfm', 'LastFM_sample.txt'), 'utf8');
const lastfm = readFileSync(datasetPath('lastfm', 'LastFM.txt'), 'utf8');

describe('parseNegativesFile + alignNegatives (LastFM_sample.txt)', () => {
  it('reads 99 negatives for each of the 1,090 users and aligns them to dense indices', async () => {
    const file = await parseNegativesFile(chunksOf(sample, 8192));
    expect(file.userIds.length).toBe(1090);
    expect(file.negatives.every((negatives) => negatives.length === 99)).toBe(true);
    // first line starts "1 1646 2005 12 1829"
    expect(file.negatives[0].slice(0, 4)).toEqual(['1646', '2005', '12', '1829']);

    const dataset = await parseSequenceFile(chunksOf(lastfm, 65536));
    const aligned = alignNegatives(file, dataset);
    const user1 = dataset.userIds.indexOf('1');
    expect(Array.from(aligned[user1]!.slice(0, 4), (item) => dataset.itemIds[item])).toEqual([
      '1646',
      '2005',
      '12',
      '1829',
    ]);
    // the published negatives never overlap the user's own items (checked with awk too)
    const history = new Set(userRow(dataset.matrix, user1));
    expect(aligned[user1]!.some((item) => history.has(item))).toBe(false);
  });

  it('rejects a user without negatives and an item the dataset does not know', async () => {
    await expect(parseNegativesFile(chunksOf('1 1646 2005\n2\n'))).rejects.toThrow(
      'line 2: user "2" has no negatives',
    );
    const slice = sample.split('\n').slice(0, 2).join('\n');
    const file = await parseNegativesFile(chunksOf(slice));
    const tiny = await parseSequenceFile(chunksOf(lastfm.split('\n').slice(0, 2).join('\n')));
    expect(() => alignNegatives(file, tiny)).toThrow('line 1: item "1646" is not in the dataset');
  });
});
