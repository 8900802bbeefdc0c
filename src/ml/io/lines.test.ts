import { describe, expect, it } from 'vitest';
import { chunksOf, readLines, textChunks } from './lines';

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
