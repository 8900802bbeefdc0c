import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import { AisleDb } from './db';
import {
  deleteImportedModel,
  getImportedModel,
  importedRecordProblem,
  putImportedModel,
} from './importedModels';
import type { ImportedModelRecord } from './records';
import { cleanUpAfterEach, freshDb } from './testSupport';

/** Two items of rank 2, as a Spark ALS save of two games would give them. */
function record(importedAt: number, first = 0.5): ImportedModelRecord {
  return {
    slot: 'store',
    factors: {
      format: 'spark-als',
      ids: ['730', '570'],
      vectors: Float32Array.of(first, -1, 0.25, 2),
      rank: 2,
      architecture: 'mf',
      settings: { rank: 2 },
    },
    source: 'Spark MLlib ALS 3.5.1',
    trainedAt: '2026-01-01T00:00:00.000Z',
    importedAt,
    files: [{ name: 'part-00000', bytes: 120, sha256: 'a'.repeat(64) }],
  };
}

let db: AisleDb | undefined;
cleanUpAfterEach(() => db);
afterEach(() => {
  globalThis.__aisleTest = undefined;
});

describe('the imported model repository', () => {
  it('stores a model, reads it back number for number, replaces it, and deletes it', async () => {
    db = freshDb();
    expect(await getImportedModel(db)).toBeUndefined();
    await putImportedModel(db, record(10));
    const read = await getImportedModel(db);
    expect(read?.factors.ids).toEqual(['730', '570']);
    expect(Array.from(read!.factors.vectors)).toEqual([0.5, -1, 0.25, 2]);
    expect(read?.files[0].sha256).toBe('a'.repeat(64));

    await putImportedModel(db, record(20, 0.75));
    expect((await getImportedModel(db))?.importedAt).toBe(20);
    expect(await db.importedModels.count()).toBe(1);

    await deleteImportedModel(db);
    expect(await getImportedModel(db)).toBeUndefined();
  });

  it('keeps the model stored before when the disk refuses the new one', async () => {
    db = freshDb();
    await putImportedModel(db, record(10));
    globalThis.__aisleTest = { quotaFull: true };
    await expect(putImportedModel(db, record(20, 0.75))).rejects.toMatchObject({
      name: 'QuotaExceededError',
    });
    globalThis.__aisleTest = undefined;
    const kept = await getImportedModel(db);
    expect(kept?.importedAt).toBe(10);
    expect(kept?.factors.vectors[0]).toBe(0.5);
  });

  it('is not sealed: a locked vault still reads and replaces it', async () => {
    db = freshDb();
    await putImportedModel(db, record(10));
    await db.vault.enable('correct horse battery', { iterations: 1_000 });
    const name = db.name;
    db.close();
    db = new AisleDb(name);
    await db.open();
    expect(db.vault.status).toBe('locked');
    expect((await getImportedModel(db))?.factors.ids).toEqual(['730', '570']);
    await putImportedModel(db, record(30));
    expect((await getImportedModel(db))?.importedAt).toBe(30);
  });

  it('refuses a stored row that is not a whole model, saying why', async () => {
    db = freshDb();
    const broken = { ...record(10), factors: { ...record(10).factors, vectors: Float32Array.of(1, 2, 3) } };
    await db.importedModels.put(broken);
    await expect(getImportedModel(db)).rejects.toThrow('it has 3 factors for 2 ids of rank 2');
  });
});

describe('importedRecordProblem', () => {
  it('names what is missing or inconsistent', () => {
    expect(importedRecordProblem(record(1))).toBeNull();
    expect(importedRecordProblem({})).toBe('it has no item factors');
    expect(importedRecordProblem({ ...record(1), factors: { ...record(1).factors, rank: 0 } })).toBe(
      'its rank 0 is not a whole number above 0',
    );
    expect(importedRecordProblem({ ...record(1), files: undefined })).toBe('its import details are missing');
  });
});
