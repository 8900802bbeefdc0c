import { describe, expect, it } from 'vitest';
import { buildGameSearch } from './search';
import { sampleGames as games } from './testSupport';

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
