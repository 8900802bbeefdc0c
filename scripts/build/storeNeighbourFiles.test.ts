import { describe, expect, it } from 'vitest';
import { decodeNeighbourFile } from '../../src/ml/baselines/neighbourTableFile';
import { decodeCommunity, recentCounts } from '../../src/ml/communityData';
import { buildCatalogIndex } from '../../src/recs/catalogIndex';
import { StoreRanker } from '../../src/recs/storeRanker';
import { storeTrainingPlans, type StoreTrainingPlan } from '../../src/worker/store/plan';
import {
  communityHash,
  neighboursFileName,
  neighboursFingerprint,
  storeSplit,
} from '../../src/worker/store/storeNeighbours';
import { storeNeighbourFiles } from './storeNeighbourFiles';
import { fixtureCommunity, games, itemCount } from './storeFixture';

/** The table the store worker fits when it has no prepared one (recsWorker.ts's loadStore). */
async function runtimeFit(bytes: ArrayBuffer, plan: StoreTrainingPlan | null) {
  const community = decodeCommunity(bytes);
  const ranker = new StoreRanker({
    index: buildCatalogIndex(games),
    community: storeSplit(community, plan).train,
    recentCounts: recentCounts(community),
  });
  await ranker.fit();
  return {
    arrays: ranker.knn.save().arrays,
    fingerprint: neighboursFingerprint(communityHash(bytes), plan, ranker.knn.config),
  };
}

describe("the build's neighbour tables", () => {
  it('equal, array for array, what the store worker fits in each training mode', async () => {
    const bytes = fixtureCommunity();
    // the real modes hold out more players than the fixture has: one plan holds out a few only
    const fewHeldOut: StoreTrainingPlan = { ...storeTrainingPlans.full, heldOutPlayers: 8 };
    const plans = { full: fewHeldOut, quick: storeTrainingPlans.quick, off: null };
    const files = await storeNeighbourFiles(bytes, plans);
    expect(files.map((file) => file.fileName)).toEqual(
      ['full', 'quick', 'off'].map((mode) => neighboursFileName(mode as 'full')),
    );
    for (const [position, plan] of Object.values(plans).entries()) {
      const fitted = await runtimeFit(bytes, plan);
      const file = files[position].bytes;
      const reading = decodeNeighbourFile(
        file.buffer.slice(file.byteOffset, file.byteOffset + file.byteLength) as ArrayBuffer,
        fitted.fingerprint,
      );
      if (!reading.ok) throw new Error(reading.problem);
      expect(reading.table.neighbours.length).toBeGreaterThan(itemCount);
      expect(reading.table).toEqual(fitted.arrays);
    }
  });

  it('differ when the held-out players do, so a file is never read for another mode', async () => {
    const bytes = fixtureCommunity();
    const [withHeldOut] = await storeNeighbourFiles(bytes, {
      full: { ...storeTrainingPlans.full, heldOutPlayers: 8 },
    });
    const offFingerprint = (await runtimeFit(bytes, null)).fingerprint;
    const file = withHeldOut.bytes;
    const reading = decodeNeighbourFile(
      file.buffer.slice(file.byteOffset, file.byteOffset + file.byteLength) as ArrayBuffer,
      offFingerprint,
    );
    expect(reading.ok).toBe(false);
  });
});
