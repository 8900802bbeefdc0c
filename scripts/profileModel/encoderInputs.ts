// What the profile encoder needs of the store's catalog, and the per-player figures the
// measurement reports. The item attributes use the same price bands as MF's item features
// (worker/store/itemFeatures.ts), without its "unknown" band: an unknown price is no target.
import type { ItemAttributeTargets } from '../../src/ml/models/profileEncoder';
import type { ItemGenres } from '../../src/ml/eval/genreMix';
import { priceBand, priceBandCount } from '../../src/worker/store/itemFeatures';
import { hitRateAndNdcg, type HeldOutPlayer } from '../../src/worker/store/heldOut';

/** The fields of a catalog.json game the encoder reads. */
export interface CatalogGame {
  id: number;
  price: number | null;
  genres: readonly string[];
}

export interface EncoderInputs {
  genreNames: string[];
  genres: ItemGenres;
  attributes: Required<ItemAttributeTargets>;
  /** each item's band as a one-genre CSR, so the counted profile of bands is countedGenreProfile */
  bandsAsGenres: ItemGenres;
}

/** Genres by name (sorted, ids in that order), bands from the price; games must have ids 0..n−1. */
export function encoderInputs(games: readonly CatalogGame[]): EncoderInputs {
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

/** HR@k and NDCG@k of each player on their own (the store's rule: history excluded, ties against). */
export function perPlayerRanking(
  players: readonly HeldOutPlayer[],
  scoresOf: (index: number) => Float32Array,
  k = 10,
): { hits: Float64Array; ndcgs: Float64Array } {
  const hits = new Float64Array(players.length);
  const ndcgs = new Float64Array(players.length);
  players.forEach((player, index) => {
    const { hitRate, ndcg } = hitRateAndNdcg([player], () => scoresOf(index), k);
    hits[index] = hitRate;
    ndcgs[index] = ndcg;
  });
  return { hits, ndcgs };
}
