import { describe, expect, it } from 'vitest';
import type { Game } from '../data/types';
import { fromSequences } from '../ml/interactions';
import { createRng } from '../ml/random';
import { buildCatalogIndex } from './catalogIndex';
import { blendScores, type HybridWeights } from '../ml/blend/logisticBlend';
import { defaultPenaltyGrid } from '../ml/blend/penaltyChoice';
import {
  blendPoolRanking,
  blendRankingCase,
  candidatePool,
  dominantFeature,
  featureMatrix,
  fitStoreBlend,
  fitTunedStoreBlend,
  profileBlendColumns,
  rankCandidates,
  rankComponent,
  servingFeatures,
  type BlendColumn,
  type ForYouServing,
  type HybridFeature,
  type ScoreSources,
} from './hybrid';
import type { LearnedModels, ProfileSource } from './scoreSources';
import { StoreRanker } from './storeRanker';
import type { ShopperSignals } from './types';
import { viewedSignals } from './signals';

// the five models' scores, min-max scaled: these tests pin the blend's mechanics, whichever
// columns the store has chosen to serve
const sources5: HybridFeature[] = ['coOccurrence', 'genreAffinity', 'popularity', 'mf', 'sequential'];
const columns: BlendColumn[] = sources5.map((source) => ({ source, scale: 'minMax' }));
const featureIndex = (name: HybridFeature) => sources5.indexOf(name);
const weightsFor = (values: Partial<Record<HybridFeature, number>>): HybridWeights => ({
  weights: sources5.map((f) => values[f] ?? 0),
  bias: 0,
});

/**
 * 40 held-out players over 30 items whose next game the sequential source scores `lead` (the rest
 * of every source is noise in [0, 1)), so that source's order is the one right answer.
 */
function sequentialHeldOuts(seed: number, lead: number) {
  const itemCount = 30;
  const rng = createRng(seed);
  return Array.from({ length: 40 }, (_, c) => {
    const target = c % itemCount;
    const noise = () => Float32Array.from({ length: itemCount }, () => rng.next());
    const sequential = noise();
    sequential[target] = lead;
    const sources: ScoreSources = { coOccurrence: noise(), popularity: noise(), sequential };
    return { sources, target, history: [(target + 1) % itemCount] };
  });
}

/** Co-occurrence and MF scores of four items, small enough to scale by hand. */
const twoSourcesOverFourItems = (): ScoreSources => ({
  coOccurrence: Float32Array.from([0, 10, 5, 0]),
  mf: Float32Array.from([-1, 0, 1, 3]),
});

/** The held-outs' ranking cases over 30 items (pools of 10, 10 catalogue negatives), one seeded draw. */
function rankingCasesOf(heldOuts: ReturnType<typeof sequentialHeldOuts>, blendColumns = columns) {
  const caseRng = createRng(3);
  return heldOuts.map((heldOut) =>
    blendRankingCase(heldOut, 30, caseRng, { pool: 10, catalogue: 10 }, blendColumns),
  );
}

describe("the store blend's ranker", () => {
  it('learns from held-out cases whose target the sequential source predicts', () => {
    // the sequential model always ranks the real next game first
    const rankingCases = rankingCasesOf(sequentialHeldOuts(9, 2));
    // 30 items, 40 per source: the pool is every item but the history, so the target is always in it
    expect(rankingCases.every((c) => c.positiveInPool && c.poolNegatives.length === 10 * 5)).toBe(true);
    const model = fitStoreBlend(rankingCases);
    const best = model.weights.indexOf(Math.max(...model.weights));
    expect(sources5[best]).toBe('sequential');
    // noise sources carry no signal: their weights stay far below the sequential model's
    for (const feature of ['coOccurrence', 'popularity'] as const) {
      expect(Math.abs(model.weights[featureIndex(feature)])).toBeLessThan(0.25 * model.weights[best]);
    }
    expect(model.bias).toBe(0);
  });

  it("scales a case's rows as serving does, items outside the pool included", () => {
    const sources = twoSourcesOverFourItems();
    const features = servingFeatures(sources, [1, 2, 3], columns);
    const rows = featureMatrix(sources, [1, 2, 3], columns);
    const width = columns.length;
    [1, 2, 3].forEach((item, row) =>
      expect(Array.from(features(item))).toEqual(Array.from(rows.subarray(row * width, (row + 1) * width))),
    );
    // item 0 is outside the pool: co-occurrence (0 − 0) / 10 = 0, mf (−1 − 0) / 3 = −1/3
    const outside = features(0);
    expect(outside[featureIndex('coOccurrence')]).toBe(0);
    expect(outside[featureIndex('mf')]).toBeCloseTo(-1 / 3);
    expect(outside[featureIndex('sequential')]).toBe(0);
  });
});

