import { describe, expect, it } from 'vitest';
import { chunkLayoutProblem, type ChunkPlacement } from './parquetLayout';

const chunk = (start: number, size: number, extra: Partial<ChunkPlacement> = {}): ChunkPlacement => ({
  data_page_offset: start,
  total_compressed_size: size,
  codec: 'SNAPPY',
  ...extra,
});

describe('a Parquet part’s column chunk layout', () => {
  it('accepts chunks that tile the file from byte 4 to the footer, a dictionary page first', () => {
    // id: bytes 4–54; features: dictionary at 54, data at 60, through 154 = the footer
    const chunks = [
      chunk(4, 50),
      chunk(60, 100, { dictionary_page_offset: 54n, total_compressed_size: 100n }),
    ];
    expect(chunkLayoutProblem(chunks, 154)).toBeNull();
  });

  it('refuses a shifted offset, a gap before the footer, a bad size and an unknown codec, saying which chunk', () => {
    expect(chunkLayoutProblem([chunk(4, 50), chunk(55, 100)], 155)).toBe(
      'column chunk 1 spans bytes 55–155; expected it to start at 54 and end by the footer at 155',
    );
    expect(chunkLayoutProblem([chunk(4, 50)], 60)).toBe(
      'the column chunks end at byte 54; expected them to reach the footer at 60',
    );
    expect(chunkLayoutProblem([chunk(4, -3)], 60)).toMatch(/^column chunk 0 spans bytes 4–1;/);
    expect(chunkLayoutProblem([chunk(4, 80)], 60)).toMatch(/^column chunk 0 spans bytes 4–84;/);
    expect(chunkLayoutProblem([chunk(4, 56, { codec: 'ZSTD' })], 60)).toBe(
      'column chunk 0 is compressed with ZSTD; expected UNCOMPRESSED or SNAPPY',
    );
  });

  it('accepts page indexes between the chunks and the footer, and refuses a gap they do not fill', () => {
    // chunks 4–54 and 54–154; column indexes 154–170, 170–180; offset indexes 180–190, 190–200; footer at 200
    const chunks = [chunk(4, 50), chunk(54, 100)];
    const indexes = [
      {
        column_index_offset: 154n,
        column_index_length: 16,
        offset_index_offset: 180n,
        offset_index_length: 10,
      },
      {
        column_index_offset: 170n,
        column_index_length: 10,
        offset_index_offset: 190n,
        offset_index_length: 10,
      },
    ];
    expect(chunkLayoutProblem(chunks, 200, indexes)).toBeNull();
    expect(chunkLayoutProblem(chunks, 201, indexes)).toBe(
      'the page indexes end at byte 200; expected them to reach the footer at 201',
    );
    expect(chunkLayoutProblem(chunks, 200, [{ column_index_offset: 160n, column_index_length: 40 }])).toBe(
      'a page index spans bytes 160–200; expected it to start at 154 and end by the footer at 200',
    );
  });
});
