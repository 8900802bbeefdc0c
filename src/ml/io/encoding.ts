// Text that is not UTF-8. The importers read UTF-8; a UTF-16 file (what some spreadsheet and
// Windows tools save as "Unicode text") decodes to a NUL between every ASCII character, which a
// parser would otherwise misread line by line ("user has no items"). These name the encoding
// so the refusal says what to do.
import { DatasetParseError } from './errors';

/** The UTF-16 encoding a byte order mark announces, or undefined (UTF-8 and no mark both read fine). */
export function utf16ByteOrder(bytes: Uint8Array): 'UTF-16 little-endian' | 'UTF-16 big-endian' | undefined {
  if (bytes.length < 2) return undefined;
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return 'UTF-16 little-endian';
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return 'UTF-16 big-endian';
  return undefined;
}

/**
 * What text with NUL characters most likely is: ASCII saved as UTF-16 has its NULs on every
 * other character (after each letter in little-endian, before it in big-endian).
 */
export function describeNulText(text: string): string {
  let odd = 0;
  let even = 0;
  const sample = Math.min(text.length, 256);
  for (let i = 0; i < sample; i++) {
    if (text.charCodeAt(i) !== 0) continue;
    if (i % 2 === 1) odd++;
    else even++;
  }
  const half = sample / 2;
  // a UTF-8-decoded BOM (two U+FFFD) shifts nothing: it takes two characters
  if (odd >= half * 0.8 && even === 0) return 'UTF-16 little-endian text';
  if (even >= half * 0.8 && odd === 0) return 'UTF-16 big-endian text';
  return 'binary data or UTF-16 text';
}

export function notUtf8Error(lineNumber: number, encoding: string): DatasetParseError {
  return new DatasetParseError(
    lineNumber,
    `the file is ${encoding}, not UTF-8: save it as UTF-8 (plain text) and import it again`,
  );
}