describe("the blend's penalty, chosen on the fitting players", () => {
  it("ranks a validation player's pool as serving would, and finds the held-out game in it", () => {
    const sources = twoSourcesOverFourItems();
    // history 0 is never a candidate: the pool is 1, 2, 3 (co-occurrence's order first)
    const ranking = blendPoolRanking({ sources, target: 2, history: [0] }, columns);
    expect(ranking.targetRow).toBe(1);
    expect(ranking.width).toBe(5);
    expect(Array.from(ranking.rows)).toEqual(Array.from(featureMatrix(sources, [1, 2, 3], columns)));
    expect(blendPoolRanking({ sources, target: 0, history: [0] }, columns).targetRow).toBe(-1);
  });

  it('tries each penalty on half the players, and refits on all of them with the best', () => {
    const heldOuts = sequentialHeldOuts(9, 2);
    const cases = rankingCasesOf(heldOuts);
    const fitsChoice = heldOuts.map((_, i) => i % 2 === 0);
    const validation = heldOuts.filter((_, i) => i % 2 === 1).map((h) => blendPoolRanking(h, columns));
    const { weights, penalty } = fitTunedStoreBlend({ cases, fitsChoice, validation });
    expect(penalty.tried.map((t) => t.l2)).toEqual([...defaultPenaltyGrid]);
    // the sequential model always puts the held-out game first: every penalty ranks it first
    expect(penalty.tried.every((t) => t.ndcg === 1)).toBe(true);
    expect(penalty.l2).toBe(defaultPenaltyGrid[0]);
    expect(weights).toEqual(fitStoreBlend(cases, penalty.l2));
  });
});

describe('rank columns', () => {
  const rankOf = (source: HybridFeature): BlendColumn => ({ source, scale: 'rank' });

  it("read a source's rank discount over the pool, an outsider by where it would fall", () => {
    const sources: ScoreSources = { coOccurrence: Float32Array.from([0, 10, 5, 0]) };
    const read = servingFeatures(sources, [1, 2, 3], [rankOf('coOccurrence'), rankOf('mf')]);
    // over {1, 2, 3}: 10 is first (1), 5 second (1/log2 3), 0 third (1/log2 4 = .5); mf is missing
    expect(Array.from(read(1))).toEqual([1, 0]);
    expect(read(2)[0]).toBeCloseTo(1 / Math.log2(3), 6);
    expect(read(3)[0]).toBe(0.5);
    // item 0 is outside the pool; two pool items score above its 0, as for item 3
    expect(read(0)[0]).toBe(0.5);
  });

  it('name the source whose columns together contributed most, not the largest single column', () => {
    const mixed: BlendColumn[] = [
      { source: 'coOccurrence', scale: 'minMax' },
      rankOf('coOccurrence'),
      { source: 'mf', scale: 'minMax' },
    ];
    const model = { weights: [0.5, 0.5, 0.8], bias: 0 };
    // co-occurrence .5 + .5 = 1 beats mf's .8, though each co-occurrence column is below it
    expect(dominantFeature(model, Float32Array.from([1, 1, 1]), 0, mixed)).toBe('coOccurrence');
    expect(dominantFeature(model, Float32Array.from([0, 0, 1]), 0, mixed)).toBe('mf');
    expect(dominantFeature(model, Float32Array.from([0, 0, 0]), 0, mixed)).toBeNull();
  });

  it('learn the weight of the source whose order finds the next game', () => {
    const both: BlendColumn[] = [...columns, ...sources5.map(rankOf)];
    // first by the sequential model, but by a hair: its order is what counts
    const model = fitStoreBlend(rankingCasesOf(sequentialHeldOuts(4, 1.01), both));
    const best = model.weights.indexOf(Math.max(...model.weights));
    expect(both[best]).toEqual(rankOf('sequential'));
  });
});

