// Joining the behaviour files (libraries, reviews, dated reviews) with the cleaned catalog
// into anonymised, densely indexed community rows. Pure: the build script does the I/O.
import { interactionKind, type CommunityData } from '../../src/ml/communityData';
import { isCalendarDate } from './cleanCatalog';

export interface OwnedRow {
  userId: string;
  appId: string;
  playtimeMinutes: number;
}

export interface ReviewRow {
  userId: string;
  appId: string;
  recommend: boolean;
}

export interface DatedReviewRow extends ReviewRow {
  /** days since 1970-01-01 (UTC) */
  day: number;
}

/** The two facts about a catalog entry the join needs. */
export interface CatalogFacts {
  title: string | null;
  price: number | null;
}

const millisPerDay = 86_400_000;

/** Days since 1970-01-01 for a YYYY-MM-DD string, or null when it is not a real date. */
export function isoDateToDay(text: string): number | null {
  const trimmed = text.trim();
  if (!isCalendarDate(trimmed)) return null;
  const day = Date.parse(`${trimmed}T00:00:00Z`) / millisPerDay;
  // day 0 means "unknown" in community.bin, and days are stored as uint16
  return day >= 1 && day <= 0xffff ? day : null;
}

function pairKey(userId: string, appId: string): string {
  return `${userId}\u0000${appId}`;
}

export interface DatingStats {
  datedRowsRead: number;
  datedRowsRepeated: number;
  /** (user, item) pairs listed with two different dates: the earliest is used. */
  datedPairsWithConflictingDates: number;
  /** dated rows whose pair is not among the review rows. */
  datedPairsUnmatched: number;
  /** dated rows whose recommend flag differs from the review row's. */
  recommendDisagreements: number;
  reviewRowsDated: number;
  reviewRowsUndated: number;
}

/**
 * Gives each review row the date of the same (user, item) pair in the dated file, or 0.
 * The undated file's own years are not used: its exporter filled missing years with 2013.
 */
export function dateReviews(
  reviews: readonly ReviewRow[],
  dated: readonly DatedReviewRow[],
): { reviews: DatedReviewRow[]; stats: DatingStats } {
  const dayByPair = new Map<string, number>();
  const recommendByPair = new Map<string, boolean>();
  const stats: DatingStats = {
    datedRowsRead: dated.length,
    datedRowsRepeated: 0,
    datedPairsWithConflictingDates: 0,
    datedPairsUnmatched: 0,
    recommendDisagreements: 0,
    reviewRowsDated: 0,
    reviewRowsUndated: 0,
  };
  for (const row of dated) {
    const key = pairKey(row.userId, row.appId);
    const known = dayByPair.get(key);
    if (known === undefined) {
      dayByPair.set(key, row.day);
      recommendByPair.set(key, row.recommend);
      continue;
    }
    if (known === row.day) stats.datedRowsRepeated++;
    else stats.datedPairsWithConflictingDates++;
    dayByPair.set(key, Math.min(known, row.day));
  }

  const reviewKeys = new Set<string>();
  const datedReviews = reviews.map((row) => {
    const key = pairKey(row.userId, row.appId);
    reviewKeys.add(key);
    const day = dayByPair.get(key) ?? 0;
    if (day > 0) stats.reviewRowsDated++;
    else stats.reviewRowsUndated++;
    const datedRecommend = recommendByPair.get(key);
    if (datedRecommend !== undefined && datedRecommend !== row.recommend) {
      stats.recommendDisagreements++;
    }
    return { ...row, day };
  });
  for (const key of dayByPair.keys()) if (!reviewKeys.has(key)) stats.datedPairsUnmatched++;
  return { reviews: datedReviews, stats };
}

export interface JoinStats {
  read: {
    ownedRows: number;
    reviewRows: number;
    total: number;
    users: number;
    games: number;
    gamesWithAtLeast5: number;
  };
  /** Of all rows read, how many name a catalog game that has a title and a price. */
  joinedToNamedPricedGame: number;
  dropped: {
    invalidRow: number;
    duplicateOwnedRow: number;
    duplicateReviewRow: number;
    gameNotInCatalog: number;
    gameWithoutName: number;
  };
  kept: {
    owned: number;
    recommended: number;
    notRecommended: number;
    datedReviews: number;
    total: number;
    users: number;
    games: number;
    gamesWithAtLeast5: number;
  };
}

