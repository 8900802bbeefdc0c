import { describe, expect, it } from 'vitest';
import type { Game } from '../data/types';
import { buildCatalogIndex } from './catalogIndex';
import { genreAffinity } from './genreAffinity';
import {
  closestByMf,
  explainForYou,
  explainHybrid,
  genreReason,
  sharedFeatureNames,
  strongestSource,
  verbFor,
  type ReasonContext,
} from './reasons';
import type { ShopperSignals } from './types';

const game = (id: number, genres: string[], tags: string[] = []): Game => ({
  id,
  appId: String(id),
  title: `Game ${id}`,
  price: 10,
  genres,
  tags,
  developer: '',
  released: null,
  earlyAccess: false,
});

// 0, 1: Strategy; 2: Strategy and Indie; 3: Racing; 4: no genre
const index = buildCatalogIndex([
  game(0, ['Strategy'], ['War']),
  game(1, ['Strategy'], ['War']),
  game(2, ['Strategy', 'Indie']),
  game(3, ['Racing']),
  game(4, []),
]);

const signals = (history: number[], weights = history.map(() => 1)): ShopperSignals => ({
  history,
  weights,
  verbs: history.map((_, i) => (i === 0 ? 'bought' : 'viewed')),
  owned: [],
  inCart: [],
  hidden: [],
});

/** co-occurrence: 0–1 at 0.9, 1–2 at 0.5, 0–2 at 0.2, nothing else */
const coOccurrence = (a: number, b: number) => {
  const pair = [Math.min(a, b), Math.max(a, b)].join('-');
  return ({ '0-1': 0.9, '1-2': 0.5, '0-2': 0.2 } as Record<string, number>)[pair] ?? 0;
};

const context = (history: number[], extra: Partial<ReasonContext> = {}): ReasonContext => {
  const shopper = signals(history);
  return {
    index,
    signals: shopper,
    affinity: genreAffinity(index, shopper),
    coOccurrence,
    mf: null,
    ...extra,
  };
};

describe('verbFor', () => {
  it("is the shopper's verb for a history game, and 'viewed' for any other", () => {
    expect(verbFor(signals([3, 0]), 3)).toBe('bought');
    expect(verbFor(signals([3, 0]), 0)).toBe('viewed');
    expect(verbFor(signals([3, 0]), 4)).toBe('viewed');
  });
});

describe('strongestSource', () => {
  it('is the history game whose co-occurrence times confidence is largest', () => {
    // for candidate 2: game 0 gives 0.2·1, game 1 gives 0.5·1
    expect(strongestSource(2, context([0, 1]))).toBe(1);
    // with game 0 three times as confident: 0.2·3 = 0.6 beats 0.5
    const weighted = { ...context([0, 1]), signals: signals([0, 1], [3, 1]) };
    expect(strongestSource(2, weighted)).toBe(0);
  });

  it('is undefined when no history game co-occurs', () => {
    expect(strongestSource(3, context([0, 1]))).toBeUndefined();
  });
});

describe('closestByMf', () => {
  it('is the history game closest in MF space, undefined before MF or when every cosine is ≤ 0', () => {
    const mf = { cosine: (a: number, b: number) => (a + b === 3 ? 0.8 : a + b === 4 ? 0.3 : -0.1) };
    // candidate 3: game 0 at 0.8·1 (0 + 3 = 3), game 1 at 0.3·1 (1 + 3 = 4)
    expect(closestByMf(3, { ...context([0, 1]), mf })).toBe(0);
    expect(closestByMf(3, context([0, 1]))).toBeUndefined();
    expect(closestByMf(4, { ...context([2]), mf })).toBeUndefined();
  });
});

describe('genreReason', () => {
  it("names the item's genre the shopper likes most", () => {
    // history 0, 1, 3: Strategy 2, Racing 1 → game 2 (Strategy, Indie) matches on Strategy
    expect(genreReason(2, context([0, 1, 3]))).toEqual({ kind: 'genreInterest', genre: 'Strategy' });
  });
});

describe('explainForYou', () => {
  it('names the co-occurring history game when co-occurrence contributed at least as much as genre', () => {
    expect(explainForYou(1, { coOccurrence: 0.8, genreAffinity: 0.8 }, context([0]))).toEqual({
      kind: 'becauseYouInteracted',
      item: 0,
      verb: 'bought',
    });
  });

  it('falls back to the genre, then to popularity', () => {
    expect(explainForYou(1, { coOccurrence: 0.3, genreAffinity: 0.8 }, context([0]))).toEqual({
      kind: 'genreInterest',
      genre: 'Strategy',
    });
    // game 3 is Racing, which a Strategy shopper has no affinity for
    expect(explainForYou(3, { coOccurrence: 0, genreAffinity: 0 }, context([0]))).toEqual({
      kind: 'popular',
    });
  });
});

describe('explainHybrid', () => {
  const mf = { cosine: (a: number, b: number) => (a + b === 3 ? 0.8 : 0.1) };

  it("names what drove the dominant model's score", () => {
    const shopper = { ...context([0, 2]), mf };
    expect(explainHybrid(1, 'coOccurrence', shopper)).toEqual({
      kind: 'becauseYouInteracted',
      item: 0,
      verb: 'bought',
    });
    expect(explainHybrid(3, 'mf', shopper)).toEqual({ kind: 'ownedTogether', item: 0 });
    // the sequential model reads the whole session: the reason is the latest game
    expect(explainHybrid(3, 'sequential', shopper)).toEqual({ kind: 'oftenNext', item: 2 });
    expect(explainHybrid(1, 'genreAffinity', shopper)).toEqual({ kind: 'genreInterest', genre: 'Strategy' });
  });

  it('falls back to genre or popularity when the dominant model has nothing in the history to name', () => {
    // no history game co-occurs with 3, and before MF there is no MF neighbour
    expect(explainHybrid(3, 'coOccurrence', context([0]))).toEqual({ kind: 'popular' });
    expect(explainHybrid(1, 'mf', context([0]))).toEqual({ kind: 'genreInterest', genre: 'Strategy' });
    expect(explainHybrid(4, null, context([0]))).toEqual({ kind: 'popular' });
  });
});

describe('sharedFeatureNames', () => {
  it('lists the genres and tags two games share, at most `limit`', () => {
    expect(sharedFeatureNames(index, 0, 1)).toEqual(['Strategy', 'War']);
    expect(sharedFeatureNames(index, 0, 1, 1)).toEqual(['Strategy']);
    expect(sharedFeatureNames(index, 0, 3)).toEqual([]);
  });

  it('says each word once, whatever its case, and fills the limit with distinct words', () => {
    // feature ids by first appearance: g:Action 0, t:Action 1, t:Multiplayer 2, t:multiplayer 3, t:Co-op 4
    const twins = buildCatalogIndex([
      game(0, ['Action'], ['Action', 'Multiplayer', 'multiplayer', 'Co-op']),
      game(1, ['Action'], ['Action', 'Multiplayer', 'multiplayer', 'Co-op']),
    ]);
    expect(sharedFeatureNames(twins, 0, 1)).toEqual(['Action', 'Multiplayer', 'Co-op']);
  });
});
