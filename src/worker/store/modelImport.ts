// "Use a community model trained elsewhere" and "Use the store's own model", in the store worker:
// the picked files are read by the readers' public entry (ml/io/models/readModel.ts), laid out on
// the catalog, and only then stored, whole, in one write. Anything refused (a malformed file,
// another architecture, no game of the store, a full disk) throws before or instead of that write,
// so the model stored before (or none) stays as it was. Loaded on demand, with the readers.
import { readModelFiles, type NamedBytes } from '../../ml/io/models/readModel';
import { describeAlignment } from '../../ml/io/models/itemFactors';
import { deleteImportedModel, putImportedModel } from '../../data/importedModels';
import type { ImportedModelRecord } from '../../data/records';
import { alignToCatalog, type PreparedImport } from './importedCommunityModel';

/** Where an imported model is kept: the data layer's repository, or a test's stand-in. */
export interface ImportedModelStore {
  put(record: ImportedModelRecord): Promise<void>;
  remove(): Promise<void>;
}

/** A refused write in words a shopper can act on; the name says which failure it was. */
export function storageProblem(error: unknown): string {
  const name = error instanceof DOMException || error instanceof Error ? error.name : '';
  if (name === 'QuotaExceededError') return "this browser's storage for Aisle is full (QuotaExceededError)";
  return error instanceof Error ? error.message : String(error);
}

/** Reads, aligns and stores the picked files; throws, with nothing stored, when any step refuses. */
export async function importCommunityModel(
  files: readonly NamedBytes[],
  catalogIds: readonly string[],
  store: ImportedModelStore,
  now = Date.now(),
): Promise<PreparedImport & { summary: string }> {
  const read = await readModelFiles(files);
  const aligned = alignToCatalog(read.factors, catalogIds);
  const record: ImportedModelRecord = {
    slot: 'store',
    factors: read.factors,
    source: read.source,
    ...(read.trainedAt ? { trainedAt: read.trainedAt } : {}),
    importedAt: now,
    files: read.files,
  };
  try {
    await store.put(record);
  } catch (error) {
    throw new Error(`it could not be stored: ${storageProblem(error)}`, { cause: error });
  }
  return { record, aligned, summary: describeAlignment(aligned, catalogIds.length) };
}

/** Deletes the stored factors; a refused delete says why and leaves the imported model in use. */
export async function forgetImportedModel(store: ImportedModelStore): Promise<void> {
  try {
    await store.remove();
  } catch (error) {
    throw new Error(`the imported model could not be deleted: ${storageProblem(error)}`, { cause: error });
  }
}

export const databaseImportedModelStore = (
  db: Parameters<typeof putImportedModel>[0],
): ImportedModelStore => ({
  put: (record) => putImportedModel(db, record),
  remove: () => deleteImportedModel(db),
});
