import { describe, expect, it } from 'vitest';
import type { Game } from '../data/types';
import { fromSequences } from '../ml/interactions';
import { buildCatalogIndex } from './catalogIndex';
import { latestGameCounts, logScaled } from './communitySignals';
import { StoreRanker, warmUpSignals } from './storeRanker';
import { noPreferences } from './preferences';
import type { ShopperPreferences, ShopperSignals } from './types';
import { viewedSignals } from './signals';

const game = (id: number, genre: string, tags: string[]): Game => ({
  id,
  appId: String(id),
  title: `Game ${id}`,
  price: 10,
  genres: [genre],
  tags,
  developer: '',
  released: null,
  earlyAccess: false,
});

// Games 0-2 are Strategy, 3-5 are Racing. Community players own within a genre:
// 0 and 1 always together, 3 and 4 always together; 5 is the most owned game.
const games = [
  game(0, 'Strategy', ['Turn-Based', 'War']),
  game(1, 'Strategy', ['Turn-Based', 'War']),
  game(2, 'Strategy', ['Real-Time']),
  game(3, 'Racing', ['Cars']),
  game(4, 'Racing', ['Cars']),
  game(5, 'Racing', ['Arcade']),
];
const community = fromSequences(
  [[0, 1], [0, 1], [0, 1, 2], [3, 4], [3, 4], [5], [5], [5], [5], [5, 3]],
  games.length,
);

async function ranker(): Promise<StoreRanker> {
  const store = new StoreRanker({
    index: buildCatalogIndex(games),
    community,
    recentCounts: Float32Array.from([0, 0, 5, 0, 0, 1]),
  });
  await store.fit();
  return store;
}

const signals = (history: number[], extra: Partial<ShopperSignals> = {}): ShopperSignals => ({
  ...viewedSignals(history),
  ...extra,
});

describe('store ranker', () => {
  it('recommends the most owned games to a new shopper, saying so', async () => {
    const ranked = (await ranker()).rank('forYou', signals([]), 3, 0);
    // owners: 5 → 5, 0 → 3, 1 → 3, 3 → 3 (ties by lower id)
    expect(ranked.map((r) => r.item)).toEqual([5, 0, 1]);
    expect(ranked[0].reason).toEqual({ kind: 'popular' });
  });

  it('after viewing a Strategy game, recommends its co-owned game first, because of that view', async () => {
    const ranked = (await ranker()).rank('forYou', signals([0]), 3, 0);
    expect(ranked[0].item).toBe(1);
    expect(ranked[0].reason).toEqual({ kind: 'becauseYouInteracted', item: 0, verb: 'viewed' });
    // the other Strategy game follows on genre interest, ahead of any Racing game
    expect(ranked[1].item).toBe(2);
    expect(ranked.map((r) => r.item)).not.toContain(0);
  });

  it('never recommends owned, carted or hidden games, and honours filters', async () => {
    const store = await ranker();
    const ranked = store.rank('forYou', signals([0], { owned: [1], inCart: [2], hidden: [5] }), 6, 0);
    expect(ranked.map((r) => r.item).sort()).toEqual([3, 4]);
    const racingOnly = store.rank('forYou', signals([0], { genre: 'Racing' }), 6, 0);
    expect(racingOnly.every((r) => games[r.item].genres[0] === 'Racing')).toBe(true);
  });

  it('explains each pick by what produced its score', async () => {
    // game 5 co-occurs only with 3, through one player: co-occurrence ranks 3 first, but one
    // player is no specific relation (lift (1 + 2) / (1 · 3/17 + 2) = 1.38 < 1.5), so 3 is
    // there for being popular; 4 shares only the Racing genre
    const ranked = (await ranker()).rank('forYou', signals([5]), 3, 0);
    expect(ranked.slice(0, 2).map((r) => r.item)).toEqual([3, 4]);
    expect(ranked[0].reason).toEqual({ kind: 'popular' });
    expect(ranked[1].reason).toEqual({ kind: 'genreInterest', genre: 'Racing' });
    // the third pick has neither: plain popularity
    expect(ranked[2].reason).toEqual({ kind: 'popular' });
  });

  it('answers product rows: similar by content, also-owned by co-occurrence', async () => {
    const store = await ranker();
    const similar = store.rank('similar', signals([]), 2, 0, 0);
    expect(similar[0].item).toBe(1);
    expect(similar[0].reason).toEqual({
      kind: 'sharesTags',
      item: 0,
      tags: ['Strategy', 'Turn-Based', 'War'],
    });
    const alsoOwn = store.rank('alsoOwn', signals([]), 2, 0, 3);
    expect(alsoOwn.map((r) => r.item)).toEqual([4, 5]);
    expect(alsoOwn[0].reason).toEqual({ kind: 'ownedTogether', item: 3 });
  });

  it('ranks trending by recent activity', async () => {
    expect((await ranker()).rank('trending', signals([]), 2, 0).map((r) => r.item)).toEqual([2, 5]);
  });

  it('spreads the list across genres when diversity is high', async () => {
    const store = await ranker();
    const genresOf = (diversity: number) =>
      store.rank('forYou', signals([0]), 2, diversity).map((r) => games[r.item].genres[0]);
    // by relevance alone the two other Strategy games lead (co-owned with 0, then same genre)
    expect(genresOf(0)).toEqual(['Strategy', 'Strategy']);
    // at 0.9, game 2 shares a quarter of its features with game 1 (0.1·relevance − 0.9·0.25 < 0),
    // while a Racing game shares none: it takes the second place
    expect(genresOf(0.9)).toEqual(['Strategy', 'Racing']);
  });

  it('never repeats a game across the rows of one page', async () => {
    const rows = (await ranker()).rankRows(
      [
        { key: 'becauseYouViewed', k: 2, item: 0 },
        { key: 'forYou', k: 3 },
      ],
      signals([0]),
      0,
    );
    // game 0's neighbours are 1 then 2; "For you" then takes the best of the rest
    expect(rows[0].items.map((r) => r.item)).toEqual([1, 2]);
    const forYou = rows[1].items.map((r) => r.item);
    expect(forYou).toHaveLength(3);
    expect(forYou.some((i) => i === 1 || i === 2)).toBe(false);
  });

  it('warming up changes no ranking', async () => {
    const cold = await ranker();
    const warm = await ranker();
    warm.warmUp();
    const rows = [
      { key: 'becauseYouViewed' as const, k: 3, item: 0 },
      { key: 'forYou' as const, k: 3 },
      { key: 'trending' as const, k: 3 },
    ];
    expect(warm.rankRows(rows, signals([0, 3]), 0.3)).toEqual(cold.rankRows(rows, signals([0, 3]), 0.3));
  });

  it("warms up with views, then with what a card's feedback adds (a like, a hidden game, the popularity choice)", () => {
    expect(warmUpSignals(0, 100)).toEqual({
      history: [0, 7, 19],
      weights: [1, 1, 1],
      verbs: ['viewed', 'viewed', 'viewed'],
      owned: [],
      inCart: [],
      hidden: [],
    });
    // round 1: games 1, 8, 20, the middle one liked, game 4 hidden, niche (1 % 4 = 1)
    expect(warmUpSignals(1, 100)).toEqual({
      history: [1, 8, 20],
      weights: [1, 2, 1],
      verbs: ['viewed', 'liked', 'viewed'],
      owned: [],
      inCart: [],
      hidden: [4],
      preferences: { ...noPreferences(), popularity: 0.2 },
    });
    expect(warmUpSignals(3, 100).preferences?.popularity).toBe(0.8);
    // a catalog of 5 wraps around: 8 % 5 = 3, 20 % 5 = 0
    expect(warmUpSignals(1, 5)).toMatchObject({ history: [1, 3, 0], hidden: [4] });
  });
});

