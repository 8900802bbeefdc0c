// The Parquet worker's messages (types only). The worker decodes one part of a Spark model's
// itemFactors/ at a time (sparkAlsPart.ts); its client (parquetWorkerClient.ts) stops it when a
// part takes too long. Its entries live in worker/parquet/, beside the other workers.

export interface NamedBytes {
  name: string;
  bytes: Uint8Array;
}

/** Decode `part`, whose every features row must have `rank` values. */
export interface ParquetPartRequest {
  id: number;
  part: NamedBytes;
  rank: number;
}

export type ParquetPartReply =
  /** a part's rows; `vectors` is transferred */
  | { type: 'decoded'; id: number; ids: string[]; vectors: Float32Array }
  /** the part is not what Spark writes: a ModelImportError's fields */
  | { type: 'refused'; id: number; where: string; problem: string }
  /** anything else the decoding threw */
  | { type: 'failed'; id: number; message: string };

/** What a worker says first, once its modules (hyparquet included) have loaded. */
export interface ParquetWorkerReady {
  type: 'ready';
}

export type ParquetWorkerMessage = ParquetWorkerReady | ParquetPartReply;
