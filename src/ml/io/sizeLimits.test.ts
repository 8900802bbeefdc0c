import { describe, expect, it, vi } from 'vitest';
import {
  describeBytes,
  FileTooLargeError,
  importSizeLimits,
  readTextWithin,
  refuseOversized,
} from './sizeLimits';

/** A file that claims `size` bytes and fails the test if anything reads it. */
function declaredFile(name: string, size: number) {
  const file = new File(['x'], name);
  Object.defineProperty(file, 'size', { value: size });
  const text = vi.spyOn(file, 'text');
  const stream = vi.spyOn(file, 'stream');
  const arrayBuffer = vi.spyOn(file, 'arrayBuffer');
  return {
    file,
    reads: () => text.mock.calls.length + stream.mock.calls.length + arrayBuffer.mock.calls.length,
  };
}

describe('describeBytes', () => {
  it('writes sizes in powers of 1024 with one decimal under 10', () => {
    expect(describeBytes(900)).toBe('900 bytes');
    // 1536 / 1024 = 1.5
    expect(describeBytes(1536)).toBe('1.5 KB');
    expect(describeBytes(64 * 1024 * 1024)).toBe('64 MB');
    // 5 TiB stays in TB
    expect(describeBytes(5 * 1024 ** 4)).toBe('5.0 TB');
  });
});

describe('refuseOversized / readTextWithin', () => {
  it('refuses a file of a declared 5 TB without reading a byte, naming it, its size and the limit', async () => {
    const { file, reads } = declaredFile('ratings.csv', 5 * 1024 ** 4);
    await expect(readTextWithin(file, importSizeLimits.sideFile, 'negatives file')).rejects.toThrow(
      new FileTooLargeError(
        'The negatives file "ratings.csv" is 5.0 TB; Aisle reads negatives files of at most 128 MB, so nothing of it was read.',
      ),
    );
    expect(reads()).toBe(0);
  });

  it('reads a file at the limit exactly, and refuses one byte more', async () => {
    const atLimit = new File(['abc'], 'small.txt');
    await expect(readTextWithin(atLimit, 3, 'file')).resolves.toBe('abc');
    expect(() => refuseOversized({ size: 4 }, 3, 'file')).toThrow(
      'The file is 4 bytes; Aisle reads files of at most 3 bytes',
    );
  });

  it('keeps every limit above the largest real file of its kind', () => {
    // MovieLens 25M ratings.csv: 678 MB; LastFM_sample.txt: 0.9 MB
    expect(importSizeLimits.dataset).toBeGreaterThan(678 * 1024 * 1024);
    expect(importSizeLimits.sideFile).toBeGreaterThan(1024 * 1024);
  });
});
