// The small JSON file that travels beside a safetensors (or an implicit .npz) model: which tensor
// holds the item vectors, which item each of its rows is, and how the model was trained. Aisle's
// own export writes the same manifest, so a model can go to PyTorch and come back. Schema:
// docs/lab.md, "Bring a model".
import { ModelImportError } from './itemFactors';

export const manifestFormat = 'aisle-model';
export const manifestVersion = 1;

export type ManifestArchitecture = 'mf' | 'sasrec' | 'gru';

export interface ModelManifest {
  /** always "aisle-model": tells this file from any other JSON */
  format: typeof manifestFormat;
  version: typeof manifestVersion;
  /** "mf" (any dot-product factor model: ALS, BPR, …), or "sasrec" / "gru" (their item embedding) */
  architecture: ManifestArchitecture;
  /** where and with what it was trained, in words: "PyTorch 2.3 on 8 GPUs" */
  source: string;
  /** the tensor (safetensors) or array (.npz) holding one item vector per row */
  itemTensor: string;
  /**
   * the id of each row of itemTensor, in row order; null marks a row that is no item (SASRec's
   * padding row 0, say)
   */
  itemIds: (string | null)[];
  /** the architecture's settings as trained (dim, maxLen, epochs, …): shown on the model card */
  config: Record<string, number | string | boolean>;
  /** when it was trained, ISO 8601 */
  createdAt?: string;
}

const isPlainValue = (value: unknown): value is number | string | boolean =>
  typeof value === 'string' ||
  typeof value === 'boolean' ||
  (typeof value === 'number' && Number.isFinite(value));

/** The manifest's JSON checked field by field; a missing or mistyped field is refused by name. */
export function parseManifest(text: string, where = 'manifest'): ModelManifest {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new ModelImportError(where, 'is not JSON; expected the model manifest (docs/lab.md)');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ModelImportError(where, 'expected a JSON object (the model manifest)');
  }
  const record = value as Record<string, unknown>;
  const refuse = (problem: string): never => {
    throw new ModelImportError(where, problem);
  };
  if (record.format !== manifestFormat) refuse(`expected "format": "${manifestFormat}"`);
  if (record.version !== manifestVersion) refuse(`expected "version": ${manifestVersion}`);
  if (record.architecture !== 'mf' && record.architecture !== 'sasrec' && record.architecture !== 'gru') {
    refuse('expected "architecture": "mf", "sasrec" or "gru"');
  }
  if (typeof record.source !== 'string') refuse('expected "source": a string saying where it was trained');
  if (typeof record.itemTensor !== 'string' || !record.itemTensor) {
    refuse('expected "itemTensor": the name of the tensor of item vectors');
  }
  const ids = record.itemIds;
  if (!Array.isArray(ids) || !ids.every((id) => id === null || typeof id === 'string')) {
    refuse('expected "itemIds": an array of item ids (strings), null for a row that is no item');
  }
  const config = record.config ?? {};
  if (typeof config !== 'object' || config === null || Array.isArray(config)) {
    refuse('expected "config": an object of settings');
  }
  for (const [key, setting] of Object.entries(config as object)) {
    if (!isPlainValue(setting)) refuse(`config.${key} must be a number, a string or a boolean`);
  }
  if (record.createdAt !== undefined && typeof record.createdAt !== 'string') {
    refuse('expected "createdAt": an ISO 8601 date, or no field');
  }
  return {
    format: manifestFormat,
    version: manifestVersion,
    architecture: record.architecture as ManifestArchitecture,
    source: record.source as string,
    itemTensor: record.itemTensor as string,
    itemIds: ids as (string | null)[],
    config: config as Record<string, number | string | boolean>,
    ...(typeof record.createdAt === 'string' ? { createdAt: record.createdAt } : {}),
  };
}

/**
 * A matrix's rows named by the manifest: rows whose id is null (padding) are dropped. The row
 * count must equal the manifest's id count, or the ids would name the wrong rows.
 */
export function rowsNamedByManifest(
  vectors: Float32Array,
  rows: number,
  rank: number,
  manifest: Pick<ModelManifest, 'itemIds' | 'itemTensor'>,
): { ids: string[]; vectors: Float32Array } {
  if (manifest.itemIds.length !== rows) {
    throw new ModelImportError(
      manifest.itemTensor,
      `has ${rows} rows but the manifest names ${manifest.itemIds.length}; expected one id per row`,
    );
  }
  const ids: string[] = [];
  const kept = new Float32Array(manifest.itemIds.filter((id) => id !== null).length * rank);
  manifest.itemIds.forEach((id, row) => {
    if (id === null) return;
    kept.set(vectors.subarray(row * rank, (row + 1) * rank), ids.length * rank);
    ids.push(id);
  });
  return { ids, vectors: kept };
}
