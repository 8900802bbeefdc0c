// Settings, profile, models, checkpoints, eval runs and datasets: the small repositories.
import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import type { ModelSnapshot } from '../ml/recommender';
import type { AisleDb } from './db';
import { getDb } from './db';
import { deleteDataset, getDataset, listDatasetInfo, putDataset } from './datasets';
import { addEvalRun, deleteEvalRun, getEvalRun, listEvalRuns } from './evalRuns';
import {
  completeTraining,
  deleteCheckpoint,
  deleteModel,
  getCheckpoint,
  getModel,
  listCheckpoints,
  listModelCards,
  putCheckpoint,
  putModel,
} from './models';
import {
  deleteProfileValue,
  getProfileValue,
  getShopperEmbedding,
  listProfile,
  setProfileValue,
  setShopperEmbedding,
} from './profile';
import type { CheckpointRecord, DatasetRecord, ModelRecord } from './records';
import {
  getCachedNeighbours,
  getMeasuredBackend,
  putCachedNeighbours,
  getSetting,
  getSettings,
  resetSetting,
  setMeasuredBackend,
  setSetting,
  settingsDefaults,
} from './settings';
import { cleanUpAfterEach, freshDb } from './testSupport';

let db: AisleDb;
cleanUpAfterEach(() => db);

const snapshot = (seed: number): ModelSnapshot => ({
  name: 'mf',
  config: { dim: 2 },
  arrays: { userFactors: new Float32Array([seed, 0.5]), itemIds: new Int32Array([seed, 2]) },
});

const model = (trainedAt: number): ModelRecord => ({
  name: 'mf',
  snapshot: snapshot(trainedAt),
  backend: 'webgpu',
  trainedAt,
  dataHash: 'h1',
  eventsUsed: 12,
  metrics: { 'recall@10': 0.25 },
  config: { epochs: 5 },
});

describe('getDb', () => {
  it('returns one shared instance named aisle', () => {
    db = getDb();
    expect(getDb()).toBe(db);
    expect(db.name).toBe('aisle');
  });
});

describe('settings', () => {
  it('falls back to defaults, stores typed values and resets', async () => {
    db = freshDb();
    expect(await getSettings(db)).toEqual(settingsDefaults);
    expect(await getSetting(db, 'diversity')).toBe(0.3);
    await setSetting(db, 'diversity', 0.7);
    await setSetting(db, 'preferredBackend', 'wasm');
    expect(await getSetting(db, 'diversity')).toBe(0.7);
    expect(await getSettings(db)).toEqual({ ...settingsDefaults, diversity: 0.7, preferredBackend: 'wasm' });
    await resetSetting(db, 'diversity');
    expect(await getSetting(db, 'diversity')).toBe(0.3);
  });

  it("remembers this device's backend race apart from the shopper's settings, and forgets it", async () => {
    db = freshDb();
    expect(await getMeasuredBackend(db)).toBeNull();
    const measured = {
      backend: 'wasm' as const,
      measuredAt: 1_700_000_000_000,
      report: { active: 'wasm' as const, reason: 'wasm: the fastest', adapter: null, attempts: [] },
    };
    await setMeasuredBackend(db, measured);
    expect(await getMeasuredBackend(db)).toEqual(measured);
    // no Setting: the shopper's settings do not change
    expect(await getSettings(db)).toEqual(settingsDefaults);
    await setMeasuredBackend(db, null);
    expect(await getMeasuredBackend(db)).toBeNull();
  });

  it("keeps the last visit's neighbour table for the same data only, outside the shopper's settings", async () => {
    db = freshDb();
    expect(await getCachedNeighbours(db, 'data-a')).toBeNull();
    const snapshot = {
      name: 'itemknn' as const,
      config: { neighbours: 2 },
      arrays: {
        offsets: new Uint32Array([0, 1, 2]),
        neighbours: new Int32Array([1, 0]),
        similarities: new Float32Array([1, 0.5]),
      },
    };
    await putCachedNeighbours(db, 'data-a', snapshot);
    const read = await getCachedNeighbours(db, 'data-a');
    expect(Array.from(read!.arrays.similarities)).toEqual([1, 0.5]);
    expect(read!.arrays.neighbours).toBeInstanceOf(Int32Array);
    // fitted on other data: not returned
    expect(await getCachedNeighbours(db, 'data-b')).toBeNull();
    expect(await getSettings(db)).toEqual(settingsDefaults);
  });

  it('ignores a stored race whose report names another backend than it says won', async () => {
    db = freshDb();
    await setMeasuredBackend(db, {
      backend: 'webgpu',
      measuredAt: 1,
      report: { active: 'wasm', reason: 'x', adapter: null, attempts: [] },
    });
    expect(await getMeasuredBackend(db)).toBeNull();
  });
});

describe('profile', () => {
  it('stores values with a timestamp, including the embedding as a typed array', async () => {
    db = freshDb();
    await setProfileValue(db, 'genreAffinity', { RPG: 0.8 }, 5);
    await setShopperEmbedding(db, { model: 'mf', vector: new Float32Array([0.25, -1]), dataHash: 'h' }, 6);
    expect(await getProfileValue(db, 'genreAffinity')).toEqual({ RPG: 0.8 });
    const embedding = await getShopperEmbedding(db);
    expect(embedding?.vector).toBeInstanceOf(Float32Array);
    expect(Array.from(embedding!.vector)).toEqual([0.25, -1]);
    expect((await listProfile(db)).map((r) => [r.key, r.updatedAt])).toEqual([
      ['genreAffinity', 5],
      ['shopperEmbedding', 6],
    ]);
    await deleteProfileValue(db, 'genreAffinity');
    expect(await getProfileValue(db, 'genreAffinity')).toBeUndefined();
  });
});

