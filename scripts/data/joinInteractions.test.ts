import { describe, expect, it } from 'vitest';
import { interactionKind } from '../../src/ml/communityData';
import {
  dateReviews,
  isoDateToDay,
  joinInteractions,
  seededShuffle,
  type CatalogFacts,
  type DatedReviewRow,
  type OwnedRow,
} from './joinInteractions';

const catalog = new Map<string, CatalogFacts>([
  ['10', { title: 'Ten', price: 9.99 }],
  ['20', { title: 'Twenty', price: 0 }],
  ['30', { title: 'Thirty', price: null }],
  ['40', { title: null, price: 4.99 }],
]);

describe('isoDateToDay', () => {
  it('counts days since 1970-01-01 and rejects non-dates', () => {
    expect(isoDateToDay('1970-01-02')).toBe(1);
    expect(isoDateToDay('2015-12-31')).toBe(16800);
    expect(isoDateToDay('1970-01-01')).toBeNull(); // day 0 is reserved for "unknown"
    expect(isoDateToDay('2015-02-29')).toBeNull();
    expect(isoDateToDay('2015')).toBeNull();
  });
});

describe('dateReviews', () => {
  it('dates review rows by (user, item), preferring the earliest of conflicting dates', () => {
    const { reviews, stats } = dateReviews(
      [
        { userId: 'ann', appId: '10', recommend: true },
        { userId: 'ann', appId: '20', recommend: false },
        { userId: 'bob', appId: '10', recommend: true },
      ],
      [
        { userId: 'ann', appId: '10', recommend: true, day: 16000 },
        { userId: 'ann', appId: '10', recommend: true, day: 16000 },
        { userId: 'bob', appId: '10', recommend: false, day: 16100 },
        { userId: 'bob', appId: '10', recommend: false, day: 16050 },
        { userId: 'cat', appId: '10', recommend: true, day: 16200 },
      ],
    );
    expect(reviews.map((row) => row.day)).toEqual([16000, 0, 16050]);
    expect(stats).toEqual({
      datedRowsRead: 5,
      datedRowsRepeated: 1,
      datedPairsWithConflictingDates: 1,
      datedPairsUnmatched: 1,
      recommendDisagreements: 1,
      reviewRowsDated: 2,
      reviewRowsUndated: 1,
    });
  });
});

describe('seededShuffle', () => {
  it('is a deterministic permutation', () => {
    const values = Array.from({ length: 50 }, (_, i) => i);
    const once = seededShuffle(values, 7);
    expect(seededShuffle(values, 7)).toEqual(once);
    expect(once).not.toEqual(values);
    expect([...once].sort((a, b) => a - b)).toEqual(values);
  });
});

describe('joinInteractions', () => {
  const owned: OwnedRow[] = [
    { userId: 'ann', appId: '20', playtimeMinutes: 30 },
    { userId: 'ann', appId: '10', playtimeMinutes: 5 },
    { userId: 'ann', appId: '10', playtimeMinutes: 50 }, // repeated pair: larger playtime wins
    { userId: 'bob', appId: '10', playtimeMinutes: 0 },
    { userId: 'bob', appId: '99', playtimeMinutes: 10 }, // not in the catalog
    { userId: 'bob', appId: '40', playtimeMinutes: 10 }, // in the catalog without a name
    { userId: '', appId: '10', playtimeMinutes: 10 }, // no user
    { userId: 'dan', appId: '10', playtimeMinutes: -3 }, // impossible playtime
  ];
  const reviews: DatedReviewRow[] = [
    { userId: 'ann', appId: '30', recommend: true, day: 16200 },
    { userId: 'ann', appId: '10', recommend: true, day: 16100 },
    { userId: 'ann', appId: '20', recommend: false, day: 0 },
    { userId: 'ann', appId: '20', recommend: true, day: 0 }, // repeated review pair
    { userId: 'eve', appId: '99', recommend: true, day: 0 }, // eve keeps no rows at all
  ];

  it('drops bad, repeated and uncatalogued rows and counts each reason', () => {
    const { stats } = joinInteractions(owned, reviews, catalog);
    expect(stats.read).toEqual({
      ownedRows: 8,
      reviewRows: 5,
      total: 13,
      users: 5,
      games: 5,
      gamesWithAtLeast5: 1,
    });
    expect(stats.joinedToNamedPricedGame).toBe(9);
    expect(stats.dropped).toEqual({
      invalidRow: 2,
      duplicateOwnedRow: 1,
      duplicateReviewRow: 1,
      gameNotInCatalog: 2,
      gameWithoutName: 1,
    });
    expect(stats.kept).toEqual({
      owned: 3,
      recommended: 2,
      notRecommended: 1,
      datedReviews: 2,
      total: 6,
      users: 2,
      games: 3,
      gamesWithAtLeast5: 0,
    });
  });

  it('indexes items by row count then app id, and orders each user: owned, undated, dated', () => {
    const { appIds, community } = joinInteractions(owned, reviews, catalog);
    // '10': 3 rows, '20': 2 rows, '30': 1 row
    expect(appIds).toEqual(['10', '20', '30']);
    expect(community.itemCount).toBe(3);
    expect(community.userCount).toBe(2);

    const rowsOf = (user: number) =>
      Array.from({ length: community.userOffsets[user + 1] - community.userOffsets[user] }, (_, i) => {
        const row = community.userOffsets[user] + i;
        return [
          community.items[row],
          community.kinds[row],
          community.playtimeMinutes[row],
          community.days[row],
        ];
      });
    const users = [0, 1].map(rowsOf).sort((a, b) => b.length - a.length);
    const { owned: own, recommended, notRecommended } = interactionKind;
    expect(users[0]).toEqual([
      [1, own, 30, 0],
      [0, own, 50, 0],
      [1, notRecommended, 0, 0],
      [0, recommended, 0, 16100],
      [2, recommended, 0, 16200],
    ]);
    expect(users[1]).toEqual([[0, own, 0, 0]]);
  });

  it('gives the same bytes for the same input', () => {
    const first = joinInteractions(owned, reviews, catalog);
    const second = joinInteractions([...owned], [...reviews], catalog);
    expect(second).toEqual(first);
  });
});