export interface JoinResult {
  /** appIds[item] is the Steam app id of dense item index `item`. */
  appIds: string[];
  community: CommunityData;
  stats: JoinStats;
}

interface KeptRow {
  appId: string;
  kind: number;
  playtimeMinutes: number;
  day: number;
  /** position in the source files (owned rows first), for a stable order */
  sourceOrder: number;
}

/** Undated rows come first in each user's row, so the tail is the latest known event. */
function orderGroup(row: KeptRow): number {
  if (row.kind === interactionKind.owned) return 0;
  return row.day === 0 ? 1 : 2;
}

/**
 * Row order within a user: owned games (no dates; a game is owned before it is reviewed)
 * in library order, then undated reviews in file order, then dated reviews by day.
 */
export function compareRowsInUser(a: KeptRow, b: KeptRow): number {
  return orderGroup(a) - orderGroup(b) || a.day - b.day || a.sourceOrder - b.sourceOrder;
}

/** Deterministic PRNG (mulberry32) so the user shuffle is the same on every run. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Fisher-Yates with a fixed seed: same input, same order. */
export function seededShuffle<T>(values: readonly T[], seed: number): T[] {
  const shuffled = [...values];
  const random = seededRandom(seed);
  for (let i = shuffled.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [shuffled[i], shuffled[j]] = [shuffled[j], shuffled[i]];
  }
  return shuffled;
}

export const userShuffleSeed = 20_180_000;

function compareAppIds(a: string, b: string): number {
  return Number(a) - Number(b) || (a < b ? -1 : a > b ? 1 : 0);
}

/** How many distinct values occur at least `minimum` times. */
function countAtLeast(values: readonly string[], minimum: number): number {
  const counts = new Map<string, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  return [...counts.values()].filter((count) => count >= minimum).length;
}

function isValidOwned(row: OwnedRow): boolean {
  return (
    row.userId.trim() !== '' &&
    /^\d+$/.test(row.appId) &&
    Number.isInteger(row.playtimeMinutes) &&
    row.playtimeMinutes >= 0 &&
    row.playtimeMinutes <= 0xffffffff
  );
}

function isValidReview(row: DatedReviewRow): boolean {
  return row.userId.trim() !== '' && /^\d+$/.test(row.appId);
}

/**
 * Joins owned and review rows to the catalog and anonymises users.
 * - A repeated owned (user, game) pair keeps its largest playtime; a repeated review
 *   pair keeps its first row.
 * - Rows whose game is missing from the catalog, or has no name there, are dropped.
 * - Items get dense indexes by kept-row count descending, then numeric app id.
 * - Users get dense indexes from a seeded shuffle of their sorted ids, so neither the ids
 *   nor their alphabetical order survive; users left without rows get no index.
 */
