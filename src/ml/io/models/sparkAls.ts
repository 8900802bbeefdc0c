// Spark MLlib's ALSModel.save(path): metadata/part-00000 (one JSON line: the class, Spark's version,
// the params and the rank) and itemFactors/part-*.parquet (columns id: int, features: array<float>;
// Snappy-compressed by default). userFactors/ is other people's and is never asked for. The parts
// are decoded by hyparquet (Snappy included) in a worker of their own, stopped past a time limit
// (parquetWorkerClient.ts).
import { checkUniqueIds, ModelImportError, type ImportedItemFactors } from './itemFactors';
import type { NamedBytes } from './parquetProtocol';
import { ParquetWorkerClient } from './parquetWorkerClient';
import type { DecodedPart } from './sparkAlsPart';

export type { NamedBytes };

export interface SparkAlsMetadata {
  rank: number;
  settings: Record<string, number | string | boolean>;
}

/** metadata/part-00000: must be an ALSModel's, and its rank is what every features row must have. */
export function parseSparkAlsMetadata(text: string, where = 'metadata/part-00000'): SparkAlsMetadata {
  let record: Record<string, unknown>;
  try {
    const value: unknown = JSON.parse(text.trim().split('\n')[0] ?? '');
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error('not an object');
    record = value as Record<string, unknown>;
  } catch {
    throw new ModelImportError(where, "is not JSON; expected Spark's metadata/part-00000 of an ALSModel");
  }
  if (typeof record.class !== 'string' || !record.class.endsWith('ALSModel')) {
    throw new ModelImportError(
      where,
      `is the metadata of ${String(record.class)}; expected org.apache.spark.ml.recommendation.ALSModel`,
    );
  }
  const paramMap = (
    typeof record.paramMap === 'object' && record.paramMap !== null ? record.paramMap : {}
  ) as Record<string, unknown>;
  // ALSModel's writer puts the rank beside the params; accept it among them too
  const rank = record.rank ?? paramMap.rank;
  if (typeof rank !== 'number' || !Number.isInteger(rank) || rank < 1 || rank > 4096) {
    throw new ModelImportError(
      where,
      `has rank ${JSON.stringify(rank)}; expected a whole number from 1 to 4096`,
    );
  }
  const settings: Record<string, number | string | boolean> = { rank };
  if (typeof record.sparkVersion === 'string') settings.sparkVersion = record.sparkVersion;
  for (const key of ['itemCol', 'regParam', 'alpha', 'implicitPrefs', 'maxIter']) {
    const value = paramMap[key];
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')
      settings[key] = value;
  }
  return { rank, settings };
}

/**
 * The item vectors of a saved ALSModel: its metadata and every part of itemFactors/. `reader` is
 * the Parquet worker to decode the parts in; by default one is started for this call and
 * terminated after it (tests pass one they share, to start fewer workers).
 */
export async function readSparkAls(
  metadata: NamedBytes,
  parts: readonly NamedBytes[],
  reader?: ParquetWorkerClient,
): Promise<ImportedItemFactors> {
  const { rank, settings } = parseSparkAlsMetadata(new TextDecoder().decode(metadata.bytes), metadata.name);
  if (parts.length === 0)
    throw new ModelImportError('itemFactors/', 'no Parquet part was picked; expected part-*.parquet');
  const worker = reader ?? new ParquetWorkerClient();
  const decoded: DecodedPart[] = [];
  try {
    for (const part of parts) decoded.push(await worker.read(part, rank));
  } finally {
    if (!reader) worker.close();
  }
  const ids = decoded.flatMap((part) => part.ids);
  if (ids.length === 0) throw new ModelImportError('itemFactors/', 'has no rows; expected one per item');
  checkUniqueIds(ids, 'itemFactors/');
  const vectors = new Float32Array(ids.length * rank);
  let offset = 0;
  for (const part of decoded) {
    vectors.set(part.vectors, offset);
    offset += part.vectors.length;
  }
  return { format: 'spark-als', architecture: 'mf', ids, vectors, rank, settings };
}
