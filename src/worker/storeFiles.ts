// The store's two data files, fetched side by side from the build's data folder: what the store
// worker ranks from and what the simulator's worker draws its population from.
import type { Game } from '../data/types';

export interface StoreFiles {
  games: Game[];
  /** community.bin as it was served; ml/communityData.ts decodes it */
  communityBytes: ArrayBuffer;
}

/** `mark` hears when each file is in (the store worker's start-up marks). */
export async function fetchStoreFiles(
  dataBaseUrl: string,
  mark: (phase: 'catalog-parsed' | 'community-downloaded') => void = () => undefined,
): Promise<StoreFiles> {
  const [catalogResponse, communityResponse] = await Promise.all([
    fetch(new URL('catalog.json', dataBaseUrl)),
    fetch(new URL('community.bin', dataBaseUrl)),
  ]);
  if (!catalogResponse.ok || !communityResponse.ok) {
    throw new Error(
      `could not load the store's data (HTTP ${catalogResponse.status}/${communityResponse.status})`,
    );
  }
  const [{ games }, communityBytes] = await Promise.all([
    (catalogResponse.json() as Promise<{ games: Game[] }>).then((catalog) => {
      mark('catalog-parsed');
      return catalog;
    }),
    communityResponse.arrayBuffer().then((bytes) => {
      mark('community-downloaded');
      return bytes;
    }),
  ]);
  return { games, communityBytes };
}
