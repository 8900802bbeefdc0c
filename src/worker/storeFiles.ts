// The store's data files, fetched side by side from the build's data folder: what the store
// worker ranks from and what the simulator's worker draws its population from, and, for the store,
// the build's neighbour table (optional: the dev server has none, and the worker fits its own).
import type { Game } from '../data/types';
import type { NeighbourFileFetch } from './store/storeNeighbours';

export interface StoreFiles {
  games: Game[];
  /** community.bin as it was served; ml/communityData.ts decodes it */
  communityBytes: ArrayBuffer;
  /** the neighbour table file asked for, or why there is none (ml/baselines/neighbourTableFile.ts decodes it) */
  neighbours: NeighbourFileFetch;
}

type StoreFileMark = 'catalog-parsed' | 'community-downloaded' | 'neighbours-downloaded';

/** A missing or unreadable optional file is a reason, never a failed start. */
async function optionalFile(url: URL): Promise<{ bytes: ArrayBuffer } | { problem: string }> {
  try {
    const response = await fetch(url);
    if (!response.ok) return { problem: `HTTP ${response.status} for ${url.pathname}` };
    return { bytes: await response.arrayBuffer() };
  } catch (error) {
    return { problem: error instanceof Error ? error.message : String(error) };
  }
}

/** `mark` hears when each file is in (the store worker's start-up marks). */
export async function fetchStoreFiles(
  dataBaseUrl: string,
  mark: (phase: StoreFileMark) => void = () => undefined,
  neighboursFile?: string,
): Promise<StoreFiles> {
  const neighbours = neighboursFile
    ? optionalFile(new URL(neighboursFile, dataBaseUrl)).then((file) => {
        mark('neighbours-downloaded');
        return file;
      })
    : Promise.resolve(null);
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
  return { games, communityBytes, neighbours: await neighbours };
}
