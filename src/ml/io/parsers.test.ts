import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { userRow } from '../interactions';
import type { ImportedDataset } from './dataset';
import { DatasetParseError } from './errors';
import { chunksOf } from './lines';
import { hashText } from './hash';
import { parseAtomicFile, parseCsvFile, parsePairFile, parseSequenceFile, parseSessionFile } from './parsers';
import { sharedDatasets } from '../testSupport/sharedDatasets';

const DATA = sharedDatasets;
const read = (path: string) => readFileSync(`${DATA}/${path}`, 'utf8');
const firstLines = (text: string, count: number) => text.split('\n').slice(0, count).join('\n');

/** A user's row as external item ids, so expectations read like the file. */
function rowIds(dataset: ImportedDataset, userId: string): string[] {
  const user = dataset.userIds.indexOf(userId);
  return Array.from(userRow(dataset.matrix, user), (item) => dataset.itemIds[item]);
}

const beauty = read('amazon-beauty/Beauty.txt');
const lastfm = read('lastfm/LastFM.txt');
const ratings = read('movielens-latest-small/ratings.csv');
const diginetica = read('diginetica-sample/sample_train-item-views.csv');

describe('parseSequenceFile', () => {
  it('reads the first lines of Beauty.txt into dense indices by first appearance', async () => {
    // "1 1 2 3 4 5" / "2 6 7 8 9 10 4 11" / "3 4 12 13 14 15 16 17 18 19"
    const dataset = await parseSequenceFile(chunksOf(firstLines(beauty, 3)));
    expect(dataset.format).toBe('sequence');
    expect(dataset.userIds).toEqual(['1', '2', '3']);
    // items 1..11 appear in order, then 4 repeats (index 3), then 12..19
    expect(dataset.itemIds.slice(0, 12)).toEqual([
      '1',
      '2',
      '3',
      '4',
      '5',
      '6',
      '7',
      '8',
      '9',
      '10',
      '11',
      '12',
    ]);
    expect(Array.from(dataset.matrix.userOffsets)).toEqual([0, 5, 12, 21]);
    expect(Array.from(userRow(dataset.matrix, 1))).toEqual([5, 6, 7, 8, 9, 3, 10]);
    expect(dataset.timestamps).toBeUndefined();
    // 21 interactions over 3 users x 19 items
    expect(dataset.stats).toMatchObject({
      users: 3,
      items: 19,
      interactions: 21,
      minPerUser: 5,
      maxPerUser: 9,
    });
    expect(dataset.stats.density).toBeCloseTo(21 / 57, 12);
  });

  it('reproduces the published LastFM.txt sizes', async () => {
    // README figures: 1,090 users, 3,646 items, 52,551 interactions
    const dataset = await parseSequenceFile(chunksOf(lastfm, 65536));
    expect([dataset.stats.users, dataset.stats.items, dataset.stats.interactions]).toEqual([
      1090, 3646, 52551,
    ]);
    expect(dataset.contentHash).toBe(hashText(lastfm));
  });

  it('gives the same matrix for any chunking and for \\r\\n line ends', async () => {
    const slice = firstLines(lastfm, 20);
    const whole = await parseSequenceFile(chunksOf(slice));
    const windows = await parseSequenceFile(chunksOf(slice.replaceAll('\n', '\r\n'), 7));
    expect(windows.matrix).toEqual(whole.matrix);
    expect(windows.itemIds).toEqual(whole.itemIds);
    expect(windows.contentHash).not.toBe(whole.contentHash); // different bytes, different identity
  });

  it('rejects a user with no items, a repeated user and an empty file, naming the line', async () => {
    const lines = firstLines(beauty, 2).split('\n');
    await expect(parseSequenceFile(chunksOf(`${lines[0]}\n7\n`))).rejects.toThrow(
      'line 2: user "7" has no items',
    );
    await expect(parseSequenceFile(chunksOf(`${lines[0]}\n${lines[1]}\n${lines[0]}`))).rejects.toThrow(
      'line 3: user "1" appears on more than one line',
    );
    const empty = parseSequenceFile(chunksOf('\n\n'));
    await expect(empty).rejects.toBeInstanceOf(DatasetParseError);
    await expect(empty).rejects.toThrow('empty file');
  });

  it('refuses an empty file as a whole (line 0), saying how many lines it read', async () => {
    const blank = await parseSequenceFile(chunksOf('\n\n')).catch((e: unknown) => e);
    expect(blank).toMatchObject({
      lineNumber: 0,
      message: 'empty file: no interactions found (2 lines read)',
    });
    const nothing = await parseSequenceFile(chunksOf('')).catch((e: unknown) => e);
    expect(nothing).toMatchObject({
      lineNumber: 0,
      message: 'empty file: no interactions found (0 lines read)',
    });
  });

  it('refuses a header line instead of reading it as user "user_id"', async () => {
    const withHeader = `user_id item_ids\n${firstLines(beauty, 2)}`;
    await expect(parseSequenceFile(chunksOf(withHeader))).rejects.toThrow(
      'line 1: "user_id item_ids" looks like a header line, but a sequences file has none: remove that line',
    );
    // after blank lines it is still the first data line
    await expect(parseSequenceFile(chunksOf(`\nuserId itemId\n1 2 3`))).rejects.toThrow(
      'line 2: "userId itemId"',
    );
    // ids that merely start like a name are data (LastFM-1K's users are user_000001 …)
    const dataset = await parseSequenceFile(chunksOf('user_000001 item_5 item_6\nuser_000002 item_5 item_7'));
    expect(dataset.userIds).toEqual(['user_000001', 'user_000002']);
  });

  it('names UTF-16 instead of saying "user has no items"', async () => {
    // "1 1 2 3\n2 4 5\n" saved as UTF-16 little-endian with its byte order mark, read as UTF-8 text
    const utf16 = '\uFFFD\uFFFD' + [...'1 1 2 3\n2 4 5\n'].map((c) => `${c}\u0000`).join('');
    await expect(parseSequenceFile(chunksOf(utf16))).rejects.toThrow(
      'line 1: the file is UTF-16 little-endian text, not UTF-8: save it as UTF-8 (plain text) and import it again',
    );
  });
});

