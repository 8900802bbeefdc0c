// The store's data as the build reads it (public/data) and the neighbour tables fitted from it,
// read and fitted once per build for the two plugins that need them: the neighbour files
// (storeNeighboursPlugin.ts) and a new shopper's first rows (storeFirstRowsPlugin.ts).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Game } from '../../src/data/types';
import { storeNeighbourFiles, type NeighbourFile } from './storeNeighbourFiles';

export interface StoreBuildData {
  games: Game[];
  /** catalog.json as served */
  catalogBytes: Uint8Array;
  /** community.bin as served */
  communityBytes: ArrayBuffer;
  neighbourFiles: NeighbourFile[];
}

const loaded = new Map<string, Promise<StoreBuildData>>();

async function readStoreData(publicDir: string): Promise<StoreBuildData> {
  const catalogBytes = readFileSync(join(publicDir, 'data', 'catalog.json'));
  const community = readFileSync(join(publicDir, 'data', 'community.bin'));
  const communityBytes = community.buffer.slice(
    community.byteOffset,
    community.byteOffset + community.byteLength,
  ) as ArrayBuffer;
  const { games } = JSON.parse(catalogBytes.toString('utf8')) as { games: Game[] };
  return { games, catalogBytes, communityBytes, neighbourFiles: await storeNeighbourFiles(communityBytes) };
}

/** Read and fitted on the first call for a folder; later calls (the other plugin) share it. */
export function storeBuildData(publicDir: string): Promise<StoreBuildData> {
  let data = loaded.get(publicDir);
  if (!data) {
    data = readStoreData(publicDir);
    loaded.set(publicDir, data);
  }
  return data;
}