describe("store ranker with the shopper's profile edits", () => {
  const prefs = (extra: Partial<ShopperPreferences>): ShopperPreferences => ({
    ...noPreferences(),
    ...extra,
  });
  const muteStrategy = prefs({ muted: { genre: ['Strategy'], tag: [], developer: [] } });

  it('keeps a muted genre out of every personalised row, but not out of Trending', async () => {
    const rows = (await ranker()).rankRows(
      [
        { key: 'becauseYouViewed', k: 3, item: 0 },
        { key: 'forYou', k: 6 },
        { key: 'trending', k: 1 },
      ],
      signals([0], { preferences: muteStrategy }),
      0,
    );
    // game 0's only co-owned games (1, 2) are Strategy: the row is empty
    expect(rows[0].items).toEqual([]);
    // "For you" holds only the three Racing games
    expect(rows[1].items.map((r) => r.item).sort()).toEqual([3, 4, 5]);
    // Trending is everyone's chart: game 2 (Strategy, 5 recent) still leads it
    expect(rows[2].items.map((r) => r.item)).toEqual([2]);
    const store = await ranker();
    expect(
      store.rank('similar', signals([], { preferences: muteStrategy }), 3, 0, 0).map((r) => r.item),
    ).toEqual(expect.not.arrayContaining([1, 2]));
  });

  it('filters personalised rows by the price ceiling, inclusive', async () => {
    const store = await ranker();
    // every game costs $10
    expect(
      store.rank('forYou', signals([0], { preferences: prefs({ priceCeiling: 10 }) }), 6, 0),
    ).toHaveLength(5);
    expect(store.rank('forYou', signals([0], { preferences: prefs({ priceCeiling: 9.99 }) }), 6, 0)).toEqual(
      [],
    );
  });

  it('raises boosted games: a Racing + Arcade boost outranks the co-owned Strategy game', async () => {
    const boosted = prefs({ boosted: { genre: ['Racing'], tag: ['Arcade'], developer: [] } });
    // baseline blend after viewing 0: game 1 = 1 (co-occurrence) + 0.8 (Strategy) + 0.15 · ln 4 / ln 6
    // = 1.916, the best, so it normalises to 1; game 5 = 0.15 · 1 / 1.916 = 0.078, plus two
    // boosted values × 0.5 = 1.078 > 1
    const ranked = (await ranker()).rank('forYou', signals([0], { preferences: boosted }), 1, 0);
    expect(ranked.map((r) => r.item)).toEqual([5]);
  });

  it('turns the popularity order around at "niche"', async () => {
    const store = await ranker();
    const racing = (popularity: number) =>
      store
        .rank('forYou', signals([0], { genre: 'Racing', preferences: prefs({ popularity }) }), 3, 0)
        .map((r) => r.item);
    // neutral: only popularity separates the Racing games (owners 5 > 3 > 2)
    expect(racing(0.5)).toEqual([5, 3, 4]);
    // niche: (0.15/1.916 − 0.5) · ln(1 + owners) / ln 6 reverses it: 4 (−0.26) > 3 (−0.33) > 5 (−0.42)
    expect(racing(0)).toEqual([4, 3, 5]);
    expect(racing(1)).toEqual([5, 3, 4]);
  });
});