describe('parsePairFile', () => {
  // Beauty's first two users written as one "user item" pair per line, in their time order
  const pairs = firstLines(beauty, 2)
    .split('\n')
    .flatMap((line) => {
      const [user, ...items] = line.split(' ');
      return items.map((item) => `${user} ${item}`);
    })
    .join('\n');

  it('keeps file order within each user', async () => {
    const dataset = await parsePairFile(chunksOf(pairs, 5));
    expect(rowIds(dataset, '1')).toEqual(['1', '2', '3', '4', '5']);
    expect(rowIds(dataset, '2')).toEqual(['6', '7', '8', '9', '10', '4', '11']);
    expect(dataset.stats.interactions).toBe(12);
  });

  it('refuses a header line', async () => {
    await expect(parsePairFile(chunksOf(`user_id item_id\n${pairs}`))).rejects.toThrow(
      'line 1: "user_id item_id" looks like a header line, but a pairs file has none',
    );
  });

  it('rejects a line with the wrong number of columns', async () => {
    const broken = pairs.replace('1 3', '1 3 extra');
    const error = await parsePairFile(chunksOf(broken)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DatasetParseError);
    expect((error as DatasetParseError).lineNumber).toBe(3);
    expect((error as DatasetParseError).problem).toBe('expected 2 columns (userId itemId), found 3');
  });
});

