// What the store's co-occurrence kNN is fitted on, named once for the two places that fit it:
// the store worker (at a visit, when no prepared table can be used) and the build
// (scripts/build/storeNeighbourFiles.ts, which writes the table a visit reads instead). Both split
// the community and fingerprint the result through these functions, so a prepared table is the
// one the worker would have fitted, or it is refused.
import { decodeNeighbourFile } from '../../ml/baselines/neighbourTableFile';
import { toInteractionMatrix, type CommunityData } from '../../ml/communityData';
import type { ModelSnapshot } from '../../ml/recommender';
import { ContentHasher } from '../../ml/io/hash';
import { holdOutLastItems, type HeldOutSplit } from './heldOut';
import type { StoreTrainingPlan } from './plan';
import type { StoreTrainingMode } from './protocol';

/** Every model, baselines included, trains without the held-out players' last games (none without a plan). */
export function storeSplit(community: CommunityData, plan: StoreTrainingPlan | null): HeldOutSplit {
  return holdOutLastItems(toInteractionMatrix(community), plan?.heldOutPlayers ?? 0, plan?.seed ?? 0);
}

/** Identifies community.bin as served: the stored models and the neighbour tables name it. */
export const communityHash = (communityBytes: ArrayBuffer): string =>
  new ContentHasher().updateBytes(new Uint8Array(communityBytes)).digest();

/** The held-out players change the training data, and the kNN configuration the table. */
export function neighboursFingerprint(
  dataHash: string,
  plan: StoreTrainingPlan | null,
  knnConfig: object,
): string {
  return JSON.stringify([dataHash, plan?.heldOutPlayers ?? 0, plan?.seed ?? 0, knnConfig]);
}

/** The build's table for a training mode, in the data folder beside community.bin. */
export const neighboursFileName = (mode: StoreTrainingMode): string => `neighbours-${mode}.bin`;

/** The build's table as fetched (storeFiles.ts): its bytes, why there are none, or null when none was asked for. */
export type NeighbourFileFetch = { bytes: ArrayBuffer } | { problem: string } | null;

/**
 * The neighbour table to load instead of fitting one: the build's file, else the one a previous
 * visit fitted and stored (`readCache`), else null (fit it). A build file that cannot be used is
 * told to `warn` with the reason, since every visit without one pays for the fit.
 */
export async function preparedNeighbours(
  file: NeighbourFileFetch,
  fingerprint: string,
  options: {
    readCache: (fingerprint: string) => Promise<ModelSnapshot | null>;
    warn: (message: string) => void;
  },
): Promise<{ snapshot: ModelSnapshot | null; source: 'build' | 'last visit' | 'none' }> {
  const reading = file && 'bytes' in file ? decodeNeighbourFile(file.bytes, fingerprint) : null;
  if (reading?.ok)
    return { snapshot: { name: 'itemknn', config: {}, arrays: { ...reading.table } }, source: 'build' };
  const problem = reading ? reading.problem : file && 'problem' in file ? file.problem : 'none was asked for';
  options.warn(`the build's neighbour table is not used (${problem}); the store fits its own.`);
  const cached = await options.readCache(fingerprint);
  return { snapshot: cached, source: cached ? 'last visit' : 'none' };
}