describe('models and checkpoints', () => {
  it('round-trips a snapshot with its typed arrays intact', async () => {
    db = freshDb();
    await putModel(db, model(100));
    const stored = await getModel(db, 'mf');
    expect(stored?.snapshot.arrays.userFactors).toBeInstanceOf(Float32Array);
    expect(stored?.snapshot.arrays.itemIds).toBeInstanceOf(Int32Array);
    expect(Array.from(stored!.snapshot.arrays.itemIds)).toEqual([100, 2]);
    const cards = await listModelCards(db);
    expect(cards).toHaveLength(1);
    expect(cards[0]).not.toHaveProperty('snapshot');
    expect(cards[0].metrics).toEqual({ 'recall@10': 0.25 });
    await deleteModel(db, 'mf');
    expect(await getModel(db, 'mf')).toBeUndefined();
  });

  it('keeps one checkpoint per model and drops it when training completes', async () => {
    db = freshDb();
    const checkpoint = (epoch: number): CheckpointRecord => ({
      name: 'mf',
      snapshot: snapshot(epoch),
      epoch,
      epochs: 10,
      optimizer: {
        step: epoch * 7,
        moments: {
          userFactors: { first: new Float32Array([0.1, epoch]), second: new Float32Array([0.01, 0.5]) },
        },
      },
      dataHash: 'h1',
      savedAt: epoch,
    });
    await putCheckpoint(db, checkpoint(3));
    await putCheckpoint(db, checkpoint(4));
    expect(await listCheckpoints(db)).toHaveLength(1);
    const resumed = await getCheckpoint(db, 'mf');
    expect(resumed?.epoch).toBe(4);
    expect(resumed?.optimizer?.step).toBe(28);
    const moments = resumed?.optimizer?.moments.userFactors;
    expect(moments?.first).toBeInstanceOf(Float32Array);
    expect(Array.from(moments!.first)).toEqual([Math.fround(0.1), 4]);
    expect(moments?.second).toBeInstanceOf(Float32Array);
    await completeTraining(db, model(200));
    expect(await getCheckpoint(db, 'mf')).toBeUndefined();
    expect((await getModel(db, 'mf'))?.trainedAt).toBe(200);
    await putCheckpoint(db, checkpoint(1));
    await deleteCheckpoint(db, 'mf');
    expect(await listCheckpoints(db)).toEqual([]);
  });

  it('still reads a checkpoint written before the optimizer state was kept', async () => {
    db = freshDb();
    // the shape older builds wrote: an empty optimizerState, no optimizer
    const legacy = {
      name: 'mf' as const,
      snapshot: snapshot(2),
      epoch: 2,
      epochs: 10,
      optimizerState: {},
      dataHash: 'h1',
      savedAt: 2,
    };
    await putCheckpoint(db, legacy);
    const read = await getCheckpoint(db, 'mf');
    expect(read?.epoch).toBe(2);
    expect(read?.optimizer).toBeUndefined();
    expect(read?.snapshot.arrays.userFactors).toBeInstanceOf(Float32Array);
  });
});

describe('eval runs', () => {
  it('adds, lists newest first, filters by dataset and deletes', async () => {
    db = freshDb();
    const base = { model: 'mf', metrics: { ndcg: 0.1 }, config: {} };
    const first = await addEvalRun(db, { ...base, createdAt: 1, dataset: 'steam' });
    await addEvalRun(db, { ...base, createdAt: 3, dataset: 'steam' });
    await addEvalRun(db, { ...base, createdAt: 2, dataset: 'ml-100k' });
    expect((await listEvalRuns(db)).map((r) => r.createdAt)).toEqual([3, 2, 1]);
    expect((await listEvalRuns(db, { dataset: 'steam' })).map((r) => r.createdAt)).toEqual([3, 1]);
    expect((await getEvalRun(db, first))?.dataset).toBe('steam');
    await deleteEvalRun(db, first);
    expect(await getEvalRun(db, first)).toBeUndefined();
  });
});

describe('datasets', () => {
  it('stores data as typed arrays and lists metadata without them', async () => {
    db = freshDb();
    const dataset: DatasetRecord = {
      hash: 'abc',
      name: 'tiny',
      source: 'tiny.csv',
      importedAt: 9,
      userCount: 1,
      itemCount: 2,
      interactionCount: 2,
      arrays: { userOffsets: new Uint32Array([0, 2]), items: new Int32Array([0, 1]) },
    };
    await putDataset(db, dataset);
    const stored = await getDataset(db, 'abc');
    expect(stored?.arrays.userOffsets).toBeInstanceOf(Uint32Array);
    expect(Array.from(stored!.arrays.items)).toEqual([0, 1]);
    const [info] = await listDatasetInfo(db);
    expect(info).not.toHaveProperty('arrays');
    expect(info.name).toBe('tiny');
    await deleteDataset(db, 'abc');
    expect(await getDataset(db, 'abc')).toBeUndefined();
  });
});