export function joinInteractions(
  owned: readonly OwnedRow[],
  reviews: readonly DatedReviewRow[],
  catalog: ReadonlyMap<string, CatalogFacts>,
): JoinResult {
  const stats: JoinStats = {
    read: {
      ownedRows: owned.length,
      reviewRows: reviews.length,
      total: owned.length + reviews.length,
      users: new Set([...owned, ...reviews].map((row) => row.userId)).size,
      games: new Set([...owned, ...reviews].map((row) => row.appId)).size,
      gamesWithAtLeast5: countAtLeast(
        [...owned, ...reviews].map((row) => row.appId),
        5,
      ),
    },
    joinedToNamedPricedGame: [...owned, ...reviews].filter((row) => {
      const facts = catalog.get(row.appId);
      return Boolean(facts?.title) && facts?.price !== null;
    }).length,
    dropped: {
      invalidRow: 0,
      duplicateOwnedRow: 0,
      duplicateReviewRow: 0,
      gameNotInCatalog: 0,
      gameWithoutName: 0,
    },
    kept: {
      owned: 0,
      recommended: 0,
      notRecommended: 0,
      datedReviews: 0,
      total: 0,
      users: 0,
      games: 0,
      gamesWithAtLeast5: 0,
    },
  };

  const rowsByUser = new Map<string, KeptRow[]>();
  const ownedRowByPair = new Map<string, KeptRow>();
  const reviewedPairs = new Set<string>();
  let sourceOrder = 0;

  const inCatalog = (appId: string): boolean => {
    const facts = catalog.get(appId);
    if (!facts) stats.dropped.gameNotInCatalog++;
    else if (!facts.title) stats.dropped.gameWithoutName++;
    return Boolean(facts?.title);
  };
  const keep = (userId: string, row: KeptRow): void => {
    const rows = rowsByUser.get(userId) ?? [];
    rows.push(row);
    rowsByUser.set(userId, rows);
  };

  for (const row of owned) {
    sourceOrder++;
    if (!isValidOwned(row)) {
      stats.dropped.invalidRow++;
      continue;
    }
    const key = pairKey(row.userId, row.appId);
    const earlier = ownedRowByPair.get(key);
    if (earlier) {
      stats.dropped.duplicateOwnedRow++;
      earlier.playtimeMinutes = Math.max(earlier.playtimeMinutes, row.playtimeMinutes);
      continue;
    }
    const kept: KeptRow = {
      appId: row.appId,
      kind: interactionKind.owned,
      playtimeMinutes: row.playtimeMinutes,
      day: 0,
      sourceOrder,
    };
    // registered before the catalog check so repeats of a dropped pair count as duplicates
    ownedRowByPair.set(key, kept);
    if (inCatalog(row.appId)) keep(row.userId, kept);
  }

  for (const row of reviews) {
    sourceOrder++;
    if (!isValidReview(row)) {
      stats.dropped.invalidRow++;
      continue;
    }
    const key = pairKey(row.userId, row.appId);
    if (reviewedPairs.has(key)) {
      stats.dropped.duplicateReviewRow++;
      continue;
    }
    reviewedPairs.add(key);
    if (!inCatalog(row.appId)) continue;
    keep(row.userId, {
      appId: row.appId,
      kind: row.recommend ? interactionKind.recommended : interactionKind.notRecommended,
      playtimeMinutes: 0,
      day: row.day,
      sourceOrder,
    });
  }

  const countByApp = new Map<string, number>();
  for (const rows of rowsByUser.values()) {
    for (const row of rows) countByApp.set(row.appId, (countByApp.get(row.appId) ?? 0) + 1);
  }
  const appIds = [...countByApp.keys()].sort(
    (a, b) => (countByApp.get(b) ?? 0) - (countByApp.get(a) ?? 0) || compareAppIds(a, b),
  );
  const itemByApp = new Map(appIds.map((appId, item) => [appId, item]));

  const userIds = seededShuffle([...rowsByUser.keys()].sort(), userShuffleSeed);
  const totalRows = [...rowsByUser.values()].reduce((sum, rows) => sum + rows.length, 0);
  const community: CommunityData = {
    userCount: userIds.length,
    itemCount: appIds.length,
    userOffsets: new Uint32Array(userIds.length + 1),
    items: new Int32Array(totalRows),
    kinds: new Uint8Array(totalRows),
    playtimeMinutes: new Uint32Array(totalRows),
    days: new Uint16Array(totalRows),
  };
  let at = 0;
  userIds.forEach((userId, user) => {
    const rows = (rowsByUser.get(userId) ?? []).sort(compareRowsInUser);
    for (const row of rows) {
      community.items[at] = itemByApp.get(row.appId) ?? -1;
      community.kinds[at] = row.kind;
      community.playtimeMinutes[at] = row.playtimeMinutes;
      community.days[at] = row.day;
      at++;
    }
    community.userOffsets[user + 1] = at;
  });

  for (let row = 0; row < totalRows; row++) {
    const kind = community.kinds[row];
    if (kind === interactionKind.owned) stats.kept.owned++;
    else if (kind === interactionKind.recommended) stats.kept.recommended++;
    else stats.kept.notRecommended++;
    if (community.days[row] > 0) stats.kept.datedReviews++;
  }
  stats.kept.total = totalRows;
  stats.kept.users = userIds.length;
  stats.kept.games = appIds.length;
  stats.kept.gamesWithAtLeast5 = countAtLeast(
    [...rowsByUser.values()].flatMap((rows) => rows.map((row) => row.appId)),
    5,
  );
  return { appIds, community, stats };
}
