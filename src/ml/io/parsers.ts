// Streaming importers for the dataset formats the evaluation lab accepts. Each one reads text
// chunks line by line, checks every line against its format, and only builds the dataset once
// the whole file has been read: a malformed line throws DatasetParseError and nothing is returned.
import { DatasetParseError } from './errors';
import type { DatasetFormat, ImportedDataset } from './dataset';
import { InteractionCollector } from './dataset';
import {
  headerLineError,
  looksLikeHeader,
  parseNumberField,
  parseTimeField,
  splitDelimited,
  splitOnWhitespace,
} from './fields';
import { ContentHasher } from './hash';
import { readLines, type TextLine } from './lines';

export interface ImportOptions {
  signal?: AbortSignal;
}

interface LineHandler {
  /** returns false when the row was skipped on purpose (counted in stats.rowsSkipped) */
  (line: TextLine, collector: InteractionCollector): boolean | void;
}

async function importLines(
  chunks: AsyncIterable<string>,
  format: DatasetFormat,
  options: ImportOptions,
  handle: LineHandler,
  timing: { sortByTime: boolean; timestamps: boolean } | (() => { sortByTime: boolean; timestamps: boolean }),
): Promise<ImportedDataset> {
  const hasher = new ContentHasher();
  const collector = new InteractionCollector();
  let linesRead = 0;
  let rowsSkipped = 0;
  for await (const line of readLines(chunks, { signal: options.signal, hasher })) {
    linesRead = line.lineNumber;
    if (handle(line, collector) === false) rowsSkipped++;
  }
  const { sortByTime, timestamps } = typeof timing === 'function' ? timing() : timing;
  return collector.build(format, {
    linesRead,
    rowsSkipped,
    contentHash: hasher.digest(),
    sortByTime,
    timestamps,
  });
}

/**
 * A whitespace-separated file whose lines are in time order, without times: blank lines skipped,
 * a header line refused (a wrong format guess, named `formatName` in the message), every other
 * line's fields handed to `handle`.
 */
function importUntimedFields(
  chunks: AsyncIterable<string>,
  format: DatasetFormat,
  options: ImportOptions,
  formatName: string,
  handle: (fields: string[], lineNumber: number, collector: InteractionCollector) => void,
): Promise<ImportedDataset> {
  return importLines(
    chunks,
    format,
    options,
    ({ text, lineNumber }, collector) => {
      const fields = splitOnWhitespace(text);
      if (fields.length === 0) return;
      if (collector.size === 0 && looksLikeHeader(fields))
        throw headerLineError(fields, lineNumber, formatName);
      handle(fields, lineNumber, collector);
    },
    { sortByTime: false, timestamps: false },
  );
}

/** A delimited file (csv, session logs): blank lines skipped, every other line's fields handed to `handle`. */
function importDelimited(
  chunks: AsyncIterable<string>,
  format: DatasetFormat,
  options: ImportOptions,
  delimiter: string,
  timing: Parameters<typeof importLines>[4],
  handle: (fields: string[], lineNumber: number, collector: InteractionCollector) => boolean | void,
): Promise<ImportedDataset> {
  return importLines(
    chunks,
    format,
    options,
    ({ text, lineNumber }, collector) =>
      text.trim() === ''
        ? undefined
        : handle(splitDelimited(text, delimiter, lineNumber), lineNumber, collector),
    timing,
  );
}

/**
 * `userId item1 item2 …` per line, items already in time order (the S3-Rec files: Beauty.txt,
 * LastFM.txt). Fields are separated by any whitespace; blank lines are ignored. A user may appear
 * on one line only, since a second line would make the time order ambiguous.
 */
export function parseSequenceFile(
  chunks: AsyncIterable<string>,
  options: ImportOptions = {},
): Promise<ImportedDataset> {
  return importUntimedFields(chunks, 'sequence', options, 'sequences', (fields, lineNumber, collector) => {
    if (fields.length < 2) {
      throw new DatasetParseError(
        lineNumber,
        `user "${fields[0]}" has no items (expected "userId item1 item2 …")`,
      );
    }
    const [userId] = fields;
    if (collector.hasUser(userId)) {
      throw new DatasetParseError(lineNumber, `user "${userId}" appears on more than one line`);
    }
    for (let i = 1; i < fields.length; i++) collector.add(userId, fields[i]);
  });
}

