import { describeNulText, notUtf8Error, utf16ByteOrder } from './encoding';
import { DatasetParseError, throwIfAborted } from './errors';
import { ContentHasher } from './hash';

export interface TextLine {
  /** the line without its terminator (\n or \r\n) */
  text: string;
  /** 1-based, counting every line of the file including headers and blank lines */
  lineNumber: number;
}

export interface LineReadOptions {
  signal?: AbortSignal;
  /** fed every chunk exactly as received, so the digest covers the exact input */
  hasher?: ContentHasher;
  /** characters a line may have before the file is refused (default maxLineLength) */
  maxLineLength?: number;
}

/**
 * The longest line any format we read can have: a sequence line of 100,000 items is about 1 MB.
 * A longer "line" is a file with no line breaks (binary data, minified JSON); holding it whole
 * would end in the engine's string length limit (about 512 M characters), not in a refusal.
 */
export const maxLineLength = 16 * 1024 * 1024;

/**
 * Splits a stream of text chunks into lines. A line may span any number of chunks, and a \r\n may
 * be cut between two chunks: lines are split on \n only and a trailing \r is dropped afterwards.
 * A final line without a terminator is still a line; a file ending in \n has no extra empty line.
 * Only the new chunk is searched for line breaks, so a long line in small chunks costs its length
 * once, not once per chunk.
 */
export async function* readLines(
  chunks: AsyncIterable<string>,
  options: LineReadOptions = {},
): AsyncGenerator<TextLine> {
  let pending = '';
  let lineNumber = 0;
  const longest = options.maxLineLength ?? maxLineLength;
  for await (const chunk of chunks) {
    throwIfAborted(options.signal);
    options.hasher?.update(chunk);
    let start = 0;
    let newline = chunk.indexOf('\n');
    while (newline !== -1) {
      lineNumber++;
      const line = pending + chunk.slice(start, newline);
      pending = '';
      checkLength(line, lineNumber, longest);
      yield { text: withoutTerminator(line, lineNumber), lineNumber };
      start = newline + 1;
      newline = chunk.indexOf('\n', start);
    }
    pending += chunk.slice(start);
    checkLength(pending, lineNumber + 1, longest);
  }
  if (pending.length > 0) {
    lineNumber++;
    yield { text: withoutTerminator(pending, lineNumber), lineNumber };
  }
}

function checkLength(line: string, lineNumber: number, longest: number): void {
  if (line.length <= longest) return;
  throw new DatasetParseError(
    lineNumber,
    `the line is longer than ${longest.toLocaleString('en')} characters: this is not a line-by-line text file`,
  );
}

function withoutTerminator(line: string, lineNumber: number): string {
  // no text format we read has NUL: it is UTF-16 or binary read as UTF-8
  if (line.includes('\u0000')) throw notUtf8Error(lineNumber, describeNulText(line));
  const text = line.endsWith('\r') ? line.slice(0, -1) : line;
  // a UTF-8 byte order mark (spreadsheet exports add one) is not part of the first field
  return lineNumber === 1 && text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/**
 * Adapts a byte stream (File.stream(), fetch's response.body) to text chunks. The streaming
 * decoder keeps a multi-byte character that is cut between two byte chunks whole. A UTF-16 byte
 * order mark is refused at once, naming the encoding.
 */
export async function* textChunks(stream: ReadableStream<Uint8Array>): AsyncGenerator<string> {
  const decoder = new TextDecoder('utf-8');
  const reader = stream.getReader();
  let first = true;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (first && value.length > 0) {
        const utf16 = utf16ByteOrder(value);
        if (utf16) throw notUtf8Error(0, `${utf16} text`);
        first = false;
      }
      const text = decoder.decode(value, { stream: true });
      if (text) yield text;
    }
    const rest = decoder.decode();
    if (rest) yield rest;
  } finally {
    reader.releaseLock();
  }
}

/** A whole string as a one-chunk stream (tests, pasted text). */
export async function* chunksOf(text: string, chunkSize = text.length || 1): AsyncGenerator<string> {
  for (let start = 0; start < text.length; start += chunkSize) {
    yield text.slice(start, start + chunkSize);
  }
}
