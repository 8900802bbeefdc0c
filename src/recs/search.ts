// Search over titles, tags and developers with prefix matching ("civ" finds
// Civilization) and typo tolerance ("terarria" finds Terraria), via MiniSearch.
import MiniSearch from 'minisearch';
import type { Game } from '../data/types';

export interface SearchHit {
  item: number;
  score: number;
}

export interface GameSearch {
  search(query: string, limit?: number): SearchHit[];
  suggest(query: string, limit?: number): string[];
}

export function buildGameSearch(games: readonly Game[]): GameSearch {
  const index = new MiniSearch<{
    id: number;
    title: string;
    tags: string;
    developer: string;
    genres: string;
  }>({
    fields: ['title', 'tags', 'developer', 'genres'],
    searchOptions: {
      boost: { title: 3, developer: 1.5, genres: 1, tags: 1 },
      prefix: true,
      // one typo per ~5 characters, so short words still have to be nearly right
      fuzzy: (term) => (term.length > 3 ? 0.2 : false),
      combineWith: 'AND',
    },
  });
  index.addAll(
    games.map((g) => ({
      id: g.id,
      title: g.title,
      tags: g.tags.join(' '),
      developer: g.developer,
      genres: g.genres.join(' '),
    })),
  );
  return {
    search(query, limit = 60) {
      if (!query.trim()) return [];
      let hits = index.search(query);
      // if every word must match and nothing does, fall back to any word matching
      if (hits.length === 0) hits = index.search(query, { combineWith: 'OR' });
      return hits.slice(0, limit).map((h) => ({ item: h.id as number, score: h.score }));
    },
    suggest(query, limit = 6) {
      return index
        .autoSuggest(query, { fuzzy: 0.2 })
        .slice(0, limit)
        .map((s) => s.suggestion);
    },
  };
}