describe('parseAtomicFile (RecBole .inter)', () => {
  // MovieLens ratings.csv rows rewritten as a RecBole atomic file (same values, tab-separated)
  const toAtomic = (csv: string) =>
    [
      'user_id:token\titem_id:token\trating:float\ttimestamp:float',
      ...csv
        .split('\n')
        .slice(1)
        .filter(Boolean)
        .map((line) => line.split(',').join('\t')),
    ].join('\n');

  it('sorts each user by timestamp', async () => {
    // user 1: movie 1 @964982703, 3 @964981247, 6 @964982224, 47 @964983815 -> 3, 6, 1, 47
    const dataset = await parseAtomicFile(chunksOf(toAtomic(firstLines(ratings, 5))));
    expect(dataset.format).toBe('atomic');
    expect(rowIds(dataset, '1')).toEqual(['3', '6', '1', '47']);
    expect(Array.from(dataset.timestamps!)).toEqual([964981247, 964982224, 964982703, 964983815]);
    expect(dataset.stats.firstTimestamp).toBe(964981247);
    expect(dataset.stats.lastTimestamp).toBe(964983815);
  });

  it('applies a rating threshold and counts skipped rows', async () => {
    // of the first 30 ratings (all user 1), six are 3.0: movies 70, 223, 296, 316, 423, 500
    const dataset = await parseAtomicFile(chunksOf(toAtomic(firstLines(ratings, 31))), { minRating: 4 });
    expect(dataset.stats.interactions).toBe(24);
    expect(dataset.stats.rowsSkipped).toBe(6);
    expect(rowIds(dataset, '1')).not.toContain('70');
  });

  it('rejects an untyped header, a missing field, a short row and a non-numeric timestamp', async () => {
    const good = toAtomic(firstLines(ratings, 3)).split('\n');
    await expect(
      parseAtomicFile(chunksOf(['user_id\titem_id', ...good.slice(1)].join('\n'))),
    ).rejects.toThrow('line 1: header field "user_id" is not name:type');
    await expect(parseAtomicFile(chunksOf('user_id:token\trating:float\n1\t4.0'))).rejects.toThrow(
      'line 1: header has no item_id field',
    );
    await expect(parseAtomicFile(chunksOf([good[0], good[1], '1\t3\t4.0'].join('\n')))).rejects.toThrow(
      'line 3: expected 4 tab-separated columns, found 3',
    );
    await expect(
      parseAtomicFile(chunksOf([good[0], good[1].replace('964982703', 'yesterday')].join('\n'))),
    ).rejects.toThrow('line 2: non-numeric timestamp "yesterday"');
  });
});

