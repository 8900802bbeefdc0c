// Imported datasets, keyed by a hash of their contents so importing the same file twice
// stores it once.
import type { AisleDb } from './db';
import type { DatasetRecord } from './records';

export async function putDataset(db: AisleDb, dataset: DatasetRecord): Promise<void> {
  await db.datasets.put(dataset);
}

export async function getDataset(db: AisleDb, hash: string): Promise<DatasetRecord | undefined> {
  return db.datasets.get(hash);
}

/** Metadata only (no arrays), newest first: listing must not load every dataset's data. */
export async function listDatasetInfo(db: AisleDb): Promise<Omit<DatasetRecord, 'arrays'>[]> {
  const info: Omit<DatasetRecord, 'arrays'>[] = [];
  // each() streams rows, so at most one dataset's arrays are held at a time
  await db.datasets
    .orderBy('importedAt')
    .reverse()
    .each(({ arrays: _arrays, ...meta }) => {
      info.push(meta);
    });
  return info;
}

export async function deleteDataset(db: AisleDb, hash: string): Promise<void> {
  await db.datasets.delete(hash);
}
