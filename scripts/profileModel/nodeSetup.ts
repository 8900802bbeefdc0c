// What the profile-model scripts need to run the store's models under Node: a tfjs backend
// (wasm by default, its binaries from node_modules) and the store's two data files.
import { readFileSync } from 'node:fs';
import { decodeCommunity, toInteractionMatrix } from '../../src/ml/communityData';
import type { InteractionMatrix } from '../../src/ml/interactions';
import type { TargetGame } from '../../src/worker/store/profileTargets';
import { fromRoot } from '../node/tfBackend';

export { startBackend } from '../node/tfBackend';

export function loadCommunity(): InteractionMatrix {
  const bytes = readFileSync(fromRoot('public/data/community.bin'));
  return toInteractionMatrix(
    decodeCommunity(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength)),
  );
}

export function loadCatalogGames(): TargetGame[] {
  return (JSON.parse(readFileSync(fromRoot('public/data/catalog.json'), 'utf8')) as { games: TargetGame[] })
    .games;
}
