// Spark MLlib's ALSModel.save(path): metadata/part-00000 (one JSON line: the class, Spark's version,
// the params and the rank) and itemFactors/part-*.parquet (columns id: int, features: array<float>;
// Snappy-compressed by default). userFactors/ is other people's and is never asked for. Parquet is
// read with hyparquet (Snappy included), imported only when a Spark model is.
import { chunkLayoutProblem, type ChunkPlacement } from './parquetLayout';
import { checkUniqueIds, ModelImportError, type ImportedItemFactors } from './itemFactors';

export interface NamedBytes {
  name: string;
  bytes: Uint8Array;
}

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

function idOf(value: unknown, where: string, row: number): string {
  if (typeof value === 'bigint' || (typeof value === 'number' && Number.isInteger(value)))
    return String(value);
  throw new ModelImportError(
    where,
    `row ${row}: id is ${JSON.stringify(String(value))}; expected an integer`,
  );
}

function featuresOf(value: unknown, rank: number, where: string, row: number): ArrayLike<number> {
  if (!Array.isArray(value) && !(value instanceof Float32Array) && !(value instanceof Float64Array)) {
    throw new ModelImportError(
      where,
      `row ${row}: features is not an array; expected array<float> of length ${rank}`,
    );
  }
  if (value.length !== rank) {
    throw new ModelImportError(
      where,
      `row ${row}: features has ${value.length} values; expected the rank, ${rank}`,
    );
  }
  for (let k = 0; k < rank; k++) {
    const factor: unknown = value[k];
    if (typeof factor !== 'number' || !Number.isFinite(factor)) {
      throw new ModelImportError(
        where,
        `row ${row}: features[${k}] is ${String(factor)}; expected a finite float`,
      );
    }
  }
  return value as ArrayLike<number>;
}

async function readPart(part: NamedBytes): Promise<Record<string, unknown>[]> {
  const { parquetMetadata, parquetReadObjects, parquetSchema } = await import('hyparquet');
  const { bytes } = part;
  const file = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  try {
    // the schema is built here first: hyparquet starts reading the columns before it builds the
    // schema, so a damaged schema thrown there would leave those reads' rejections unhandled
    const metadata = parquetMetadata(file);
    parquetSchema(metadata);
    const chunks = metadata.row_groups.flatMap((group) => group.columns.map((column) => column.meta_data));
    if (chunks.some((placement) => !placement)) throw new Error('a column chunk has no metadata');
    const footerStart = file.byteLength - 8 - metadata.metadata_length;
    const problem = chunkLayoutProblem(chunks as ChunkPlacement[], footerStart);
    if (problem) throw new Error(problem);
    return await parquetReadObjects({ file, metadata, columns: ['id', 'features'] });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new ModelImportError(
      part.name,
      `is not a Parquet file with columns id and features (${reason}); expected a part of itemFactors/`,
    );
  }
}

/** The item vectors of a saved ALSModel: its metadata and every part of itemFactors/. */
export async function readSparkAls(
  metadata: NamedBytes,
  parts: readonly NamedBytes[],
): Promise<ImportedItemFactors> {
  const { rank, settings } = parseSparkAlsMetadata(new TextDecoder().decode(metadata.bytes), metadata.name);
  if (parts.length === 0)
    throw new ModelImportError('itemFactors/', 'no Parquet part was picked; expected part-*.parquet');
  const ids: string[] = [];
  const rows: ArrayLike<number>[] = [];
  for (const part of parts) {
    const objects = await readPart(part);
    objects.forEach((object, row) => {
      ids.push(idOf(object.id, part.name, row));
      rows.push(featuresOf(object.features, rank, part.name, row));
    });
  }
  if (ids.length === 0) throw new ModelImportError('itemFactors/', 'has no rows; expected one per item');
  checkUniqueIds(ids, 'itemFactors/');
  const vectors = new Float32Array(ids.length * rank);
  rows.forEach((features, row) => vectors.set(features, row * rank));
  return { format: 'spark-als', architecture: 'mf', ids, vectors, rank, settings };
}
