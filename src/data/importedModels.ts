// The community model brought from another system (Spark ALS, implicit, PyTorch) that the store
// uses in place of its own MF: one row, written whole or not at all, so a write the disk refuses
// leaves the model stored before it (or none) exactly as it was.
import type { AisleDb } from './db';
import type { ImportedModelRecord } from './records';

const storeSlot: ImportedModelRecord['slot'] = 'store';

/** A stored row that is not a whole model: told apart from storage that cannot be read at all. */
export class UnusableImportedModel extends Error {
  override readonly name = 'UnusableImportedModel';
}

/** Replaces the stored imported model; rejects (quota, closed database) with nothing changed. */
export async function putImportedModel(db: AisleDb, record: ImportedModelRecord): Promise<void> {
  await db.importedModels.put(record);
}

/**
 * The stored imported model, or undefined when there is none. A row that is not a whole model
 * (written by a damaged or foreign build) is refused with the reason, never used half-read.
 */
export async function getImportedModel(db: AisleDb): Promise<ImportedModelRecord | undefined> {
  const record = await db.importedModels.get(storeSlot);
  if (record === undefined) return undefined;
  const problem = importedRecordProblem(record);
  if (problem) throw new UnusableImportedModel(`the stored imported model cannot be used: ${problem}`);
  return record;
}

/** "Use the store's own model": the stored factors are deleted. */
export async function deleteImportedModel(db: AisleDb): Promise<void> {
  await db.importedModels.delete(storeSlot);
}

/** What makes a stored row unusable, or null when it is a whole model. */
export function importedRecordProblem(record: unknown): string | null {
  const row = record as Partial<ImportedModelRecord> | null;
  const factors = row?.factors;
  if (!factors || typeof factors !== 'object') return 'it has no item factors';
  const { ids, vectors, rank } = factors;
  if (!Number.isInteger(rank) || rank < 1) return `its rank ${String(rank)} is not a whole number above 0`;
  if (!Array.isArray(ids) || !(vectors instanceof Float32Array)) return 'its ids or vectors are missing';
  if (vectors.length !== ids.length * rank) {
    return `it has ${vectors.length} factors for ${ids.length} ids of rank ${rank}`;
  }
  if (typeof row.importedAt !== 'number' || !Array.isArray(row.files))
    return 'its import details are missing';
  return null;
}