describe('"Because you viewed X" reasons', () => {
  // a niche game N, its partner P, and a blockbuster B that 7 of 8 players own
  const [niche, partner, blockbuster] = [0, 1, 2];
  const shop = [
    game(niche, 'Casual', ['Idler']),
    game(partner, 'Casual', ['Idler']),
    game(blockbuster, 'Action', ['FPS']),
    game(3, 'Action', ['FPS']),
    game(4, 'Racing', ['Cars']),
  ];
  const players = [[0, 1, 2], [0, 1, 2], [0, 1], [2, 3], [2, 4], [2], [2], [2, 3]];

  it('name the viewed game for its specific partner, not for a blockbuster that merely co-occurs with it', async () => {
    const store = new StoreRanker({
      index: buildCatalogIndex(shop),
      community: fromSequences(players, shop.length),
      recentCounts: new Float32Array(shop.length),
    });
    await store.fit();
    const ranked = store.rank('forYou', signals([niche]), 2, 0);
    // co-occurrence ranks both: P (3 co-owners) first, then B (2 co-owners, and the most owned)
    expect(ranked.map((r) => r.item)).toEqual([partner, blockbuster]);
    // N's owners own 5 other games: P is expected 5 · 3/16 times, seen 3: lift (3 + 2) / (15/16 + 2) = 1.70
    expect(ranked[0].reason).toEqual({ kind: 'becauseYouInteracted', item: niche, verb: 'viewed' });
    // B is expected 5 · 7/16 times, seen 2: lift (2 + 2) / (35/16 + 2) = 0.96, no more than chance
    expect(ranked[1].reason).toEqual({ kind: 'popular' });
  });
});

describe('the score sources the blend can read beyond the models', () => {
  it("counts each game as players' latest one, and log-scales counts to [0, 1]", () => {
    // the community's rows end with 1, 1, 2, 4, 4, 5, 5, 5, 5, 3
    expect(Array.from(latestGameCounts(community))).toEqual([0, 2, 1, 1, 2, 4]);
    const scaled = logScaled(Float32Array.from([0, 1, 3]));
    // log(1 + x) / log(4): 0, log 2 / log 4 = 1/2, 1
    expect(Array.from(scaled)).toEqual([0, 0.5, 1].map(Math.fround));
    expect(Array.from(logScaled(new Float32Array(2)))).toEqual([0, 0]);
  });

  it("reads co-occurrence from the latest games only, the latest counting most, and the community's latest games", async () => {
    const store = await ranker();
    // 2 was viewed first, then 3 and 0 (the latest): 4 co-occurs only with 3, 1 only with 0
    const sources = store.scoreSources({ ...signals([2, 3, 0]), weights: [1, 1, 1] });
    const recent = sources.recentCoOccurrence!;
    const onlyLatest = store.scoreSources(signals([0])).coOccurrence!;
    const onlyMiddle = store.scoreSources(signals([3])).coOccurrence!;
    // the latest at weight 1, the one before at .5, the third back at .25: 2 is the third back
    const onlyFirst = store.scoreSources(signals([2])).coOccurrence!;
    for (const item of [1, 4, 5])
      expect(recent[item]).toBeCloseTo(onlyLatest[item] + 0.5 * onlyMiddle[item] + 0.25 * onlyFirst[item], 6);
    expect(recent[1]).toBeGreaterThan(recent[4]);
    // the latest game is 5 for four players, 1 and 4 for two, 2 and 3 for one, 0 for none
    expect(Array.from(sources.lastChoice!)).toEqual(
      Array.from(logScaled(Float32Array.from([0, 2, 1, 1, 2, 4]))),
    );
    expect(sources.trending![2]).toBe(1);
    expect(sources.trending![0]).toBe(0);
  });
});
