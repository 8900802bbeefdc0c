// Cleaning the Steam catalog export (steam_games.json.gz). The file is a pandas export:
// one object a line, bare NaN tokens for missing values, ~88k all-NaN padding rows, prices
// that are sometimes words, one id listed twice. Everything here is pure so the odd rows
// can be tested one by one.
import type { Game } from '../../src/data/types';

/**
 * One cleaned catalog row, before it is given a dense item index: the store's Game without
 * its id, and with a title that may still be missing (such rows are dropped later).
 */
export type CatalogEntry = Omit<Game, 'id' | 'title'> & {
  /** `title`, else `app_name`; null when the row has neither. */
  title: string | null;
};

/** Replaces the bare NaN tokens pandas writes with null, leaving "NaN" inside strings alone. */
export function nanTokensToNull(line: string): string {
  let out = '';
  let inString = false;
  let copiedUpTo = 0;
  for (let i = 0; i < line.length; i++) {
    const char = line[i];
    if (inString) {
      if (char === '\\') i++;
      else if (char === '"') inString = false;
    } else if (char === '"') {
      inString = true;
    } else if (
      line.startsWith('NaN', i) &&
      !isIdentifierChar(line[i - 1] ?? '') &&
      !isIdentifierChar(line[i + 3] ?? '')
    ) {
      out += line.slice(copiedUpTo, i) + 'null';
      i += 2;
      copiedUpTo = i + 1;
    }
  }
  return out + line.slice(copiedUpTo);
}

function isIdentifierChar(char: string): boolean {
  return /[A-Za-z0-9_$]/.test(char);
}

/** Parses one export line; throws SyntaxError when it is not JSON even after NaN -> null. */
export function parseCatalogLine(line: string): unknown {
  return JSON.parse(nanTokensToNull(line));
}

/**
 * Price in US dollars. Numbers pass through; any string offering the item for free
 * ("Free", "Free to Play", "Free Demo", "Play for Free!") is 0; numeric strings are parsed;
 * everything else ("Install Now", "Third-party", "Starting at $499.00" for a hardware
 * bundle) is not the price of this item, so null.
 */
export function normalisePrice(raw: unknown): number | null {
  if (typeof raw === 'number') return Number.isFinite(raw) && raw >= 0 ? raw : null;
  if (typeof raw !== 'string') return null;
  const text = raw.trim();
  if (/\bfree\b/i.test(text)) return 0;
  if (/^\$?\d+(\.\d+)?$/.test(text)) return Number(text.replace('$', ''));
  return null;
}

/** An ISO calendar date (YYYY-MM-DD) or null; "Coming Soon", "Q3 2018", "2019" are null. */
export function normaliseReleaseDate(raw: unknown): string | null {
  if (typeof raw !== 'string') return null;
  const text = raw.trim();
  return isCalendarDate(text) ? text : null;
}

/** True for a real YYYY-MM-DD date (rejects 2017-02-30). */
export function isCalendarDate(text: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!match) return false;
  const [year, month, day] = match.slice(1).map(Number);
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/** Trimmed, non-empty, first occurrence kept, order preserved (tags come ranked by votes). */
export function cleanStringList(raw: unknown, limit = Infinity): string[] {
  if (!Array.isArray(raw)) return [];
  const seen = new Set<string>();
  for (const value of raw) {
    if (typeof value !== 'string') continue;
    const text = value.trim();
    if (text && !seen.has(text)) seen.add(text);
    if (seen.size >= limit) break;
  }
  return [...seen];
}

function cleanText(raw: unknown): string | null {
  if (typeof raw !== 'string') return null;
  const text = raw.trim();
  return text === '' ? null : text;
}

/** Steam app ids are digit strings; pandas sometimes writes them as numbers. */
function cleanAppId(raw: unknown): string | null {
  if (typeof raw === 'number' && Number.isInteger(raw) && raw >= 0) return String(raw);
  const text = cleanText(raw);
  return text !== null && /^\d+$/.test(text) ? text : null;
}

