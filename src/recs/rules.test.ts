import { describe, expect, it } from 'vitest';
import { buildCatalogIndex } from './catalogIndex';
import { excludedItems, filterPredicate } from './rules';
import { sampleGames as games } from './testSupport';

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
