// The home page's first paint: the build's rows from index.html, or the rows the last visit kept
// in localStorage, painted before the store worker answers when paintSources.ts says they are the
// worker's answer to this request. After each answer the page keeps the rows for the next visit,
// a moment later (never on the click's path), and only while keeping them is allowed: with a
// passphrase set they would reveal taste in plain text, so they are neither kept nor painted.
import type { Game } from '../../data/types';
import { firstRowsElementId, type FirstRowsDocument } from '../../worker/store/firstRows';
import type { RankedRow, StoreTrainingMode } from '../../worker/store/protocol';
import {
  parseFirstRows,
  parseSavedRows,
  rowsToKeep,
  rowsToPaint,
  type PaintSource,
  type SavedRows,
} from './paintSources';

/** The localStorage key of the kept rows ("erase everything" clears all of localStorage). */
export const savedRowsStorageKey = 'aisle:home-rows';

/** Rows are written this long after the last answer, so a burst of clicks costs one write. */
export const keepDelayMs = 400;

export interface HomePaintEnvironment {
  /** the build's rows block, as text (null: none) */
  buildRowsText: () => string | null;
  /** localStorage, or null when the browser refuses it */
  storage: () => Storage | null;
  mode: StoreTrainingMode;
  /** whether rows may be kept and the kept ones painted now (no passphrase, real storage) */
  mayKeep: () => boolean;
}

/** This browser's localStorage, or null where it is refused (reading it may throw). */
function browserLocalStorage(): Storage | null {
  try {
    return globalThis.localStorage ?? null;
  } catch {
    return null;
  }
}

/** The browser's own: index.html's block and localStorage. */
export const browserPaintEnvironment = (
  mode: StoreTrainingMode,
  mayKeep: () => boolean,
): HomePaintEnvironment => ({
  buildRowsText: () => document.getElementById(firstRowsElementId)?.textContent ?? null,
  storage: browserLocalStorage,
  mode,
  mayKeep,
});

/** Remove the kept rows from this browser (a passphrase was just set: they are taste in plain text). */
export function forgetKeptHomeRows(storage = browserLocalStorage()): void {
  try {
    storage?.removeItem(savedRowsStorageKey);
  } catch {
    // storage refused: there is nothing kept to remove
  }
}

export class HomePaint {
  readonly build: FirstRowsDocument | null;
  private keepTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(private readonly env: HomePaintEnvironment) {
    this.build = parseFirstRows(env.buildRowsText());
  }

  /** The rows to paint for the page's first home request, or null (the worker paints). */
  paint(
    requestKey: string,
  ): { source: Exclude<PaintSource, 'worker'>; rows: RankedRow[]; games: Game[] } | null {
    const saved = this.env.mayKeep() ? this.readSaved() : null;
    const chosen = rowsToPaint({ requestKey, mode: this.env.mode, build: this.build, saved });
    return chosen && { source: chosen.source, rows: chosen.rows.rows, games: chosen.rows.games };
  }

  /** The worker answered the newest home request: keep its rows for the next visit (shortly). */
  keep(answered: { requestKey: string; rows: RankedRow[]; games: () => Game[] }): void {
    this.cancelKeep();
    this.keepTimer = setTimeout(() => {
      this.keepTimer = null;
      if (!this.env.mayKeep()) return this.forget();
      const record = rowsToKeep(
        { requestKey: answered.requestKey, rows: answered.rows, games: answered.games() },
        { mode: this.env.mode, build: this.build },
      );
      if (record) this.write(record);
      else this.forget();
    }, keepDelayMs);
  }

  /** A newer request is on its way: the rows waiting to be kept no longer describe the state. */
  cancelKeep(): void {
    if (this.keepTimer !== null) clearTimeout(this.keepTimer);
    this.keepTimer = null;
  }

  /** Remove the kept rows (a passphrase was set); a pending write is dropped too. */
  forget(): void {
    this.cancelKeep();
    forgetKeptHomeRows(this.env.storage());
  }

  private readSaved(): SavedRows | null {
    try {
      return parseSavedRows(this.env.storage()?.getItem(savedRowsStorageKey));
    } catch {
      return null;
    }
  }

  /** A failed write (quota, storage refused) only means the next visit waits for the worker. */
  private write(record: SavedRows): void {
    try {
      this.env.storage()?.setItem(savedRowsStorageKey, JSON.stringify(record));
    } catch {
      this.forget();
    }
  }
}
