// What the profile-model scripts need to run the store's models under Node: a tfjs backend
// (wasm by default, its binaries from node_modules) and the store's two data files.
import { decodeCommunity, toInteractionMatrix } from '../../src/ml/communityData';
import type { InteractionMatrix } from '../../src/ml/interactions';
import type { TargetGame } from '../../src/worker/store/profileTargets';
import { readCatalogGames, readCommunityBytes } from '../node/storeFiles';

export { startBackend } from '../node/tfBackend';

export function loadCommunity(): InteractionMatrix {
  return toInteractionMatrix(decodeCommunity(readCommunityBytes()));
}

export function loadCatalogGames(): TargetGame[] {
  return readCatalogGames();
}
