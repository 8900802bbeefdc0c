// The home page's first paint: the build's rows from index.html, or the rows the last visit kept
// in localStorage, painted before the store worker answers when paintSources.ts says they are the
// worker's answer: at once from the state version (data/stateVersion.ts) before anything slow
// starts, or at the first request from its key. After each answer the page keeps the rows for the
// next visit, a moment later (never on the click's path), and only while keeping them is allowed:
// with a passphrase set they would reveal taste in plain text, so they are neither kept nor painted.
// The "For you" row's markup is kept beside them, for the next visit to paint before its bundle
// has loaded (earlyMarkup.ts); it follows the same rules and goes with them.
import {
  bumpStateVersion,
  keptMarkupStorageKey,
  keptRowsStorageKey,
  readStateVersion,
  realmLocalStorage,
} from '../../data/stateVersion';
import type { Game } from '../../data/types';
import { firstRowsElementId, type FirstRowsDocument } from '../../worker/store/firstRows';
import { homeRequestKey, newShopperHomeRequest } from '../../worker/store/homeRequest';
import { markupToKeep, type KeptMarkup } from './earlyMarkup';
import { captureHomeMarkup } from './earlyMarkupCapture';
import type { RankedRow, StoreTrainingMode } from '../../worker/store/protocol';
import {
  parseFirstRows,
  parseSavedRows,
  rowsToKeep,
  rowsToPaint,
  rowsToPaintEarly,
  type PaintableRowsChoice,
  type SavedRows,
} from './paintSources';

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
  /** the page's markup for the early paint while its "For you" row shows these games (null: it does not) */
  homeMarkup: (forYouItems: readonly number[]) => string | null;
}

/** The browser's own: index.html's block and localStorage. */
export const browserPaintEnvironment = (
  mode: StoreTrainingMode,
  mayKeep: () => boolean,
): HomePaintEnvironment => ({
  buildRowsText: () => document.getElementById(firstRowsElementId)?.textContent ?? null,
  storage: realmLocalStorage,
  mode,
  mayKeep,
  homeMarkup: (forYouItems) => captureHomeMarkup(document.getElementById('app'), forYouItems),
});

/** Remove the kept rows and markup from this browser (a passphrase was just set: they are taste in plain text). */
export function forgetKeptHomeRows(storage = realmLocalStorage()): void {
  try {
    storage?.removeItem(keptRowsStorageKey);
    storage?.removeItem(keptMarkupStorageKey);
  } catch {
    // storage refused: there is nothing kept to remove
  }
}

/** Rows to paint, their games, and where they come from. */
export interface PaintChoice {
  source: PaintableRowsChoice['source'];
  /** the key of the request these rows answer */
  requestKey: string;
  rows: RankedRow[];
  games: Game[];
}

const paintChoice = (chosen: PaintableRowsChoice): PaintChoice => ({
  source: chosen.source,
  requestKey: chosen.rows.requestKey,
  rows: chosen.rows.rows,
  games: chosen.rows.games,
});

let newShopperKeyMemo: string | undefined;
const newShopperKey = (): string => (newShopperKeyMemo ??= homeRequestKey(newShopperHomeRequest()));

export class HomePaint {
  readonly build: FirstRowsDocument | null;
  private keepTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(private readonly env: HomePaintEnvironment) {
    this.build = parseFirstRows(env.buildRowsText());
  }

  /**
   * The rows to paint before the shopper's storage is read, or null. The vault's state is not
   * known yet, and need not be: setting a passphrase removes the kept rows and, writing the
   * keyring, changes the state version, so no kept rows of a sealed shopper can match it.
   */
  paintEarly(): PaintChoice | null {
    const chosen = rowsToPaintEarly({
      mode: this.env.mode,
      build: this.build,
      saved: this.readSaved(),
      stateVersion: this.stateVersion(),
    });
    return chosen && paintChoice(chosen);
  }

