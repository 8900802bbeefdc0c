// A Parquet part's column chunks must lie where Spark (parquet-mr) puts them: one after another,
// from just past the leading "PAR1", then their page indexes (parquet-java, Spark's writer, puts a
// column index and an offset index per chunk there by default since 1.11), then the footer, with
// no gap or overlap. hyparquet walks a chunk's pages from the offset the footer gives; an offset or a
// size damaged in the footer can start that walk in the middle of a page, where it may never end.
// Checking the layout first turns most such files into a refusal at once; the Parquet worker's
// time limit (parquetWorkerClient.ts) stops the rest.

/** The few footer fields the check reads (numbers or bigints, as hyparquet decodes them). */
export interface ChunkPlacement {
  data_page_offset: number | bigint;
  dictionary_page_offset?: number | bigint;
  total_compressed_size: number | bigint;
  codec: string;
}

/** Where a chunk's page indexes are, when it has them (ColumnChunk's own fields, beside meta_data). */
export interface ChunkIndexes {
  column_index_offset?: number | bigint;
  column_index_length?: number;
  offset_index_offset?: number | bigint;
  offset_index_length?: number;
}

const leadingMagicBytes = 4;
const readableCodecs = new Set(['UNCOMPRESSED', 'SNAPPY']);

/** The page indexes' byte ranges, in file order. */
function indexRanges(indexes: readonly ChunkIndexes[]): { start: number; end: number }[] {
  const ranges: { start: number; end: number }[] = [];
  for (const index of indexes) {
    if (index.column_index_offset !== undefined && index.column_index_length !== undefined) {
      const start = Number(index.column_index_offset);
      ranges.push({ start, end: start + index.column_index_length });
    }
    if (index.offset_index_offset !== undefined && index.offset_index_length !== undefined) {
      const start = Number(index.offset_index_offset);
      ranges.push({ start, end: start + index.offset_index_length });
    }
  }
  return ranges.sort((a, b) => a.start - b.start);
}

/**
 * Null when the chunks tile [4, footerStart) exactly in file order (followed by their page
 * indexes, if any, tiling the rest) and use a codec this reader decodes; otherwise what is
 * wrong, in words.
 */
export function chunkLayoutProblem(
  chunks: readonly ChunkPlacement[],
  footerStart: number,
  indexes: readonly ChunkIndexes[] = [],
): string | null {
  let expectedStart = leadingMagicBytes;
  for (const [index, chunk] of chunks.entries()) {
    if (!readableCodecs.has(chunk.codec)) {
      return `column chunk ${index} is compressed with ${chunk.codec}; expected UNCOMPRESSED or SNAPPY`;
    }
    const dataStart = Number(chunk.data_page_offset);
    const dictionaryStart = Number(chunk.dictionary_page_offset ?? 0);
    const start = dictionaryStart > 0 ? Math.min(dictionaryStart, dataStart) : dataStart;
    const size = Number(chunk.total_compressed_size);
    if (start !== expectedStart || !(size > 0) || start + size > footerStart) {
      return `column chunk ${index} spans bytes ${start}–${start + size}; expected it to start at ${expectedStart} and end by the footer at ${footerStart}`;
    }
    expectedStart = start + size;
  }
  const chunksEnd = expectedStart;
  for (const { start, end } of indexRanges(indexes)) {
    if (start !== expectedStart || !(end > start) || end > footerStart) {
      return `a page index spans bytes ${start}–${end}; expected it to start at ${expectedStart} and end by the footer at ${footerStart}`;
    }
    expectedStart = end;
  }
  if (expectedStart !== footerStart) {
    return expectedStart === chunksEnd
      ? `the column chunks end at byte ${expectedStart}; expected them to reach the footer at ${footerStart}`
      : `the page indexes end at byte ${expectedStart}; expected them to reach the footer at ${footerStart}`;
  }
  return null;
}
