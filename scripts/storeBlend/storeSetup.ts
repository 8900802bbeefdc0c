// What the store worker sets up before it learns, rebuilt in Node for the blend's measurements:
// the catalog and community files, the held-out split, the fitted baselines, and a folder that
// stands in for the models table (MF and the GRU are kept between runs; the blend never is).
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { deserialize, serialize } from 'node:v8';
import { buildCatalogIndex, type CatalogIndex } from '../../src/recs/catalogIndex';
import { StoreRanker } from '../../src/recs/storeRanker';
import { decodeCommunity, recentCounts, toInteractionMatrix } from '../../src/ml/communityData';
import { ContentHasher } from '../../src/ml/io/hash';
import type { ModelRecord, CheckpointRecord } from '../../src/data/records';
import { holdOutLastItems, type HeldOutSplit } from '../../src/worker/store/heldOut';
import type { StoreTrainingPlan } from '../../src/worker/store/plan';
import type { ModelRepository } from '../../src/worker/store/orchestrator';
import { profileTargets, type ProfileTargets } from '../../src/worker/store/profileTargets';
import { readCatalogGames, readCommunityBytes } from '../node/storeFiles';

/** The models table's stand-in: MF and the GRU on disk (the blend is never kept, so it is refitted). */
export function folderRepository(folder: string): ModelRepository {
  mkdirSync(folder, { recursive: true });
  const file = (name: string) => join(folder, `${name}.v8`);
  const read = <T>(name: string): T | undefined =>
    existsSync(file(name)) ? (deserialize(readFileSync(file(name))) as T) : undefined;
  return {
    getModel: async (name) => (name === 'hybrid' ? undefined : read<ModelRecord>(name)),
    getCheckpoint: async (name) => read<CheckpointRecord>(`${name}.checkpoint`),
    putCheckpoint: async (checkpoint) =>
      writeFileSync(file(`${checkpoint.name}.checkpoint`), serialize(checkpoint)),
    completeTraining: async (model) => {
      if (model.name !== 'hybrid') writeFileSync(file(model.name), serialize(model));
    },
  };
}

export interface NodeStore {
  index: CatalogIndex;
  /** the store's split; `train` is the quick plan's sample where the plan has one, as startLearning does */
  split: HeldOutSplit;
  ranker: StoreRanker;
  dataHash: string;
  /** what the profile encoder's heads predict of each game */
  targets: ProfileTargets;
}

/** The store as the worker's loadStore and startLearning build it for `plan`. */
export async function loadNodeStore(plan: StoreTrainingPlan): Promise<NodeStore> {
  const games = readCatalogGames();
  const communityBytes = readCommunityBytes();
  const community = decodeCommunity(communityBytes);
  const index = buildCatalogIndex(games);
  const split = holdOutLastItems(toInteractionMatrix(community), plan.heldOutPlayers, plan.seed);
  const ranker = new StoreRanker({ index, community: split.train, recentCounts: recentCounts(community) });
  await ranker.fit();
  return {
    index,
    split:
      plan.maxUsers === undefined
        ? split
        : { ...split, train: holdOutLastItems(split.train, 0, plan.seed, { maxUsers: plan.maxUsers }).train },
    ranker,
    dataHash: new ContentHasher().updateBytes(new Uint8Array(communityBytes)).digest(),
    targets: profileTargets(games),
  };
}