/** Tags are ranked by player votes; past ~20 they add bytes but little signal. */
export const maxTagsPerGame = 20;

export type CleanedRecord =
  { kind: 'entry'; entry: CatalogEntry; filledFields: number } | { kind: 'padding' } | { kind: 'noId' };

/** Cleans one parsed export record. All-missing rows are 'padding'; rows without an id 'noId'. */
export function cleanCatalogRecord(record: unknown): CleanedRecord {
  if (record === null || typeof record !== 'object' || Array.isArray(record)) return { kind: 'noId' };
  const fields = record as Record<string, unknown>;
  const filledFields = Object.values(fields).filter((value) => value !== null).length;
  if (filledFields === 0) return { kind: 'padding' };
  const appId = cleanAppId(fields.id);
  if (appId === null) return { kind: 'noId' };
  const entry: CatalogEntry = {
    appId,
    title: cleanText(fields.title) ?? cleanText(fields.app_name),
    price: normalisePrice(fields.price),
    genres: cleanStringList(fields.genres),
    tags: cleanStringList(fields.tags, maxTagsPerGame),
    developer: cleanText(fields.developer) ?? '',
    released: normaliseReleaseDate(fields.release_date),
    earlyAccess: fields.early_access === true,
  };
  return { kind: 'entry', entry, filledFields };
}

export interface CatalogStats {
  linesRead: number;
  blankLines: number;
  unparseableLines: number;
  paddingRows: number;
  rowsWithoutId: number;
  /** rows with an id, duplicates included (the README's 32,133) */
  rowsWithId: number;
  duplicateIdRowsDropped: number;
  distinctIds: number;
  named: number;
  withPrice: number;
  withGenres: number;
  distinctGenres: number;
  withTags: number;
}

export interface CleanCatalogResult {
  entries: Map<string, CatalogEntry>;
  stats: CatalogStats;
}

/**
 * Cleans the whole export. When an id appears twice the row with more filled fields wins
 * and, on a tie, the earlier line: both rules depend only on the file, so every run keeps
 * the same row.
 */
export function cleanCatalog(lines: Iterable<string>): CleanCatalogResult {
  const entries = new Map<string, CatalogEntry>();
  const filledById = new Map<string, number>();
  const stats: CatalogStats = {
    linesRead: 0,
    blankLines: 0,
    unparseableLines: 0,
    paddingRows: 0,
    rowsWithoutId: 0,
    rowsWithId: 0,
    duplicateIdRowsDropped: 0,
    distinctIds: 0,
    named: 0,
    withPrice: 0,
    withGenres: 0,
    distinctGenres: 0,
    withTags: 0,
  };

  for (const line of lines) {
    stats.linesRead++;
    if (line.trim() === '') {
      stats.blankLines++;
      continue;
    }
    let record: unknown;
    try {
      record = parseCatalogLine(line);
    } catch {
      stats.unparseableLines++;
      continue;
    }
    const cleaned = cleanCatalogRecord(record);
    if (cleaned.kind === 'padding') {
      stats.paddingRows++;
      continue;
    }
    if (cleaned.kind === 'noId') {
      stats.rowsWithoutId++;
      continue;
    }
    stats.rowsWithId++;
    const { appId } = cleaned.entry;
    const previousFilled = filledById.get(appId);
    if (previousFilled !== undefined) {
      stats.duplicateIdRowsDropped++;
      if (cleaned.filledFields <= previousFilled) continue;
    }
    entries.set(appId, cleaned.entry);
    filledById.set(appId, cleaned.filledFields);
  }

  const genres = new Set<string>();
  for (const entry of entries.values()) {
    if (entry.title !== null) stats.named++;
    if (entry.price !== null) stats.withPrice++;
    if (entry.genres.length > 0) stats.withGenres++;
    if (entry.tags.length > 0) stats.withTags++;
    entry.genres.forEach((genre) => genres.add(genre));
  }
  stats.distinctIds = entries.size;
  stats.distinctGenres = genres.size;
  return { entries, stats };
}
