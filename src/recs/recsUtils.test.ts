import { describe, expect, it } from 'vitest';
import type { Game } from '../data/types';
import { filterGames, sortGames } from './browse';
import { buildCatalogIndex, jaccard, JaccardCache } from './catalogIndex';
import { explain } from './explain';
import { createRng } from '../ml/random';
import { mmrRerank, type Candidate } from './mmr';
import { excludedItems, filterPredicate } from './rules';
import { buildGameSearch } from './search';

const game = (id: number, title: string, extra: Partial<Game> = {}): Game => ({
  id,
  appId: String(1000 + id),
  title,
  price: 9.99,
  genres: [],
  tags: [],
  developer: '',
  released: '2015-01-01',
  earlyAccess: false,
  ...extra,
});

const games = [
  game(0, 'Terraria', { genres: ['Action', 'Indie'], tags: ['Sandbox', 'Crafting'], developer: 'Re-Logic' }),
  game(1, 'Sid Meier’s Civilization V', { genres: ['Strategy'], tags: ['Turn-Based'], price: 29.99 }),
  game(2, 'Team Fortress 2', { genres: ['Action'], tags: ['FPS'], price: 0, released: '2007-10-10' }),
  game(3, 'Unknown Price', { genres: ['Strategy'], price: null, released: null }),
];

describe('jaccard', () => {
  it('is |A∩B| / |A∪B|', () => {
    // {1,2,3} vs {2,3,4}: 2 shared of 4 distinct
    expect(jaccard(Int32Array.from([1, 2, 3]), Int32Array.from([2, 3, 4]))).toBe(0.5);
    expect(jaccard(Int32Array.from([]), Int32Array.from([1]))).toBe(0);
  });

  it('remembered pair by pair, gives exactly what computing it gives, in either order and past capacity', () => {
    const rng = createRng(8);
    const features = Array.from({ length: 30 }, () =>
      Int32Array.from(new Set(Array.from({ length: rng.nextInt(8) }, () => rng.nextInt(12)))).sort(),
    );
    const cache = new JaccardCache(features, 50);
    for (let i = 0; i < 2000; i++) {
      const a = rng.nextInt(30);
      const b = rng.nextInt(30);
      expect(cache.similarity(a, b)).toBe(jaccard(features[a], features[b]));
      expect(cache.similarity(b, a)).toBe(jaccard(features[b], features[a]));
    }
  });
});

describe('mmr', () => {
  const candidates = [
    { item: 0, relevance: 1 },
    { item: 1, relevance: 0.9 },
    { item: 2, relevance: 0.5 },
  ];
  // items 0 and 1 are near-duplicates, 2 is unlike both
  const similarity = (a: number, b: number) => ((a === 0 && b === 1) || (a === 1 && b === 0) ? 1 : 0);

  it('is plain relevance order at diversity 0', () => {
    expect(mmrRerank(candidates, 3, 0, similarity).map((c) => c.item)).toEqual([0, 1, 2]);
  });

  it('skips a near-duplicate when diversity is high', () => {
    // at λ = 0.5: after picking 0, item 1 scores 0.5·0.9 − 0.5·1 = −0.05, item 2 scores 0.25
    expect(mmrRerank(candidates, 2, 0.5, similarity).map((c) => c.item)).toEqual([0, 2]);
  });

  it('picks exactly what recomputing every redundancy each round picks', () => {
    // the straightforward MMR: redundancy is the maximum over all picks, recomputed per round
    const naive = (
      pool: readonly Candidate[],
      k: number,
      diversity: number,
      sim: (a: number, b: number) => number,
    ) => {
      const lambda = Math.min(1, Math.max(0, diversity));
      const remaining = [...pool];
      const picked: Candidate[] = [];
      while (picked.length < k && remaining.length > 0) {
        let best = 0;
        let bestValue = -Infinity;
        remaining.forEach((candidate, index) => {
          const redundancy = picked.reduce((max, p) => Math.max(max, sim(candidate.item, p.item)), 0);
          const value = (1 - lambda) * candidate.relevance - lambda * redundancy;
          if (value > bestValue) {
            bestValue = value;
            best = index;
          }
        });
        picked.push(remaining.splice(best, 1)[0]);
      }
      return picked;
    };
    const rng = createRng(4);
    for (let trial = 0; trial < 60; trial++) {
      const size = 1 + rng.nextInt(40);
      // coarse relevances and similarities, so ties are common
      const pool = Array.from({ length: size }, (_, i) => ({ item: i * 3, relevance: rng.nextInt(5) / 4 }));
      const table = Array.from({ length: size * 3 * size * 3 }, () => rng.nextInt(4) / 3);
      const sim = (a: number, b: number) => table[a * size * 3 + b]; // not symmetric on purpose
      const k = 1 + rng.nextInt(12);
      const diversity = [0, 0.3, 0.5, 0.9, 1][trial % 5];
      expect(mmrRerank(pool, k, diversity, sim)).toEqual(naive(pool, k, diversity, sim));
    }
    expect(mmrRerank([], 3, 0.5, similarity)).toEqual([]);
  });
});

