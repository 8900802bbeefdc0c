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

/** co-occurrence as the ranking used it: game 3 is the blockbuster that co-occurs with 0 and 1 */
const coOccurrence = (a: number, b: number) => {
  const pair = [Math.min(a, b), Math.max(a, b)].join('-');
  const table: Record<string, number> = {
    '0-1': 0.9,
    '1-2': 0.5,
    '0-2': 0.2,
    '2-4': 0.1,
    '0-3': 0.4,
    '1-3': 0.7,
  };
  return table[pair] ?? 0;
};

/** lift from source to item, 1 (no association) unless listed; 4 → 1 is high but never co-occurred */
const association = (source: number, item: number) => {
  const table: Record<string, number> = { '0>1': 3, '1>0': 3, '0>2': 2, '1>2': 1.2, '4>2': 1.6, '4>1': 5 };
  return table[`${source}>${item}`] ?? 1;
};

const context = (history: number[], extra: Partial<ReasonContext> = {}): ReasonContext => {
  const shopper = signals(history);
  return {
    index,
    signals: shopper,
    affinity: genreAffinity(index, shopper),
    coOccurrence,
    association,
    isSpecific: (source, item) => association(source, item) >= 1.5,
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
  it('is the specifically related history game, not the one that co-occurs most', () => {
    // for candidate 2: game 1 co-occurs more (0.5 against 0.2) but at lift 1.2; game 0's lift is 2
    expect(strongestSource(2, context([0, 1]))).toBe(0);
  });

  it("weighs each specifically related game's lift by the shopper's confidence in it", () => {
    // candidate 2 from games 0 and 4: lift 2 · 1 against 1.6 · 1, then 2 · 1 against 1.6 · 2 = 3.2
    expect(strongestSource(2, context([0, 4]))).toBe(0);
    expect(strongestSource(2, { ...context([0, 4]), signals: signals([0, 4], [1, 2]) })).toBe(4);
  });

  it('is undefined for a game that co-occurs with the history but is specific to none of it', () => {
    // game 3 co-occurs with 0 and 1 at lift 1: it is simply owned by everyone
    expect(strongestSource(3, context([0, 1]))).toBeUndefined();
    // 4 → 1 has lift 5, but 4 played no part in ranking 1
    expect(strongestSource(1, context([4]))).toBeUndefined();
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

  it('says "popular" when co-occurrence carried a game specific to nothing in the history', () => {
    // even though game 3's genre (Racing) is one the shopper likes a little
    const likesRacing = { ...context([0, 1]), affinity: Float32Array.from([1, 0, 0.6]) };
    expect(explainForYou(3, { coOccurrence: 0.7, genreAffinity: 0.48 }, likesRacing)).toEqual({
      kind: 'popular',
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
    // the blockbuster 3 is specific to no history game, and before MF there is no MF neighbour
    expect(explainHybrid(3, 'coOccurrence', context([0, 1]))).toEqual({ kind: 'popular' });
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
