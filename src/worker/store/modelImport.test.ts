import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { sparkFixture } from '../../ml/io/models/sparkFixture';
import type { ImportedModelRecord } from '../../data/records';
import {
  forgetImportedModel,
  importCommunityModel,
  storageProblem,
  type ImportedModelStore,
} from './modelImport';

/** The reader tests' Spark ALS save: items 1…40 of rank 4. */
const sparkFiles = [
  { name: 'part-00000', bytes: readFileSync(`${sparkFixture.directory}/metadata/part-00000`) },
  {
    name: sparkFixture.partName,
    bytes: readFileSync(`${sparkFixture.directory}/itemFactors/${sparkFixture.partName}`),
  },
].map(({ name, bytes }) => ({ name, bytes: new Uint8Array(bytes) }));

/** An in-memory store that can be told to refuse writes as a full disk does. */
function memoryStore(full = false) {
  const state: { record?: ImportedModelRecord; full: boolean } = { full };
  const store: ImportedModelStore = {
    put: async (record) => {
      if (state.full) throw new DOMException('quota', 'QuotaExceededError');
      state.record = record;
    },
    remove: async () => {
      if (state.full) throw new DOMException('quota', 'QuotaExceededError');
      state.record = undefined;
    },
  };
  return { state, store };
}

describe('importCommunityModel', () => {
  it('reads a Spark ALS save, aligns it to the catalog by app id and stores it whole', async () => {
    const { state, store } = memoryStore();
    // catalog: 3, 1 and 2 are in the file, 1000 is not; 37 of the file's 40 rows are no game here
    const prepared = await importCommunityModel(sparkFiles, ['3', '1', '2', '1000'], store, 77);
    expect(prepared.aligned).toMatchObject({ matched: 3, missing: 1, unknown: 37, rank: 4 });
    expect(prepared.summary).toBe(
      "3 of 4 items matched; 1 have no vector in the file (they score 0); 37 of the file's rows are not items here (left out).",
    );
    // game 3's row: 1 on axis 3 mod 4 = 3, plus (3·(k+1) mod 3)/8 = 0 on every axis
    expect(Array.from(prepared.aligned.vectors.subarray(0, 4))).toEqual([0, 0, 0, 1]);
    expect(state.record).toMatchObject({
      slot: 'store',
      source: 'Spark MLlib ALS 3.5.1',
      trainedAt: '2026-01-01T00:00:00.000Z',
      importedAt: 77,
    });
    expect(state.record?.files.map((file) => file.name)).toEqual(['part-00000', sparkFixture.partName]);
    expect(state.record?.files[0].sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it("refuses a malformed file with the readers' message and stores nothing", async () => {
    const { state, store } = memoryStore();
    const notes = { name: 'notes.txt', bytes: new TextEncoder().encode('not a model') };
    await expect(importCommunityModel([notes], ['1'], store)).rejects.toThrow(
      'the picked files: hold no model; expected Spark ALS',
    );
    const truncated = { ...sparkFiles[1], bytes: sparkFiles[1].bytes.slice(0, 60) };
    await expect(importCommunityModel([sparkFiles[0], truncated], ['1'], store)).rejects.toThrow(
      sparkFixture.partName,
    );
    expect(state.record).toBeUndefined();
  });

  it('says the disk is full and keeps the model stored before', async () => {
    const { state, store } = memoryStore();
    await importCommunityModel(sparkFiles, ['1', '2'], store, 1);
    state.full = true;
    await expect(importCommunityModel(sparkFiles, ['1', '2', '3'], store, 2)).rejects.toThrow(
      "it could not be stored: this browser's storage for Aisle is full (QuotaExceededError)",
    );
    expect(state.record?.importedAt).toBe(1);
    await expect(forgetImportedModel(store)).rejects.toThrow('the imported model could not be deleted');
    expect(state.record?.importedAt).toBe(1);
    state.full = false;
    await forgetImportedModel(store);
    expect(state.record).toBeUndefined();
  });
});

describe('storageProblem', () => {
  it('names a full disk, and passes any other failure on as it was said', () => {
    expect(storageProblem(new DOMException('x', 'QuotaExceededError'))).toContain('full');
    expect(storageProblem(new Error('Database closed'))).toBe('Database closed');
  });
});
