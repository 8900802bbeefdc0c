// What the profile encoder's heads learn to predict of each game, from the catalogue: its genres
// (ids = the genre names sorted) and its price band. The bands are MF's item-feature bands
// (itemFeatures.ts) without their "unknown" band: an unknown price is no target. The store
// trains with these, and `npm run measure:profile` measures with the very same ones.
import type { ItemAttributeTargets } from '../../ml/models/profileEncoder';
import type { ItemGenres } from '../../ml/eval/genreMix';
import { priceBand, priceBandCount, priceBandLimits } from './itemFeatures';

/** The fields of a catalogue game the encoder reads. */
export interface TargetGame {
  id: number;
  price: number | null;
  genres: readonly string[];
}

export interface ProfileTargets {
  /** genre id → name */
  genreNames: string[];
  /** price band id → words ("under $5") */
  priceBandNames: string[];
  /** the genres as the genre-mix measures read them */
  genres: ItemGenres;
  attributes: Required<ItemAttributeTargets>;
  /** each item's band as a one-genre CSR, so the counted band shares are countedGenreProfile */
  bandsAsGenres: ItemGenres;
}

/** The known bands in words: free, under $5, $5–$10, …, $40 and up. */
export function priceBandNames(): string[] {
  const [free, ...limits] = priceBandLimits;
  const names = ['free', `under $${limits[0]}`];
  for (let i = 1; i < limits.length; i++) names.push(`$${limits[i - 1]}–$${limits[i]}`);
  names.push(`$${limits[limits.length - 1]} and up`);
  return free > 0 ? names : names.slice(1);
}

/** Genres by name (sorted, ids in that order), bands from the price; games must have ids 0..n−1. */
export function profileTargets(games: readonly TargetGame[]): ProfileTargets {
  const itemCount = games.length;
  games.forEach((game, index) => {
    if (game.id !== index) throw new Error(`catalog: game at ${index} has id ${game.id}`);
  });
  const genreNames = [...new Set(games.flatMap((game) => game.genres))].sort();
  const genreIdOf = new Map(genreNames.map((name, id) => [name, id]));
  const offsets = new Uint32Array(itemCount + 1);
  const ids: number[] = [];
  const bands = new Int32Array(itemCount);
  const bandOffsets = new Uint32Array(itemCount + 1);
  const bandIds: number[] = [];
  games.forEach((game, item) => {
    for (const name of new Set(game.genres)) ids.push(genreIdOf.get(name)!);
    offsets[item + 1] = ids.length;
    // itemFeatures' band 0 is "unknown price"; the encoder's bands are the known ones
    bands[item] = priceBand(game.price ?? Number.NaN) - 1;
    if (bands[item] >= 0) bandIds.push(bands[item]);
    bandOffsets[item + 1] = bandIds.length;
  });
  const genreIds = Int32Array.from(ids);
  const knownBands = priceBandCount - 1;
  return {
    genreNames,
    priceBandNames: priceBandNames(),
    genres: { genreCount: genreNames.length, offsets, ids: genreIds },
    attributes: {
      genreCount: genreNames.length,
      itemGenreOffsets: offsets,
      itemGenreIds: genreIds,
      priceBandCount: knownBands,
      itemPriceBands: bands,
    },
    bandsAsGenres: { genreCount: knownBands, offsets: bandOffsets, ids: Int32Array.from(bandIds) },
  };
}
