// A Parquet part's column chunks must lie where Spark (parquet-mr) puts them: one after another,
// from just past the leading "PAR1" to the footer, with no gap or overlap. hyparquet walks a
// chunk's pages from the offset the footer gives; an offset or a size damaged in the footer can
// start that walk in the middle of a page, where it may never end. Checking the layout first
// turns such a file into a refusal instead of a hung worker.

/** The few footer fields the check reads (numbers or bigints, as hyparquet decodes them). */
export interface ChunkPlacement {
  data_page_offset: number | bigint;
  dictionary_page_offset?: number | bigint;
  total_compressed_size: number | bigint;
  codec: string;
}

const leadingMagicBytes = 4;
const readableCodecs = new Set(['UNCOMPRESSED', 'SNAPPY']);

/**
 * Null when the chunks tile [4, footerStart) exactly in file order and use a codec this reader
 * decodes; otherwise what is wrong, in words.
 */
export function chunkLayoutProblem(chunks: readonly ChunkPlacement[], footerStart: number): string | null {
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
  if (expectedStart !== footerStart) {
    return `the column chunks end at byte ${expectedStart}; expected them to reach the footer at ${footerStart}`;
  }
  return null;
}