/** `userId itemId` per line, the lines in time order. */
export function parsePairFile(
  chunks: AsyncIterable<string>,
  options: ImportOptions = {},
): Promise<ImportedDataset> {
  return importUntimedFields(chunks, 'pairs', options, 'pairs', (fields, lineNumber, collector) => {
    if (fields.length !== 2) {
      throw new DatasetParseError(lineNumber, `expected 2 columns (userId itemId), found ${fields.length}`);
    }
    collector.add(fields[0], fields[1]);
  });
}

export interface AtomicImportOptions extends ImportOptions {
  userField?: string; // default user_id
  itemField?: string; // default item_id
  timeField?: string; // default timestamp
  ratingField?: string; // default rating
  /** keep only rows whose rating is at least this (needs the rating field) */
  minRating?: number;
}

const ATOMIC_TYPES = new Set(['token', 'token_seq', 'float', 'float_seq']);

/**
 * RecBole atomic `.inter` files: tab-separated, the first line a typed header such as
 * `user_id:token\titem_id:token\trating:float\ttimestamp:float`. Rows are sorted by the timestamp
 * field when the header has one (units as in the file, usually Unix seconds), else kept in file order.
 */
export function parseAtomicFile(
  chunks: AsyncIterable<string>,
  options: AtomicImportOptions = {},
): Promise<ImportedDataset> {
  const names = {
    user: options.userField ?? 'user_id',
    item: options.itemField ?? 'item_id',
    time: options.timeField ?? 'timestamp',
    rating: options.ratingField ?? 'rating',
  };
  let columns: { count: number; user: number; item: number; time: number; rating: number } | undefined;
  return importLines(
    chunks,
    'atomic',
    options,
    ({ text, lineNumber }, collector) => {
      if (text.trim() === '') return;
      const fields = text.split('\t');
      if (!columns) {
        const headerNames = fields.map((field) => parseAtomicHeaderField(field, lineNumber));
        const find = (name: string) => headerNames.indexOf(name);
        columns = {
          count: fields.length,
          user: find(names.user),
          item: find(names.item),
          time: find(names.time),
          rating: find(names.rating),
        };
        if (columns.user < 0) throw new DatasetParseError(lineNumber, `header has no ${names.user} field`);
        if (columns.item < 0) throw new DatasetParseError(lineNumber, `header has no ${names.item} field`);
        if (options.minRating !== undefined && columns.rating < 0) {
          throw new DatasetParseError(lineNumber, `a rating threshold needs a ${names.rating} field`);
        }
        return;
      }
      if (fields.length !== columns.count) {
        throw new DatasetParseError(
          lineNumber,
          `expected ${columns.count} tab-separated columns, found ${fields.length}`,
        );
      }
      const time = columns.time >= 0 ? parseNumberField(fields[columns.time], lineNumber, names.time) : 0;
      if (options.minRating !== undefined) {
        const rating = parseNumberField(fields[columns.rating], lineNumber, names.rating);
        if (rating < options.minRating) return false;
      }
      collector.add(fields[columns.user], fields[columns.item], time);
    },
    () => ({ sortByTime: (columns?.time ?? -1) >= 0, timestamps: (columns?.time ?? -1) >= 0 }),
  );
}

function parseAtomicHeaderField(field: string, lineNumber: number): string {
  const colon = field.lastIndexOf(':');
  const type = colon < 0 ? '' : field.slice(colon + 1);
  if (colon <= 0 || !ATOMIC_TYPES.has(type)) {
    throw new DatasetParseError(
      lineNumber,
      `header field "${field}" is not name:type with type token, token_seq, float or float_seq`,
    );
  }
  return field.slice(0, colon);
}

/** Which columns hold what: a header name, or a 0-based column index. */
export interface CsvColumnMapping {
  user: string | number;
  item: string | number;
  /** numbers as they are (e.g. Unix seconds), ISO dates as epoch milliseconds */
  time?: string | number;
  rating?: string | number;
  /** keep only rows whose rating is at least this (e.g. 4 for "liked" on MovieLens) */
  minRating?: number;
}

export interface CsvImportOptions extends ImportOptions {
  delimiter?: string; // default ','
  hasHeader?: boolean; // default true
}

/**
 * Delimited text with a column mapping, e.g. MovieLens ratings.csv with
 * `{ user: 'userId', item: 'movieId', time: 'timestamp', rating: 'rating', minRating: 4 }`.
 * Rows are sorted by time within each user when a time column is mapped.
 */
