import { describe, expect, it } from 'vitest';
import { blankCsvMapping, ImportSpecError, toImportSpec, type ImportFormFields } from './importSpecForm';

const fields = (changes: Partial<ImportFormFields>): ImportFormFields => ({
  format: 'sequences',
  csv: blankCsvMapping,
  interMinRating: '',
  ...changes,
});

describe('toImportSpec', () => {
  it('names the format and file, ignoring the other formats entries', () => {
    expect(toImportSpec(fields({ interMinRating: '4' }), 'LastFM.txt')).toStrictEqual({
      format: 'sequences',
      name: 'LastFM.txt',
    });
  });

  it('maps CSV columns by name or 0-based index, defaulting the delimiter to a comma', () => {
    const csv = { ...blankCsvMapping, user: ' userId ', item: '1', time: '', rating: '3', minRating: '3.5' };
    expect(toImportSpec(fields({ format: 'csv', csv }), 'ratings.csv')).toStrictEqual({
      format: 'csv',
      name: 'ratings.csv',
      csv: { user: 'userId', item: 1, delimiter: ',', hasHeader: true, rating: 3, minRating: 3.5 },
    });
  });

  it('reads \\t as a tab and keeps a header-less file so', () => {
    const csv = { ...blankCsvMapping, user: '0', item: '1', time: '3', delimiter: '\\t', hasHeader: false };
    expect(toImportSpec(fields({ format: 'csv', csv }), 'u.data').csv).toStrictEqual({
      user: 0,
      item: 1,
      time: 3,
      delimiter: '\t',
      hasHeader: false,
    });
  });

  it('gives .inter its minimum rating', () => {
    expect(toImportSpec(fields({ format: 'inter', interMinRating: '4' }), 'ml-1m.inter')).toStrictEqual({
      format: 'inter',
      name: 'ml-1m.inter',
      minRating: 4,
    });
  });

  it('refuses a CSV mapping without user or item, and a minimum rating that is not a number', () => {
    const noItem = { ...blankCsvMapping, user: 'user_id' };
    expect(() => toImportSpec(fields({ format: 'csv', csv: noItem }), 'x.csv')).toThrow(
      new ImportSpecError('a CSV file needs its user and item columns (header names or 0-based indices)'),
    );
    expect(() => toImportSpec(fields({ format: 'inter', interMinRating: 'four' }), 'x.inter')).toThrow(
      'the minimum rating must be a number, got "four"',
    );
  });
});
