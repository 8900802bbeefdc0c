// The home page's ranking request, named once for the page (ui/pages/Home.svelte) and the build
// (scripts/build/storeFirstRows.ts): the build ranks what a shopper with nothing stored asks
// for, and the page paints those rows only when its own request is that one, key for key.
import { settingsDefaults } from '../../data/settings';
import { emptyEdits } from '../../recs/profile/edits';
import { shopperSignalOptions } from '../../recs/shopperSignalOptions';
import { LiveSignals } from '../../recs/signals';
import type { RankRequest, RowRequest } from './protocol';

/** Cards per home row. */
export const homeRowSize = 10;

export type HomeRequest = RankRequest;

/** The specific row claims its games first; "For you" and "Trending" fill with others. */
export function homeRowRequests(lastViewed: number | undefined): RowRequest[] {
  const rows: RowRequest[] = [];
  if (lastViewed !== undefined) rows.push({ key: 'becauseYouViewed', k: homeRowSize, item: lastViewed });
  rows.push({ key: 'forYou', k: homeRowSize }, { key: 'trending', k: homeRowSize });
  return rows;
}

/**
 * What the home page asks for when nothing is stored: no events, an empty cart, no edits, every
 * setting at its default.
 */
export function newShopperHomeRequest(): HomeRequest {
  const edits = emptyEdits();
  const options = shopperSignalOptions({ cart: [], edits, popularity: settingsDefaults.popularity });
  return {
    signals: new LiveSignals().update([], options),
    rows: homeRowRequests(undefined),
    diversity: settingsDefaults.diversity,
  };
}

/**
 * The request as one string. The rows are a pure function of it, of the build's data and of the
 * models the worker ranks with, so two requests with one key get the same rows from one build.
 * Both sides build their requests through the same functions, so the properties come in one order.
 */
export const homeRequestKey = (request: HomeRequest): string =>
  JSON.stringify([request.signals, request.rows, request.diversity]);
