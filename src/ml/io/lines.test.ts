import { describe, expect, it } from 'vitest';
import { chunksOf, readLines, textChunks } from './lines';
import { DatasetParseError } from './errors';

async function collect(chunks: AsyncIterable<string>) {
  const lines: [number, string][] = [];
  for await (const line of readLines(chunks)) lines.push([line.lineNumber, line.text]);
  return lines;
}

async function* fromArray(chunks: string[]) {
  yield* chunks;
}

describe('readLines', () => {
  it('joins lines that span chunks and strips a \\r\\n cut between chunks', async () => {
    // first two lines of Beauty.txt with Windows line ends, cut inside a line and inside \r\n
    const lines = await collect(fromArray(['1 1 2 3', ' 4 5\r', '\n2 6 7 8 9 10 4 11\r\n']));
    expect(lines).toEqual([
      [1, '1 1 2 3 4 5'],
      [2, '2 6 7 8 9 10 4 11'],
    ]);
  });

  it('keeps a last line without terminator, counts blank lines, drops a BOM', async () => {
    const lines = await collect(chunksOf('\uFEFFuserId,movieId\n\n1,1', 3));
    expect(lines).toEqual([
      [1, 'userId,movieId'],
      [2, ''],
      [3, '1,1'],
    ]);
  });

  it('stops with the abort reason when the signal fires', async () => {
    const controller = new AbortController();
    controller.abort(new Error('stop'));
    const reading = (async () => {
      for await (const _line of readLines(chunksOf('a\nb'), { signal: controller.signal })) {
        // never reached: the signal is checked before the first chunk is used
      }
    })();
    await expect(reading).rejects.toThrow('stop');
  });
});

describe('textChunks', () => {
  it('decodes a byte stream, keeping a multi-byte character cut between chunks', async () => {
    const bytes = new TextEncoder().encode('Misérables'); // é is 2 bytes: 0xc3 0xa9 at 3..4
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(bytes.subarray(0, 4)); // ends with the first byte of é
        controller.enqueue(bytes.subarray(4));
        controller.close();
      },
    });
    let text = '';
    for await (const chunk of textChunks(stream)) text += chunk;
    expect(text).toBe('Misérables');
  });
});

describe('text that is not UTF-8', () => {
  const streamOf = (bytes: number[]) =>
    new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(Uint8Array.from(bytes));
        controller.close();
      },
    });
  const drain = async (stream: ReadableStream<Uint8Array>) => {
    for await (const _ of textChunks(stream));
  };

  it('refuses a UTF-16 byte order mark before decoding anything, naming the byte order', async () => {
    // "1 2" in UTF-16LE with its BOM: FF FE 31 00 20 00 32 00
    await expect(drain(streamOf([0xff, 0xfe, 0x31, 0, 0x20, 0, 0x32, 0]))).rejects.toThrow(
      'the file is UTF-16 little-endian text, not UTF-8',
    );
    await expect(drain(streamOf([0xfe, 0xff, 0, 0x31]))).rejects.toThrow('UTF-16 big-endian text');
  });

  it('refuses NUL characters in a line, naming UTF-16 without a BOM by where its NULs fall', async () => {
    await expect(collect(chunksOf('1\u0000 \u00002\u0000'))).rejects.toThrow(
      'line 1: the file is UTF-16 little-endian text',
    );
    await expect(collect(chunksOf('ok\n\u00001\u0000 \u00002'))).rejects.toThrow(
      'line 2: the file is UTF-16 big-endian text',
    );
    await expect(collect(chunksOf('PK\u0003\u0004\u0000\u0000\u0008'))).rejects.toThrow(
      'the file is binary data or UTF-16 text',
    );
  });
});

describe('readLines: lines too long to be lines', () => {
  const read = (text: string, chunkSize: number, maxLineLength: number) => async () => {
    const lines: string[] = [];
    for await (const line of readLines(chunksOf(text, chunkSize), { maxLineLength })) lines.push(line.text);
    return lines;
  };

  it('keeps a line of exactly the limit, cut into one-character chunks', async () => {
    // "ab\ncdef\n" with a limit of 4: "cdef" is 4 characters
    await expect(read('ab\ncdef\n', 1, 4)()).resolves.toEqual(['ab', 'cdef']);
  });

  it('refuses a longer line while it is still arriving, naming its line number', async () => {
    // line 2 reaches 5 characters before its newline comes
    await expect(read('ab\ncdefg\nh', 2, 4)()).rejects.toThrow(
      new DatasetParseError(2, 'the line is longer than 4 characters: this is not a line-by-line text file'),
    );
    // a file with no newline at all is refused on line 1
    await expect(read('x'.repeat(9), 3, 4)()).rejects.toThrow('line 1: the line is longer than 4 characters');
  });
});