  /** The rows to paint for the page's first home request, or null (the worker paints). */
  paint(requestKey: string): PaintChoice | null {
    const saved = this.env.mayKeep() ? this.readSaved() : null;
    const chosen = rowsToPaint({ requestKey, mode: this.env.mode, build: this.build, saved });
    return chosen && paintChoice(chosen);
  }

  /**
   * The state version a home request is made under. A shopper whose data was stored before this
   * app kept a version has none, although their rows are not a new shopper's: the request's key
   * says so, and a version is written now, so the next visit does not paint the build's rows.
   */
  stateVersionFor(requestKey: string): string | null {
    if (this.stateVersion() === null && requestKey !== newShopperKey()) bumpStateVersion(this.env.storage());
    return this.stateVersion();
  }

  /**
   * The worker answered the newest home request: keep its rows for the next visit (shortly),
   * under the state version once it has held still for a whole delay. A write that began since
   * the request (a dwell, another tab's event) has by then been read by the page, and either
   * changed the request (a newer one cancels this) or changed no row: the rows hold under it too.
   */
  keep(answered: {
    requestKey: string;
    rows: RankedRow[];
    games: () => Game[];
    /** stateVersionFor(the request) */
    stateVersion: string | null;
  }): void {
    this.cancelKeep();
    const keepWhenStill = (stateVersion: string | null): void => {
      this.keepTimer = setTimeout(() => {
        this.keepTimer = null;
        if (!this.env.mayKeep()) return this.forget();
        const now = this.stateVersion();
        if (now !== stateVersion) return keepWhenStill(now);
        const record = rowsToKeep(
          { ...answered, games: answered.games(), stateVersion },
          { mode: this.env.mode, build: this.build },
        );
        // rows that cannot be kept take the markup beside them along (it would describe them)
        const rowsKept = record !== null && this.write(keptRowsStorageKey, record, () => this.forget());
        if (!record) this.forget();
        // the next visit's first render draws these cards only from kept rows, or, under no
        // state version, from the build's (a new shopper's): the markup is kept only beside them
        if (rowsKept || stateVersion === null)
          this.keepMarkup(answered.requestKey, answered.rows, stateVersion);
        else this.forgetMarkup();
      }, keepDelayMs);
    };
    keepWhenStill(answered.stateVersion);
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

  /**
   * The "For you" row as drawn, for the next visit's early paint; kept for a new shopper's rows
   * too (the build's, under no state version), which the rows' record leaves to index.html.
   */
  private keepMarkup(requestKey: string, rows: RankedRow[], stateVersion: string | null): void {
    const forYou = rows.find((row) => row.key === 'forYou')?.items.map((entry) => entry.item);
    const markup = forYou ? this.env.homeMarkup(forYou) : null;
    // nothing to copy (this visit began on another page, or the row is not drawn yet): a copy kept
    // earlier stays, and paints only while its own state version is still the current one
    if (markup === null) return;
    const answered = { rows, stateVersion, requestKey };
    const record = markupToKeep(answered, { mode: this.env.mode, build: this.build }, markup);
    // a markup that does not fit costs only the early paint: the rows just kept stay
    if (record) this.write(keptMarkupStorageKey, record, () => this.forgetMarkup());
    else this.forgetMarkup();
  }

  private forgetMarkup(): void {
    try {
      this.env.storage()?.removeItem(keptMarkupStorageKey);
    } catch {
      // storage refused: nothing kept to remove
    }
  }

  private stateVersion(): string | null {
    return readStateVersion(this.env.storage());
  }

  private readSaved(): SavedRows | null {
    try {
      return parseSavedRows(this.env.storage()?.getItem(keptRowsStorageKey));
    } catch {
      return null;
    }
  }

  /**
   * A failed write (quota, storage refused) only means the next visit paints less: `onFailure`
   * removes what the failed record would have stood beside.
   */
  private write(key: string, record: SavedRows | KeptMarkup, onFailure: () => void): boolean {
    const storage = this.env.storage();
    try {
      storage?.setItem(key, JSON.stringify(record));
      return storage !== null;
    } catch {
      onFailure();
      return false;
    }
  }
}