export function parseCsvFile(
  chunks: AsyncIterable<string>,
  mapping: CsvColumnMapping,
  options: CsvImportOptions = {},
): Promise<ImportedDataset> {
  const delimiter = options.delimiter ?? ',';
  const hasHeader = options.hasHeader ?? true;
  if (mapping.minRating !== undefined && mapping.rating === undefined) {
    return Promise.reject(new TypeError('a rating threshold needs a rating column in the mapping'));
  }
  let columns: { count: number; user: number; item: number; time: number; rating: number } | undefined;
  const resolve = (header: string[] | undefined, lineNumber: number, count: number) => {
    const at = (column: string | number | undefined, role: string): number => {
      if (column === undefined) return -1;
      if (typeof column === 'number') {
        if (column < 0 || column >= count) {
          throw new DatasetParseError(lineNumber, `${role} column ${column} is outside the ${count} columns`);
        }
        return column;
      }
      if (!header) throw new DatasetParseError(lineNumber, `${role} column "${column}" needs a header line`);
      const index = header.indexOf(column);
      if (index < 0) throw new DatasetParseError(lineNumber, `header has no "${column}" column (${role})`);
      return index;
    };
    return {
      count,
      user: at(mapping.user, 'user'),
      item: at(mapping.item, 'item'),
      time: at(mapping.time, 'time'),
      rating: at(mapping.rating, 'rating'),
    };
  };
  const timed = mapping.time !== undefined;
  return importDelimited(
    chunks,
    'csv',
    options,
    delimiter,
    { sortByTime: timed, timestamps: timed },
    (fields, lineNumber, collector) => {
      if (!columns) {
        if (hasHeader) {
          columns = resolve(
            fields.map((field) => field.trim()),
            lineNumber,
            fields.length,
          );
          return;
        }
        columns = resolve(undefined, lineNumber, fields.length);
      }
      if (fields.length !== columns.count) {
        throw new DatasetParseError(lineNumber, `expected ${columns.count} columns, found ${fields.length}`);
      }
      const time = columns.time >= 0 ? parseTimeField(fields[columns.time], lineNumber) : 0;
      if (mapping.minRating !== undefined) {
        const rating = parseNumberField(fields[columns.rating], lineNumber, 'rating');
        if (rating < mapping.minRating) return false;
      }
      const userId = fields[columns.user].trim();
      const itemId = fields[columns.item].trim();
      if (userId === '' || itemId === '') throw new DatasetParseError(lineNumber, 'empty user or item id');
      collector.add(userId, itemId, time);
    },
  );
}

export interface SessionImportOptions extends ImportOptions {
  delimiter?: string; // default ';'
}

const SESSION_COLUMNS = ['session_id', 'item_id', 'timeframe', 'eventdate'] as const;

/**
 * Session logs such as DIGINETICA's `session_id;user_id;item_id;timeframe;eventdate`: each session
 * becomes one "user" (user_id is mostly NA there), its views ordered by eventdate then timeframe.
 * Timestamps are eventdate (UTC midnight, ms) plus timeframe (ms into the session).
 */
export function parseSessionFile(
  chunks: AsyncIterable<string>,
  options: SessionImportOptions = {},
): Promise<ImportedDataset> {
  const delimiter = options.delimiter ?? ';';
  let columns:
    { count: number; session: number; item: number; timeframe: number; eventdate: number } | undefined;
  const timed = { sortByTime: true, timestamps: true };
  return importDelimited(chunks, 'session', options, delimiter, timed, (fields, lineNumber, collector) => {
    if (!columns) {
      const header = fields.map((field) => field.trim());
      for (const name of SESSION_COLUMNS) {
        if (!header.includes(name)) throw new DatasetParseError(lineNumber, `header has no ${name} column`);
      }
      columns = {
        count: fields.length,
        session: header.indexOf('session_id'),
        item: header.indexOf('item_id'),
        timeframe: header.indexOf('timeframe'),
        eventdate: header.indexOf('eventdate'),
      };
      return;
    }
    if (fields.length !== columns.count) {
      throw new DatasetParseError(lineNumber, `expected ${columns.count} columns, found ${fields.length}`);
    }
    const day = parseTimeField(fields[columns.eventdate], lineNumber, 'eventdate');
    const timeframe = parseNumberField(fields[columns.timeframe], lineNumber, 'timeframe');
    collector.add(
      fields[columns.session].trim(),
      fields[columns.item].trim(),
      day,
      timeframe,
      day + timeframe,
    );
  });
}
