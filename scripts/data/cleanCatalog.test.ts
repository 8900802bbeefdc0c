import { describe, expect, it } from 'vitest';
import {
  cleanCatalog,
  cleanCatalogRecord,
  cleanStringList,
  maxTagsPerGame,
  nanTokensToNull,
  normalisePrice,
  normaliseReleaseDate,
  parseCatalogLine,
} from './cleanCatalog';

// Shaped like the export's lines (same keys, same NaN style), values crafted per test.
const paddingLine =
  '{"publisher": NaN, "genres": NaN, "app_name": NaN, "title": NaN, "url": NaN, "release_date": NaN, "tags": NaN, "reviews_url": NaN, "specs": NaN, "price": NaN, "early_access": NaN, "id": NaN, "developer": NaN}';

function line(fields: Record<string, string>): string {
  const base: Record<string, string> = {
    publisher: 'NaN',
    genres: '["Action"]',
    app_name: '"Some Game"',
    title: '"Some Game"',
    release_date: '"2017-10-26"',
    tags: '["Action", "FPS"]',
    price: '9.99',
    early_access: 'false',
    id: '"100"',
    developer: '"Studio"',
  };
  const merged = { ...base, ...fields };
  return (
    '{' +
    Object.entries(merged)
      .map(([key, value]) => `"${key}": ${value}`)
      .join(', ') +
    '}'
  );
}

describe('nanTokensToNull / parseCatalogLine', () => {
  it('turns bare NaN into null but leaves NaN inside strings', () => {
    expect(nanTokensToNull('{"a": NaN, "b": "NaN Studios", "c": [NaN]}')).toBe(
      '{"a": null, "b": "NaN Studios", "c": [null]}',
    );
  });

  it('is not fooled by escaped quotes inside strings', () => {
    const parsed = parseCatalogLine('{"title": "The \\"NaN\\" Game", "price": NaN}');
    expect(parsed).toEqual({ title: 'The "NaN" Game', price: null });
  });

  it('throws on a line that is not JSON', () => {
    expect(() => parseCatalogLine('{"id": "1", ')).toThrow(SyntaxError);
  });
});

describe('normalisePrice', () => {
  it.each([
    [9.99, 9.99],
    [0, 0],
    ['Free', 0],
    ['Free to Play', 0],
    ['Free To Play', 0],
    ['Free Demo', 0],
    ['Play for Free!', 0],
    ['4.99', 4.99],
    ['Install Now', null],
    ['Third-party', null],
    ['Starting at $499.00', null],
    [null, null],
    [-1, null],
    [Number.NaN, null],
  ])('%j -> %j', (raw, expected) => {
    expect(normalisePrice(raw)).toBe(expected);
  });
});

describe('normaliseReleaseDate', () => {
  it('keeps real ISO dates only', () => {
    expect(normaliseReleaseDate('2017-10-26')).toBe('2017-10-26');
    expect(normaliseReleaseDate('2016-02-29')).toBe('2016-02-29');
    expect(normaliseReleaseDate('2017-02-30')).toBeNull();
    expect(normaliseReleaseDate('Coming Soon')).toBeNull();
    expect(normaliseReleaseDate('Q3 2018')).toBeNull();
    expect(normaliseReleaseDate('2019')).toBeNull();
    expect(normaliseReleaseDate(null)).toBeNull();
  });
});

describe('cleanStringList', () => {
  it('trims, drops blanks, non-strings and repeats, and caps', () => {
    expect(cleanStringList([' Indie ', '', 'Indie', 3, 'RPG'])).toEqual(['Indie', 'RPG']);
    expect(cleanStringList(['a', 'b', 'c'], 2)).toEqual(['a', 'b']);
    expect(cleanStringList(null)).toEqual([]);
  });
});

describe('cleanCatalogRecord', () => {
  it('recognises all-NaN padding', () => {
    expect(cleanCatalogRecord(parseCatalogLine(paddingLine))).toEqual({ kind: 'padding' });
  });

  it('rejects a row with data but no id', () => {
    expect(cleanCatalogRecord(parseCatalogLine(line({ id: 'NaN' }))).kind).toBe('noId');
    expect(cleanCatalogRecord(parseCatalogLine(line({ id: '"abc"' }))).kind).toBe('noId');
  });

  it('falls back to app_name when title is missing, and keeps neither when both are', () => {
    const fallback = cleanCatalogRecord(parseCatalogLine(line({ title: 'NaN', app_name: '"Alt"' })));
    expect(fallback.kind === 'entry' && fallback.entry.title).toBe('Alt');
    const unnamed = cleanCatalogRecord(parseCatalogLine(line({ title: 'NaN', app_name: 'NaN' })));
    expect(unnamed.kind === 'entry' && unnamed.entry.title).toBeNull();
  });

  it('produces the compact entry with defaults for missing fields', () => {
    const result = cleanCatalogRecord(
      parseCatalogLine(
        line({ developer: 'NaN', price: '"Free to Play"', release_date: '"TBA"', early_access: 'true' }),
      ),
    );
    expect(result).toEqual({
      kind: 'entry',
      filledFields: 8,
      entry: {
        appId: '100',
        title: 'Some Game',
        price: 0,
        genres: ['Action'],
        tags: ['Action', 'FPS'],
        developer: '',
        released: null,
        earlyAccess: true,
      },
    });
  });

  it('caps tags', () => {
    const manyTags = JSON.stringify(Array.from({ length: 30 }, (_, i) => `tag${i}`));
    const result = cleanCatalogRecord(parseCatalogLine(line({ tags: manyTags })));
    expect(result.kind === 'entry' && result.entry.tags.length).toBe(maxTagsPerGame);
  });
});

describe('cleanCatalog', () => {
  it('counts every kind of bad row and resolves a duplicate id to the fuller row', () => {
    const { entries, stats } = cleanCatalog([
      paddingLine,
      '',
      'not json',
      line({ id: 'NaN' }),
      line({ id: '"7"', developer: 'NaN', title: '"First"' }),
      line({ id: '"7"', title: '"Second, fuller"' }),
      line({ id: '"7"', title: '"Third, as full but later"' }),
      line({ id: '"8"', price: '"Install Now"', genres: 'NaN', tags: 'NaN' }),
    ]);
    expect(entries.get('7')?.title).toBe('Second, fuller');
    expect(entries.get('8')?.price).toBeNull();
    expect(stats).toEqual({
      linesRead: 8,
      blankLines: 1,
      unparseableLines: 1,
      paddingRows: 1,
      rowsWithoutId: 1,
      rowsWithId: 4,
      duplicateIdRowsDropped: 2,
      distinctIds: 2,
      named: 2,
      withPrice: 1,
      withGenres: 1,
      distinctGenres: 1,
      withTags: 1,
    });
  });
});
