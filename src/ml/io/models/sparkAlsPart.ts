// One part of a Spark ALSModel's itemFactors/ (columns id: int, features: array<float>) decoded
// into ids and row-major vectors. This is the code the Parquet worker runs (parquetWorkerClient.ts):
// hyparquet, imported here only, can loop forever on some damaged pages, and only a thread of its
// own can be stopped. Only the worker entries import this module, so hyparquet loads with them.
import { parquetMetadata, parquetReadObjects, parquetSchema } from 'hyparquet';
import { ModelImportError } from './itemFactors';
import { chunkLayoutProblem, type ChunkPlacement } from './parquetLayout';
import type { NamedBytes, ParquetPartReply, ParquetPartRequest } from './parquetProtocol';

/** A part's rows: ids[i]'s factors are vectors[i·rank … (i+1)·rank). */
export interface DecodedPart {
  ids: string[];
  vectors: Float32Array;
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

async function readRows(part: NamedBytes): Promise<Record<string, unknown>[]> {
  const { bytes } = part;
  const file = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  try {
    // the schema is built here first: hyparquet starts reading the columns before it builds the
    // schema, so a damaged schema thrown there would leave those reads' rejections unhandled
    const metadata = parquetMetadata(file);
    parquetSchema(metadata);
    const columns = metadata.row_groups.flatMap((group) => group.columns);
    const chunks = columns.map((column) => column.meta_data);
    if (chunks.some((placement) => !placement)) throw new Error('a column chunk has no metadata');
    const footerStart = file.byteLength - 8 - metadata.metadata_length;
    const problem = chunkLayoutProblem(chunks as ChunkPlacement[], footerStart, columns);
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

/** Every row of one itemFactors part, each checked: an integer id and `rank` finite factors. */
export async function decodeItemFactorsPart(part: NamedBytes, rank: number): Promise<DecodedPart> {
  const rows = await readRows(part);
  const ids = rows.map((row, index) => idOf(row.id, part.name, index));
  const vectors = new Float32Array(rows.length * rank);
  rows.forEach((row, index) => vectors.set(featuresOf(row.features, rank, part.name, index), index * rank));
  return { ids, vectors };
}

/** The Parquet worker's answer to one request (both entries, browser and Node, call this). */
export async function answerPartRequest({ id, part, rank }: ParquetPartRequest): Promise<ParquetPartReply> {
  try {
    const { ids, vectors } = await decodeItemFactorsPart(part, rank);
    return { type: 'decoded', id, ids, vectors };
  } catch (error) {
    if (error instanceof ModelImportError)
      return { type: 'refused', id, where: error.where, problem: error.problem };
    return { type: 'failed', id, message: error instanceof Error ? error.message : String(error) };
  }
}
