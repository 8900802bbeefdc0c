// A trained model's item embeddings as a safetensors file plus its manifest, so the vectors Aisle
// learned can be loaded by PyTorch (or read back by Aisle's importer) with their id map.
import type { ModelSnapshot } from '../../recommender';
import {
  manifestFormat,
  manifestVersion,
  type ManifestArchitecture,
  type ModelManifest,
} from '../models/manifest';
import { writeSafetensors } from './safetensors';

/** One row per item (dense item index order), `dim` values each. */
export interface ItemEmbeddings {
  architecture: ManifestArchitecture;
  config: Record<string, string | number | boolean>;
  rows: number;
  dim: number;
  values: Float32Array;
}

/** The tensor name inside the file; the manifest names it too. */
export const itemEmbeddingsTensor = 'item_embeddings';

const positiveInteger = (value: unknown): value is number =>
  typeof value === 'number' && Number.isInteger(value) && value > 0;

/** The config's plain values (the manifest is JSON; typed arrays live in the snapshot's arrays). */
function plainConfig(config: Record<string, unknown>): ItemEmbeddings['config'] {
  const plain: ItemEmbeddings['config'] = {};
  for (const [key, value] of Object.entries(config)) {
    if (typeof value === 'string' || typeof value === 'boolean') plain[key] = value;
    else if (typeof value === 'number' && Number.isFinite(value)) plain[key] = value;
  }
  return plain;
}

/** Whether a snapshot holds an item embedding table to export (mf, sasrec, gru do). */
export function hasItemEmbeddings(snapshot: ModelSnapshot): boolean {
  return snapshot.arrays.itemEmbedding instanceof Float32Array;
}

/**
 * The item embedding table of an MF, SASRec or GRU snapshot. MF keeps one row per item; the
 * sequential models keep a padding row 0 before the items, which is dropped so row i is item i.
 */
export function itemEmbeddingsOf(snapshot: ModelSnapshot): ItemEmbeddings {
  const table = snapshot.arrays.itemEmbedding;
  if (!(table instanceof Float32Array)) throw new RangeError(`${snapshot.name} has no item embedding table`);
  const config = plainConfig(snapshot.config);
  if (snapshot.name === 'mf') {
    const dim = snapshot.config.dim;
    if (!positiveInteger(dim) || table.length % dim !== 0) {
      throw new RangeError(`mf: ${table.length} embedding values do not make rows of dim ${String(dim)}`);
    }
    return { architecture: 'mf', config, rows: table.length / dim, dim, values: table };
  }
  if (snapshot.name === 'sasrec' || snapshot.name === 'gru') {
    const { hidden, itemCount } = snapshot.config;
    if (
      !positiveInteger(hidden) ||
      !positiveInteger(itemCount) ||
      table.length !== (itemCount + 1) * hidden
    ) {
      throw new RangeError(
        `${snapshot.name}: expected (itemCount + 1) × hidden embedding values, found ${table.length}`,
      );
    }
    return { architecture: snapshot.name, config, rows: itemCount, dim: hidden, values: table.slice(hidden) };
  }
  throw new RangeError(`${snapshot.name} has no item embeddings to export (mf, sasrec and gru do)`);
}

export interface ModelExportFiles {
  safetensors: Uint8Array;
  manifest: ModelManifest;
}

/** The safetensors bytes and the manifest naming its tensor, config and each row's item id. */
export function modelExportFiles(
  embeddings: ItemEmbeddings,
  itemIds: readonly string[],
  provenance: { trainedOn?: string; createdAt: Date },
): ModelExportFiles {
  if (itemIds.length !== embeddings.rows) {
    throw new RangeError(`${embeddings.rows} embedding rows but ${itemIds.length} item ids`);
  }
  const safetensors = writeSafetensors(
    [{ name: itemEmbeddingsTensor, shape: [embeddings.rows, embeddings.dim], data: embeddings.values }],
    { format: 'pt', producer: 'aisle', architecture: embeddings.architecture },
  );
  const manifest: ModelManifest = {
    format: manifestFormat,
    version: manifestVersion,
    architecture: embeddings.architecture,
    source: provenance.trainedOn
      ? `Aisle, trained in the browser on ${provenance.trainedOn}`
      : 'Aisle, trained in the browser',
    itemTensor: itemEmbeddingsTensor,
    itemIds: [...itemIds],
    config: embeddings.config,
    createdAt: provenance.createdAt.toISOString(),
  };
  return { safetensors, manifest };
}
