// The store's co-occurrence neighbour tables, fitted at build time: one file per training mode
// (each holds out other players, so each fits its own table), written beside community.bin. A
// cold visit then reads a table instead of fitting one (about a second on a 2-core laptop). The
// split, the configuration and the fingerprint are the store worker's own (worker/store/
// storeNeighbours.ts, recs/storeKnnConfig.ts), and a test checks the files equal the worker's fit.
import { ItemKnnRecommender, type NeighbourTable } from '../../src/ml/baselines/itemKnn';
import { encodeNeighbourFile } from '../../src/ml/baselines/neighbourTableFile';
import { decodeCommunity } from '../../src/ml/communityData';
import { storeKnnConfig } from '../../src/recs/storeKnnConfig';
import { storeTrainingPlans, type StoreTrainingPlan } from '../../src/worker/store/plan';
import type { StoreTrainingMode } from '../../src/worker/store/protocol';
import {
  communityHash,
  neighboursFileName,
  neighboursFingerprint,
  storeSplit,
} from '../../src/worker/store/storeNeighbours';

export interface NeighbourFile {
  mode: StoreTrainingMode;
  /** the plan whose held-out players the table was fitted without */
  plan: StoreTrainingPlan | null;
  /** the file's name in the data folder */
  fileName: string;
  bytes: Uint8Array;
}

/** The plan each `?train=` mode runs (none: the learned models are off, nothing is held out). */
export const storeModePlans: Record<StoreTrainingMode, StoreTrainingPlan | null> = {
  ...storeTrainingPlans,
  off: null,
};

/** One neighbour table per mode, fitted on community.bin's bytes exactly as the store worker would. */
export async function storeNeighbourFiles(
  communityBytes: ArrayBuffer,
  plans: Partial<Record<StoreTrainingMode, StoreTrainingPlan | null>> = storeModePlans,
): Promise<NeighbourFile[]> {
  const community = decodeCommunity(communityBytes);
  const dataHash = communityHash(communityBytes);
  const files: NeighbourFile[] = [];
  for (const [mode, plan] of Object.entries(plans) as [StoreTrainingMode, StoreTrainingPlan | null][]) {
    const knn = new ItemKnnRecommender(storeKnnConfig);
    await knn.fit(storeSplit(community, plan).train);
    const table = knn.save().arrays as unknown as NeighbourTable;
    files.push({
      mode,
      plan,
      fileName: neighboursFileName(mode),
      bytes: encodeNeighbourFile(table, neighboursFingerprint(dataHash, plan, knn.config)),
    });
  }
  return files;
}