describe('parseCsvFile', () => {
  it('reads MovieLens ratings.csv with a header mapping', async () => {
    const dataset = await parseCsvFile(chunksOf(ratings, 1 << 16), {
      user: 'userId',
      item: 'movieId',
      time: 'timestamp',
    });
    // README: 100,836 ratings by 610 users on 9,724 movies
    expect([dataset.stats.users, dataset.stats.items, dataset.stats.interactions]).toEqual([
      610, 9724, 100836,
    ]);
    // user 1's earliest ratings (sort -t, -k4n): 804 and 1210 both at 964980499, in file order
    // (lines 45 and 75), then 2018 at 964980523
    expect(rowIds(dataset, '1').slice(0, 3)).toEqual(['804', '1210', '2018']);
    // every user's timestamps never decrease
    const { userOffsets } = dataset.matrix;
    let outOfOrder = 0;
    for (let u = 0; u < dataset.matrix.userCount; u++) {
      for (let i = userOffsets[u] + 1; i < userOffsets[u + 1]; i++) {
        if (dataset.timestamps![i] < dataset.timestamps![i - 1]) outOfOrder++;
      }
    }
    expect(outOfOrder).toBe(0);
  });

  it('keeps only ratings at or above a threshold', async () => {
    // 48,580 rows rated >= 4, by 609 users on 6,298 movies (counted with awk)
    const dataset = await parseCsvFile(chunksOf(ratings, 1 << 16), {
      user: 'userId',
      item: 'movieId',
      rating: 'rating',
      minRating: 4,
    });
    expect([dataset.stats.users, dataset.stats.items, dataset.stats.interactions]).toEqual([
      609, 6298, 48580,
    ]);
    expect(dataset.stats.rowsSkipped).toBe(100836 - 48580);
    expect(dataset.timestamps).toBeUndefined();
  });

  it('maps columns by index without a header, and reads ISO dates as epoch ms', async () => {
    // Steam reviews: User_Id,Posted,Item_Id,... first user reviewed 1250 on 2011-11-05, 22200 on 2011-07-15
    const steam = firstLines(read('steam/user_reviews_dated.maga86.csv'), 3).split('\n').slice(1).join('\n');
    const dataset = await parseCsvFile(chunksOf(steam), { user: 0, item: 2, time: 1 }, { hasHeader: false });
    expect(rowIds(dataset, '76561197970982479')).toEqual(['22200', '1250']);
    expect(Array.from(dataset.timestamps!)).toEqual([Date.UTC(2011, 6, 15), Date.UTC(2011, 10, 5)]);
  });

  it('honours quoted fields and reports an unterminated quote', async () => {
    // MovieLens movies.csv quotes titles that contain commas: 11,"American President, The (1995)",...
    const movies = read('movielens-latest-small/movies.csv');
    const line = movies.split('\n').find((l) => l.startsWith('11,'))!;
    const dataset = await parseCsvFile(chunksOf(`movieId,title,genres\n${line}`), {
      user: 'genres',
      item: 'title',
    });
    expect(dataset.itemIds).toEqual(['American President, The (1995)']);
    await expect(
      parseCsvFile(chunksOf(`movieId,title,genres\n${line.replace('(1995)"', '(1995)')}`), {
        user: 'genres',
        item: 'title',
      }),
    ).rejects.toThrow('line 2: unterminated quoted field');
  });

  it('rejects a missing column and a wrong column count', async () => {
    const slice = firstLines(ratings, 3);
    await expect(parseCsvFile(chunksOf(slice), { user: 'userId', item: 'itemId' })).rejects.toThrow(
      'line 1: header has no "itemId" column (item)',
    );
    await expect(
      parseCsvFile(chunksOf(`${slice}\n1,50`), { user: 'userId', item: 'movieId', time: 'timestamp' }),
    ).rejects.toThrow('line 4: expected 4 columns, found 2');
  });
});

describe('parseSessionFile (DIGINETICA)', () => {
  it('reproduces the sample sizes and orders a session by eventdate then timeframe', async () => {
    const dataset = await parseSessionFile(chunksOf(diginetica, 4096));
    // README: 12,391 views in 2,986 sessions over 7,139 items
    expect([dataset.stats.users, dataset.stats.items, dataset.stats.interactions]).toEqual([
      2986, 7139, 12391,
    ]);
    // session 1 (all on 2016-05-09) sorted by timeframe 75848, 173912, 243569, … (sort -t';' -k4n)
    expect(rowIds(dataset, '1')).toEqual([
      '9654',
      '33043',
      '32118',
      '12352',
      '35077',
      '36118',
      '81766',
      '129055',
      '31331',
      '32627',
    ]);
    expect(dataset.timestamps![0]).toBe(Date.UTC(2016, 4, 9) + 75848);
    expect(dataset.stats.firstTimestamp! >= Date.UTC(2016, 0, 3)).toBe(true);
    expect(dataset.stats.lastTimestamp! < Date.UTC(2016, 5, 2)).toBe(true);
  });

  it('rejects a bad date and a missing header column', async () => {
    const [header, row] = diginetica.split('\n');
    await expect(
      parseSessionFile(chunksOf(`${header}\n${row.replace('2016-05-09', '09/05/2016')}`)),
    ).rejects.toThrow('line 2: eventdate "09/05/2016" is neither a number nor an ISO date');
    await expect(parseSessionFile(chunksOf(`session_id;item_id;eventdate\n${row}`))).rejects.toThrow(
      'line 1: header has no timeframe column',
    );
  });
});
