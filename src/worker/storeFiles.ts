// The store's two data files, fetched side by side from the build's data folder: what the store
// worker ranks from and what the simulator's worker draws its population from.
import type { Game } from '../data/types';

export interface StoreFiles {
  games: Game[];
  /** community.bin as it was served; ml/communityData.ts decodes it */
  communityBytes: ArrayBuffer;
}

export async function fetchStoreFiles(dataBaseUrl: string): Promise<StoreFiles> {
  const [catalogResponse, communityResponse] = await Promise.all([
    fetch(new URL('catalog.json', dataBaseUrl)),
    fetch(new URL('community.bin', dataBaseUrl)),
  ]);
  if (!catalogResponse.ok || !communityResponse.ok) {
    throw new Error(
      `could not load the store's data (HTTP ${catalogResponse.status}/${communityResponse.status})`,
    );
  }
  const { games } = (await catalogResponse.json()) as { games: Game[] };
  return { games, communityBytes: await communityResponse.arrayBuffer() };
}
