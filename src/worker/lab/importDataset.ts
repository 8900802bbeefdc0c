// Importing a dataset for the lab: pick the ml/io parser for the declared format, and describe
// the result. Pure (no worker, no database), so the same code is tested in Node.
import {
  hashText,
  parseAtomicFile,
  parseCsvFile,
  parsePairFile,
  parseSequenceFile,
  parseSessionFile,
  type ImportedDataset,
} from '../../ml/io';
import type { LabDatasetInfo, LabImportSpec } from './protocol';

/** Parses a stream of text chunks; throws DatasetParseError (with the line) on a malformed file. */
export function parseDataset(
  chunks: AsyncIterable<string>,
  spec: LabImportSpec,
  signal?: AbortSignal,
): Promise<ImportedDataset> {
  switch (spec.format) {
    case 'sequences':
      return parseSequenceFile(chunks, { signal });
    case 'pairs':
      return parsePairFile(chunks, { signal });
    case 'inter':
      return parseAtomicFile(chunks, { signal, minRating: spec.minRating });
    case 'sessions':
      return parseSessionFile(chunks, { signal });
    case 'csv': {
      if (!spec.csv)
        return Promise.reject(new TypeError('a CSV import needs a column mapping (user and item)'));
      const { delimiter, hasHeader, ...mapping } = spec.csv;
      return parseCsvFile(chunks, mapping, { signal, delimiter, hasHeader });
    }
  }
}

/**
 * The stored identity of an import: the file's hash, plus a short hash of the options when they
 * change what the same bytes mean (a CSV mapping, a rating threshold), so two readings of one
 * file do not overwrite each other.
 */
export function datasetKey(contentHash: string, spec: LabImportSpec): string {
  const shaping = spec.format === 'csv' ? spec.csv : spec.format === 'inter' ? spec.minRating : undefined;
  return shaping === undefined
    ? contentHash
    : `${contentHash}-${hashText(JSON.stringify(shaping)).slice(0, 8)}`;
}

export function describeDataset(
  dataset: ImportedDataset,
  spec: LabImportSpec,
  source: string,
): LabDatasetInfo {
  const { stats } = dataset;
  return {
    key: datasetKey(dataset.contentHash, spec),
    contentHash: dataset.contentHash,
    name: spec.name,
    source,
    format: spec.format,
    stats: {
      users: stats.users,
      items: stats.items,
      interactions: stats.interactions,
      density: stats.density,
      minPerUser: stats.minPerUser,
      maxPerUser: stats.maxPerUser,
      meanPerUser: stats.meanPerUser,
      linesRead: stats.linesRead,
      rowsSkipped: stats.rowsSkipped,
      hasTimestamps: dataset.timestamps !== undefined,
    },
  };
}