describe('blending', () => {
  const sources: ScoreSources = {
    coOccurrence: Float32Array.from([0, 10, 5, 0]),
    mf: Float32Array.from([-1, 0, 1, 3]),
  };

  it('scales each source over the candidates and orders them by the weighted sum', () => {
    const candidates = candidatePool(sources, 4, undefined, columns);
    const rows = featureMatrix(sources, [1, 2, 3], columns);
    // co-occurrence over {1, 2, 3}: 10 -> 1, 5 -> 0.5, 0 -> 0; mf: 0 -> 0, 1 -> 1/3, 3 -> 1
    const width = columns.length;
    expect(rows[0 * width + featureIndex('coOccurrence')]).toBeCloseTo(1);
    expect(rows[1 * width + featureIndex('coOccurrence')]).toBeCloseTo(0.5);
    expect(rows[2 * width + featureIndex('mf')]).toBeCloseTo(1);
    expect(candidates).toHaveLength(4);
    const byCoOccurrence = rankCandidates(weightsFor({ coOccurrence: 1, mf: 0.1 }), sources, {}, columns);
    expect(byCoOccurrence.map((r) => r.item)).toEqual([1, 2, 3, 0]);
    expect(byCoOccurrence[0].dominant).toBe('coOccurrence');
    const byMf = rankCandidates(
      weightsFor({ coOccurrence: 0.1, mf: 1 }),
      sources,
      { exclude: new Set([3]) },
      columns,
    );
    expect(byMf.map((r) => r.item)).toEqual([2, 1, 0]);
    expect(byMf[0].dominant).toBe('mf');
    expect(Array.from(blendScores(weightsFor({ mf: 2 }), rows))).toEqual([0, 2 / 3, 2].map(Math.fround));
  });
});

// The hybrid inside the store ranker, with stand-in learned models whose scores are known.
const game = (id: number, genre: string): Game => ({
  id,
  appId: String(id),
  title: `Game ${id}`,
  price: 10,
  genres: [genre],
  tags: [],
  developer: '',
  released: null,
  earlyAccess: false,
});
const games = [0, 1, 2, 3, 4, 5].map((id) => game(id, id < 3 ? 'Strategy' : 'Racing'));
const community = fromSequences([[0, 1], [0, 1], [3, 4], [5], [5]], games.length);

async function storeWith(learned: LearnedModels | null): Promise<StoreRanker> {
  const store = new StoreRanker({
    index: buildCatalogIndex(games),
    community,
    recentCounts: new Float32Array(games.length),
  });
  await store.fit();
  store.useLearned(learned);
  return store;
}

const fakeLearned = (
  ranker: HybridWeights,
  mfScores: number[],
  sequentialScores: number[],
  serves: ForYouServing = 'blend',
): LearnedModels => ({
  mf: {
    scoreAll: () => Float32Array.from(mfScores),
    // MF says game 0 and game 4 are alike
    cosine: (a, b) => (a + b === 4 && a * b === 0 ? 0.9 : 0.1),
    cosineToAll: (item) =>
      Float32Array.from([0, 1, 2, 3, 4, 5], (j) => (item + j === 4 && item * j === 0 ? 0.9 : 0.1)),
  },
  sequential: { scoreAll: () => Float32Array.from(sequentialScores) },
  ranker,
  columns,
  serves,
});

const signals = (history: number[]): ShopperSignals => viewedSignals(history);

