// An imported dataset <-> one row of the datasets table. The table stores typed arrays only
// (StoredArray), so external ids and the description are packed as UTF-8 bytes in Uint32 words,
// and 64-bit timestamps as pairs of Uint32 words; IndexedDB keeps all of these as they are.
import type { DatasetRecord, StoredArray } from '../../data/records';
import type { ImportedDataset } from '../../ml/io';
import type { LabDatasetInfo } from './protocol';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** UTF-8 bytes in 32-bit words; word 0 is the byte length (the last word may be padded). */
export function packText(text: string): Uint32Array {
  const bytes = encoder.encode(text);
  const words = new Uint32Array(1 + Math.ceil(bytes.length / 4));
  words[0] = bytes.length;
  new Uint8Array(words.buffer, 4).set(bytes);
  return words;
}

export function unpackText(words: Uint32Array): string {
  return decoder.decode(new Uint8Array(words.buffer, words.byteOffset + 4, words[0]));
}

/** Ids never contain a newline (every format splits lines first), so one joins them safely. */
const packIds = (ids: readonly string[]) => packText(ids.join('\n'));
const unpackIds = (words: Uint32Array) => unpackText(words).split('\n');

export function toDatasetRecord(
  dataset: ImportedDataset,
  info: LabDatasetInfo,
  importedAt: number,
): DatasetRecord {
  const arrays: Record<string, StoredArray> = {
    userOffsets: dataset.matrix.userOffsets,
    items: dataset.matrix.items,
    userIds: packIds(dataset.userIds),
    itemIds: packIds(dataset.itemIds),
    info: packText(JSON.stringify(info)),
  };
  if (dataset.timestamps) arrays.timestamps = new Uint32Array(Float64Array.from(dataset.timestamps).buffer);
  return {
    hash: info.key,
    name: info.name,
    source: info.source,
    importedAt,
    userCount: dataset.matrix.userCount,
    itemCount: dataset.matrix.itemCount,
    interactionCount: dataset.matrix.items.length,
    arrays,
  };
}

export interface StoredLabDataset {
  dataset: ImportedDataset;
  info: LabDatasetInfo;
}

export function fromDatasetRecord(record: DatasetRecord): StoredLabDataset {
  const { arrays } = record;
  for (const name of ['userOffsets', 'items', 'userIds', 'itemIds', 'info']) {
    if (!arrays[name]) throw new Error(`stored dataset "${record.name}" lacks its ${name}; import it again`);
  }
  const info = JSON.parse(unpackText(arrays.info as Uint32Array)) as LabDatasetInfo;
  const timestampWords = arrays.timestamps as Uint32Array | undefined;
  const dataset: ImportedDataset = {
    format: 'sequence', // the ml/io name is not used by the lab; info.format is the lab's
    userIds: unpackIds(arrays.userIds as Uint32Array),
    itemIds: unpackIds(arrays.itemIds as Uint32Array),
    matrix: {
      userCount: record.userCount,
      itemCount: record.itemCount,
      userOffsets: arrays.userOffsets as Uint32Array,
      items: arrays.items as Int32Array,
    },
    timestamps: timestampWords
      ? new Float64Array(Uint32Array.from(timestampWords).buffer) // a copy: aligned for 8-byte reads
      : undefined,
    stats: {
      users: info.stats.users,
      items: info.stats.items,
      interactions: info.stats.interactions,
      density: info.stats.density,
      minPerUser: info.stats.minPerUser,
      maxPerUser: info.stats.maxPerUser,
      meanPerUser: info.stats.meanPerUser,
      linesRead: info.stats.linesRead,
      rowsSkipped: info.stats.rowsSkipped,
    },
    contentHash: info.contentHash,
  };
  return { dataset, info };
}