describe('rules', () => {
  it('excludes owned, cart and hidden games, and applies genre and price filters', () => {
    const signals = { history: [], weights: [], verbs: [], owned: [1], inCart: [2], hidden: [3] };
    expect([...excludedItems(signals)].sort()).toEqual([1, 2, 3]);
    const index = buildCatalogIndex(games);
    const allow = filterPredicate(index, { ...signals, genre: 'Strategy', maxPrice: 20 })!;
    // game 1 is Strategy but $29.99; game 3 is Strategy with an unknown price
    expect([0, 1, 2, 3].filter(allow)).toEqual([]);
    expect([0, 1, 2, 3].filter(filterPredicate(index, { ...signals, maxPrice: 20 })!)).toEqual([0, 2]);
    expect(filterPredicate(index, signals)).toBeUndefined();
  });
});

describe('browse', () => {
  it('filters by genre, free only, price range and year; unknown values never pass a filter', () => {
    expect(filterGames(games, { genre: 'Action' }).map((g) => g.id)).toEqual([0, 2]);
    expect(filterGames(games, { freeOnly: true }).map((g) => g.id)).toEqual([2]);
    expect(filterGames(games, { minPrice: 5, maxPrice: 10 }).map((g) => g.id)).toEqual([0]);
    expect(filterGames(games, { fromYear: 2010 }).map((g) => g.id)).toEqual([0, 1]);
    expect(filterGames(games, { tag: 'FPS' }).map((g) => g.id)).toEqual([2]);
  });

  it('sorts with unknown prices and dates last', () => {
    expect(sortGames(games, 'priceAsc').map((g) => g.id)).toEqual([2, 0, 1, 3]);
    expect(sortGames(games, 'priceDesc').map((g) => g.id)).toEqual([1, 0, 2, 3]);
    expect(sortGames(games, 'newest').map((g) => g.id)).toEqual([0, 1, 2, 3]);
    expect(sortGames(games, 'title').map((g) => g.title)[0]).toBe('Sid Meier’s Civilization V');
  });
});

describe('search', () => {
  const search = buildGameSearch(games);
  it('matches prefixes', () => {
    expect(search.search('civ')[0].item).toBe(1);
    expect(search.search('terr')[0].item).toBe(0);
  });
  it('tolerates a typo', () => {
    expect(search.search('terarria')[0].item).toBe(0);
  });
  it('searches tags and developers', () => {
    expect(search.search('crafting').map((h) => h.item)).toEqual([0]);
    expect(search.search('re-logic').map((h) => h.item)).toEqual([0]);
  });
  it('finds nothing for nonsense and for an empty query', () => {
    expect(search.search('zzzzqqq')).toEqual([]);
    expect(search.search('  ')).toEqual([]);
  });
});

describe('explanations', () => {
  const titleOf = (id: number) => games[id].title;
  it('turns each reason into a sentence naming its source', () => {
    expect(explain({ kind: 'becauseYouInteracted', item: 0, verb: 'bought' }, titleOf)).toBe(
      'Because you bought Terraria',
    );
    expect(explain({ kind: 'ownedTogether', item: 2 }, titleOf)).toBe(
      'Popular with players who own Team Fortress 2',
    );
    expect(explain({ kind: 'genreInterest', genre: 'Strategy' }, titleOf)).toBe(
      'Matches your interest in Strategy',
    );
    expect(explain({ kind: 'sharesTags', item: 0, tags: ['Sandbox', 'Indie'] }, titleOf)).toBe(
      'Also Sandbox, Indie',
    );
  });
});