describe('hybrid "For you"', () => {
  it('is used only once learned models exist and the shopper has a history, and says so', async () => {
    const baseline = await storeWith(null);
    expect(baseline.rankRows([{ key: 'forYou', k: 3 }], signals([0]), 0)[0].blend).toBe('baseline');
    const hybrid = await storeWith(
      fakeLearned(weightsFor({ mf: 1 }), [0, 0, 0, 0, 1, 0], [0, 0, 0, 0, 0, 0]),
    );
    expect(hybrid.rankRows([{ key: 'forYou', k: 3 }], signals([]), 0)[0].blend).toBe('baseline');
    const rows = hybrid.rankRows([{ key: 'forYou', k: 3 }], signals([0]), 0);
    expect(rows[0].blend).toBe('hybrid');
    // MF scores game 4 highest: it leads, explained by the history game MF finds closest
    expect(rows[0].items[0].item).toBe(4);
    expect(rows[0].items[0].reason).toEqual({ kind: 'ownedTogether', item: 0 });
  });

  it('names the latest game when the sequential model carries the pick', async () => {
    const store = await storeWith(
      fakeLearned(weightsFor({ sequential: 1 }), [0, 0, 0, 0, 0, 0], [0, 0, 0, 0, 0, 5]),
    );
    const ranked = store.rank('forYou', signals([3, 0]), 2, 0);
    expect(ranked[0].item).toBe(5);
    expect(ranked[0].reason).toEqual({ kind: 'oftenNext', item: 0 });
  });

  it('keeps the co-occurrence and genre reasons when those sources carry the pick', async () => {
    const store = await storeWith(
      fakeLearned(weightsFor({ coOccurrence: 2, genreAffinity: 1 }), [0, 0, 0, 0, 0, 0], [0, 0, 0, 0, 0, 0]),
    );
    const ranked = store.rank('forYou', signals([0]), 2, 0);
    expect(ranked[0]).toMatchObject({ item: 1, reason: { kind: 'becauseYouInteracted', item: 0 } });
    expect(ranked[1]).toMatchObject({ item: 2, reason: { kind: 'genreInterest', genre: 'Strategy' } });
  });

  it('never shows owned, hidden or already seen games, whatever the models say', async () => {
    const store = await storeWith(fakeLearned(weightsFor({ mf: 1 }), [9, 8, 7, 6, 5, 4], [0, 0, 0, 0, 0, 0]));
    const history = signals([0]);
    const ranked = store.rank('forYou', { ...history, owned: [1], hidden: [2] }, 6, 0).map((r) => r.item);
    expect(ranked).not.toContain(0);
    expect(ranked).not.toContain(1);
    expect(ranked).not.toContain(2);
    expect(ranked[0]).toBe(3);
  });
});

describe('"For you" served by one component (the safety rule\'s fallback)', () => {
  // the blend's weights would put game 5 first (sequential); MF alone orders 0 > 1 > … > 5
  const mfScores = [9, 8, 7, 6, 5, 4];
  const sequentialScores = [0, 0, 0, 0, 0, 5];
  const blendWeights = weightsFor({ sequential: 1, mf: 0.1 });

  it('ranks exactly as that component, through the rules, with its own reasons', async () => {
    const store = await storeWith(fakeLearned(blendWeights, mfScores, sequentialScores, 'mf'));
    const shopper = { ...signals([0]), owned: [1], hidden: [3] };
    const ranked = store.rank('forYou', shopper, 4, 0);
    // history 0, owned 1 and hidden 3 never appear; the rest in MF's order
    expect(ranked.map((r) => r.item)).toEqual([2, 4, 5]);
    // MF's reason: the history game closest in MF space (game 0, the only one)
    expect(ranked.every((r) => r.reason.kind === 'ownedTogether')).toBe(true);
    const sources = store.scoreSources(shopper);
    const alone = rankComponent('mf', sources, 4, { exclude: new Set([0, 1, 3]) }).map((r) => r.item);
    expect(ranked.map((r) => r.item)).toEqual(alone);
    expect(store.rankRows([{ key: 'forYou', k: 3 }], shopper, 0)[0].blend).toBe('hybrid');
  });

  it('differs from the blend it replaces, and is what rankForYouWith measures', async () => {
    const learned = fakeLearned(blendWeights, mfScores, sequentialScores, 'blend');
    const store = await storeWith(learned);
    expect(store.rank('forYou', signals([0]), 2, 0).map((r) => r.item)).toEqual([5, 1]);
    const asMf = store.rankForYouWith({ ...learned, serves: 'mf' }, signals([0]), 2, 0);
    expect(asMf.map((r) => r.item)).toEqual([1, 2]);
    // measuring another serving does not change what the store serves
    expect(store.rank('forYou', signals([0]), 2, 0).map((r) => r.item)).toEqual([5, 1]);
    expect(store.rankForYouWith(learned, signals([0]), 2, 0)).toEqual(
      store.rank('forYou', signals([0]), 2, 0),
    );
    expect(store.rankForYouWith(null, signals([0]), 2, 0)).toEqual(
      (await storeWith(null)).rank('forYou', signals([0]), 2, 0),
    );
  });
});

