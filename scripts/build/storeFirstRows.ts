// A new shopper's home rows, ranked at build time by the store worker's own code: the same split,
// the neighbour file the worker reads (through the worker's reader), the same ranker and the same
// request the page sends when nothing is stored. The page paints them before the worker answers.
import type { Game } from '../../src/data/types';
import { decodeCommunity } from '../../src/ml/communityData';
import { buildCatalogIndex } from '../../src/recs/catalogIndex';
import type { PaintableRows } from '../../src/worker/store/firstRows';
import { homeRequestKey, newShopperHomeRequest } from '../../src/worker/store/homeRequest';
import type { StoreTrainingMode } from '../../src/worker/store/protocol';
import {
  communityHash,
  neighboursFingerprint,
  preparedNeighbours,
  storeSplit,
} from '../../src/worker/store/storeNeighbours';
import { answerRequest, newStoreRanker } from '../../src/worker/store/storeRanking';
import type { NeighbourFile } from './storeNeighbourFiles';

export interface FirstRowsInput {
  games: Game[];
  communityBytes: ArrayBuffer;
  /** the build's neighbour files: one ranking per mode, from that mode's file */
  neighbourFiles: readonly NeighbourFile[];
}

const asArrayBuffer = (bytes: Uint8Array): ArrayBuffer =>
  bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;

export async function storeFirstRows({
  games,
  communityBytes,
  neighbourFiles,
}: FirstRowsInput): Promise<Partial<Record<StoreTrainingMode, PaintableRows>>> {
  const community = decodeCommunity(communityBytes);
  const index = buildCatalogIndex(games);
  const dataHash = communityHash(communityBytes);
  const request = newShopperHomeRequest();
  const modes: Partial<Record<StoreTrainingMode, PaintableRows>> = {};
  for (const file of neighbourFiles) {
    const { plan } = file;
    const ranker = newStoreRanker(index, community, storeSplit(community, plan));
    const table = await preparedNeighbours(
      { bytes: asArrayBuffer(file.bytes) },
      neighboursFingerprint(dataHash, plan, ranker.knn.config),
      {
        readCache: () => Promise.resolve(null),
        // the file was written by this build: one the worker would refuse is a build error
        warn: (message) => {
          throw new Error(`${file.fileName}: ${message}`);
        },
      },
    );
    await ranker.fit(table.snapshot ?? undefined);
    const answer = answerRequest(ranker, request, games);
    modes[file.mode] = { requestKey: homeRequestKey(request), rows: answer.rows, games: answer.games ?? [] };
  }
  return modes;
}
