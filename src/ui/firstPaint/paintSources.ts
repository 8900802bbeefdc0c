// Which rows the home page may paint before the store worker answers, and which it keeps for the
// next visit. Pure: the page (firstPaint/homePaint.ts) reads index.html and localStorage and passes
// what it read. The rule is one: rows are painted only for a request with the same key (the
// shopper's signals, the rows asked for, the variety: worker/store/homeRequest.ts), from the same
// build and training mode, ranked as the worker ranks a first request (the baseline blend), since
// the worker would answer that request with exactly those rows.
import type { Game } from '../../data/types';
import type { FirstRowsDocument, PaintableRows } from '../../worker/store/firstRows';
import type { RankedRow, StoreTrainingMode } from '../../worker/store/protocol';

export type PaintSource = 'build' | 'saved' | 'worker';

/** Every `?train=` mode the store knows (a mode read from storage or the URL is checked against it). */
export const storeTrainingModes: readonly string[] = [
  'full',
  'quick',
  'tiny',
  'off',
] satisfies StoreTrainingMode[];

/** Rows the page may paint itself, and where they come from. */
export interface PaintableRowsChoice {
  source: Exclude<PaintSource, 'worker'>;
  rows: PaintableRows;
}

/** The last rows a visit showed, with the fingerprint of the state they were ranked from. */
export interface SavedRows extends PaintableRows {
  version: typeof savedRowsVersion;
  buildId: string;
  mode: StoreTrainingMode;
  /** the shopper's state version (data/stateVersion.ts) when the rows were asked for; null: none yet */
  stateVersion: string | null;
}

export const savedRowsVersion = 2;

/** What the page knows when it makes its first home request. */
export interface PaintContext {
  requestKey: string;
  mode: StoreTrainingMode;
  /** index.html's first rows; null on the dev server or when the block is damaged */
  build: FirstRowsDocument | null;
  /** the last visit's rows; null when none were kept (or they may not be used: a passphrase) */
  saved: SavedRows | null;
}

/**
 * The worker's first answer comes from the baselines (learned models load after it), so rows the
 * learned blend ranked are not what it would answer: those are never painted, nor kept.
 */
export const rankedByBaselines = (rows: readonly RankedRow[]): boolean =>
  rows.every((row) => row.blend !== 'hybrid');

/** The kept rows still describe this state: same build, same mode, same request, baseline-ranked. */
export function savedRowsMatch(saved: SavedRows, context: Omit<PaintContext, 'saved'>): boolean {
  return (
    context.build !== null &&
    saved.buildId === context.build.buildId &&
    saved.mode === context.mode &&
    saved.requestKey === context.requestKey &&
    rankedByBaselines(saved.rows)
  );
}

/** What the page knows in its first milliseconds: no shopper data, only localStorage and index.html. */
export interface EarlyPaintContext {
  mode: StoreTrainingMode;
  build: FirstRowsDocument | null;
  saved: SavedRows | null;
  /** the state version now (data/stateVersion.ts); null: nothing that changes a row was ever written */
  stateVersion: string | null;
}

/**
 * The rows to paint before the shopper's storage is read (before the worker exists, before
 * IndexedDB opens): the build's rows while no row-changing write was ever made, or the kept rows
 * while the state version is still the one they were asked for under. Null: wait for the first
 * request (rowsToPaint), then the worker. The first request still checks the key (requestHome).
 */
export function rowsToPaintEarly(context: EarlyPaintContext): PaintableRowsChoice | null {
  const { build, saved, stateVersion, mode } = context;
  const built = build?.modes[mode];
  if (stateVersion === null) return built ? { source: 'build', rows: built } : null;
  if (
    saved &&
    saved.stateVersion === stateVersion &&
    build !== null &&
    saved.buildId === build.buildId &&
    saved.mode === mode &&
    rankedByBaselines(saved.rows)
  )
    return { source: 'saved', rows: saved };
  return null;
}

/** The rows to paint now, and where they come from; null: wait for the worker. */
export function rowsToPaint(context: PaintContext): PaintableRowsChoice | null {
  const built = context.build?.modes[context.mode];
  if (built && built.requestKey === context.requestKey) return { source: 'build', rows: built };
  if (context.saved && savedRowsMatch(context.saved, context))
    return { source: 'saved', rows: context.saved };
  return null;
}

/**
 * What to keep of rows the worker answered, or null to keep nothing: rows the build already
 * holds (a new shopper's), rows from the learned blend, or a page without the build's rows.
 */
export function rowsToKeep(
  answered: { requestKey: string; rows: RankedRow[]; games: Game[]; stateVersion: string | null },
  context: Pick<PaintContext, 'mode' | 'build'>,
): SavedRows | null {
  const { build, mode } = context;
  if (!build || build.modes[mode]?.requestKey === answered.requestKey) return null;
  if (!rankedByBaselines(answered.rows)) return null;
  return { version: savedRowsVersion, buildId: build.buildId, mode, ...answered };
}

// --- reading what was stored: both are text this page wrote, but a damaged copy paints nothing

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function isGame(value: unknown): value is Game {
  return (
    isRecord(value) &&
    Number.isInteger(value.id) &&
    typeof value.title === 'string' &&
    (value.price === null || typeof value.price === 'number') &&
    Array.isArray(value.genres) &&
    Array.isArray(value.tags)
  );
}

function isRankedRow(value: unknown): value is RankedRow {
  return (
    isRecord(value) &&
    typeof value.key === 'string' &&
    Array.isArray(value.items) &&
    value.items.every(
      (entry: unknown) =>
        isRecord(entry) &&
        Number.isInteger(entry.item) &&
        typeof entry.score === 'number' &&
        isRecord(entry.reason) &&
        typeof entry.reason.kind === 'string',
    )
  );
}

function isPaintable(value: unknown): value is PaintableRows {
  return (
    isRecord(value) &&
    typeof value.requestKey === 'string' &&
    Array.isArray(value.rows) &&
    value.rows.every(isRankedRow) &&
    Array.isArray(value.games) &&
    value.games.every(isGame)
  );
}

function parse(text: string | null | undefined): unknown {
  if (!text) return null;
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

/** index.html's first rows, or null when absent or not of the expected shape. */
export function parseFirstRows(text: string | null | undefined): FirstRowsDocument | null {
  const value = parse(text);
  if (!isRecord(value) || typeof value.buildId !== 'string' || !isRecord(value.modes)) return null;
  const entries = Object.entries(value.modes);
  return entries.every(([mode, rows]) => storeTrainingModes.includes(mode) && isPaintable(rows))
    ? (value as unknown as FirstRowsDocument)
    : null;
}

/** The kept rows, or null when none were kept or the copy is not one this version wrote. */
export function parseSavedRows(text: string | null | undefined): SavedRows | null {
  const value = parse(text);
  return isRecord(value) &&
    value.version === savedRowsVersion &&
    typeof value.buildId === 'string' &&
    typeof value.mode === 'string' &&
    storeTrainingModes.includes(value.mode) &&
    (value.stateVersion === null || typeof value.stateVersion === 'string') &&
    isPaintable(value)
    ? (value as unknown as SavedRows)
    : null;
}
