// Rows the page can paint before the store worker answers: a new shopper's home rows, ranked by
// the build (scripts/build/storeFirstRowsPlugin.ts) and written into index.html, and the last rows
// a visit showed, kept by the page (ui/firstPaint/). Either is painted only when the page's own
// request has the same key (homeRequest.ts): the worker would answer that request with these rows.
import type { Game } from '../../data/types';
import type { RankedRow, StoreTrainingMode } from './protocol';

/** The id of index.html's `<script type="application/json">` that holds the build's first rows. */
export const firstRowsElementId = 'aisle-first-rows';

export interface PaintableRows {
  /** homeRequestKey of the request these rows answer */
  requestKey: string;
  rows: RankedRow[];
  /** every game the rows show or name (store/rowGames.ts), so no card waits for catalog.json */
  games: Game[];
}

/** What the build writes into index.html. */
export interface FirstRowsDocument {
  /**
   * The build's data and code (the hashed names of its scripts, catalog.json, community.bin):
   * rows kept by an earlier visit are painted only under the build that ranked them.
   */
  buildId: string;
  /** a new shopper's home rows for each `?train=` mode (each mode holds out other players) */
  modes: Partial<Record<StoreTrainingMode, PaintableRows>>;
}
