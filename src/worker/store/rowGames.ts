// The games a page needs to draw a ranking it asked for before it has the catalog: every card's
// game, the game each reason names, the game a row is about, and the shopper's latest history
// ("Recently viewed" and "Because you viewed X"). Sent with the rows, so the home page's first
// cards never wait for the page to fetch and parse catalog.json (the worker has it parsed already).
import type { Game } from '../../data/types';
import type { ShopperSignals } from '../../recs/types';
import type { RankedRow } from './protocol';

/** As many of the latest history games as "Recently viewed" shows, and one more row's worth. */
export const recentHistoryGames = 20;

/** The ids of those games, each once (the page keeps the same set with the rows it saves). */
export function rowGameIds(rows: readonly RankedRow[], signals: Pick<ShopperSignals, 'history'>): number[] {
  const ids = new Set<number>(signals.history.slice(-recentHistoryGames));
  for (const row of rows) {
    if (row.item !== undefined) ids.add(row.item);
    for (const { item, reason } of row.items) {
      ids.add(item);
      if ('item' in reason) ids.add(reason.item);
    }
  }
  return [...ids];
}

export function rowGames(
  rows: readonly RankedRow[],
  signals: Pick<ShopperSignals, 'history'>,
  games: readonly Game[],
): Game[] {
  return rowGameIds(rows, signals).flatMap((id) => games[id] ?? []);
}