describe('"Because you viewed X" scores reused across events', () => {
  const learned = () => fakeLearned(weightsFor({ mf: 1 }), [0, 0, 0, 0, 1, 0], [0, 0, 0, 0, 0, 0]);
  const row = (store: StoreRanker, item: number, history: ShopperSignals) =>
    store.rank('becauseYouViewed', history, 4, 0, item);

  it('rank the same as a fresh ranker, for every item in turn and again', async () => {
    const store = await storeWith(learned());
    for (const round of [0, 1]) {
      for (const item of [0, 3, 5, 0, 1, 2, 3, 4, 5]) {
        const history = signals(round === 0 ? [item] : [5, item]);
        expect(row(store, item, history)).toEqual(row(await storeWith(learned()), item, history));
      }
    }
  });

  it('follow the models: switching MF off or on is never answered from the old scores', async () => {
    const store = await storeWith(learned());
    const withMf = row(store, 0, signals([0]));
    store.useLearned(null);
    const without = row(store, 0, signals([0]));
    expect(without).toEqual(row(await storeWith(null), 0, signals([0])));
    // MF's cosine puts game 4 next to game 0; co-occurrence alone knows only game 1
    expect(withMf.map((r) => r.item)).toContain(4);
    expect(without.map((r) => r.item)).toEqual([1]);
    store.useLearned(learned());
    expect(row(store, 0, signals([0]))).toEqual(withMf);
  });
});

describe('the profile encoder\'s columns in "For you"', () => {
  // the profile embedding scores game 2 highest; its predicted genres match the Racing games (3–5)
  const profile: ProfileSource = {
    read: (history) => ({
      nextGame: Float32Array.from([0, 0, history.length, 0, 0, 0]),
      genreMatch: Float32Array.from([0.1, 0.1, 0.1, 0.6, 0.6, 0.6]),
    }),
  };
  const onlyProfile = (weight: number, genreWeight: number): HybridWeights => ({
    weights: profileBlendColumns.map((column) =>
      column.source === 'profile' ? weight : column.source === 'profileGenres' ? genreWeight : 0,
    ),
    bias: 0,
  });
  const withProfile = (ranker: HybridWeights): LearnedModels => ({
    ...fakeLearned(ranker, [0, 0, 0, 0, 0, 0], [0, 0, 0, 0, 0, 0]),
    profile,
    columns: profileBlendColumns,
  });

  it('are sources only once a profile model exists', async () => {
    const store = await storeWith(null);
    const without = store.scoreSources(
      signals([0]),
      fakeLearned(weightsFor({ mf: 1 }), [0, 0, 0, 0, 0, 0], [0, 0, 0, 0, 0, 0]),
    );
    expect(without.profile).toBeUndefined();
    const sources = store.scoreSources(signals([0, 1]), withProfile(onlyProfile(1, 0)));
    // the history's length (2) at game 2, as the stand-in reads it
    expect(Array.from(sources.profile!)).toEqual([0, 0, 2, 0, 0, 0]);
    expect(sources.profileGenres![3]).toBeCloseTo(0.6);
  });

  it('rank with their learned weights, the embedding explained by the latest game, the genres by a genre', async () => {
    const byEmbedding = await storeWith(withProfile(onlyProfile(1, 0)));
    const top = byEmbedding.rank('forYou', signals([0]), 1, 0)[0];
    expect(top).toEqual(expect.objectContaining({ item: 2, reason: { kind: 'oftenNext', item: 0 } }));
    const byGenres = await storeWith(withProfile(onlyProfile(0, 1)));
    const ranked = byGenres.rank('forYou', signals([0]), 3, 0);
    // the three Racing games lead (ties broken by id); the genre reason names no source model
    expect(ranked.map((r) => r.item)).toEqual([3, 4, 5]);
    expect(ranked[0].reason.kind).not.toBe('oftenNext');
  });
});
