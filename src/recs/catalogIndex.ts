// Per-item features the ranker reads many times per request, precomputed once
// from the catalog: genre ids, a tag+genre set for content similarity, prices.
import type { Game } from '../data/types';

export interface CatalogIndex {
  itemCount: number;
  genres: string[];
  /** genre ids of each item */
  itemGenres: number[][];
  /** feature ids (genres, tags, developer) of each item, sorted, for Jaccard similarity */
  itemFeatures: Int32Array[];
  prices: Float32Array;
  titles: string[];
  /** readable name of each feature id ('Strategy', 'Open World', a developer) */
  featureNames: string[];
  /** what each feature id is, beside featureNames (a tag and a genre may share a name) */
  featureKinds: FeatureKind[];
}

export type FeatureKind = 'genre' | 'tag' | 'developer';

const featureKindOfPrefix: Record<string, FeatureKind> = { g: 'genre', t: 'tag', d: 'developer' };

export function buildCatalogIndex(games: readonly Game[]): CatalogIndex {
  const genreIds = new Map<string, number>();
  const featureIds = new Map<string, number>();
  const idOf = (map: Map<string, number>, key: string) => {
    let id = map.get(key);
    if (id === undefined) map.set(key, (id = map.size));
    return id;
  };
  const itemGenres = games.map((g) => g.genres.map((genre) => idOf(genreIds, genre)));
  const itemFeatures = games.map((g) => {
    const keys = [
      ...g.genres.map((x) => `g:${x}`),
      ...g.tags.map((x) => `t:${x}`),
      ...(g.developer ? [`d:${g.developer}`] : []),
    ];
    return Int32Array.from(new Set(keys.map((k) => idOf(featureIds, k)))).sort();
  });
  return {
    itemCount: games.length,
    genres: [...genreIds.keys()],
    itemGenres,
    itemFeatures,
    prices: Float32Array.from(games, (g) => g.price ?? Number.NaN),
    titles: games.map((g) => g.title),
    featureNames: [...featureIds.keys()].map((key) => key.slice(2)),
    featureKinds: [...featureIds.keys()].map((key) => featureKindOfPrefix[key[0]]),
  };
}

/** |A ∩ B| / |A ∪ B| over two sorted id lists. */
export function jaccard(a: Int32Array, b: Int32Array): number {
  if (a.length === 0 || b.length === 0) return 0;
  let i = 0;
  let j = 0;
  let common = 0;
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) {
      common++;
      i++;
      j++;
    } else if (a[i] < b[j]) i++;
    else j++;
  }
  return common / (a.length + b.length - common);
}

/**
 * Jaccard similarity of item pairs, remembered: MMR compares the same pairs on event after
 * event (trending's pool hardly changes, "For you"'s changes a little), and a lookup costs a
 * fraction of a merge of two feature lists. Symmetric, so (a, b) and (b, a) share an entry;
 * when full, it starts over. The values are exactly jaccard's.
 */
export class JaccardCache {
  private readonly values = new Map<number, number>();

  constructor(
    private readonly features: readonly Int32Array[],
    private readonly capacity = 50_000,
  ) {}

  similarity(a: number, b: number): number {
    const low = a < b ? a : b;
    const high = a < b ? b : a;
    const key = low * this.features.length + high;
    let value = this.values.get(key);
    if (value === undefined) {
      value = jaccard(this.features[a], this.features[b]);
      if (this.values.size >= this.capacity) this.values.clear();
      this.values.set(key, value);
    }
    return value;
  }
}
