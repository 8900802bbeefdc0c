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
});
