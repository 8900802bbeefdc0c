// The store's ranker as the store worker builds it and answers a request with it, shared with the
// build (scripts/build/storeFirstRows.ts), which ranks a new shopper's home rows ahead of any visit
// with this same code: the rows the page paints from the build are the worker's, not a copy's.
import type { Game } from '../../data/types';
import { recentCounts, type CommunityData } from '../../ml/communityData';
import type { CatalogIndex } from '../../recs/catalogIndex';
import { StoreRanker } from '../../recs/storeRanker';
import type { HeldOutSplit } from './heldOut';
import type { RankedRow, RankRequest } from './protocol';
import { rowGames } from './rowGames';

/** The baselines rank from the split's training players; trending counts every player's recent games. */
export const newStoreRanker = (index: CatalogIndex, community: CommunityData, split: HeldOutSplit) =>
  new StoreRanker({ index, community: split.train, recentCounts: recentCounts(community) });

/** A ranking request answered: its rows and, when `games` is given, the games those rows show. */
export function answerRequest(
  ranker: StoreRanker,
  request: RankRequest,
  games?: readonly Game[],
): { rows: RankedRow[]; games?: Game[] } {
  const rows = ranker.rankRows(request.rows, request.signals, request.diversity);
  return games ? { rows, games: rowGames(rows, request.signals, games) } : { rows };
}
