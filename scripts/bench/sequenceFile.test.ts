import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readSequenceFile } from './sequenceFile';

describe('readSequenceFile', () => {
  it('reads 1-based ids as 0-based, skips lines without an item, and counts items up to the largest id', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'aisle-seq-')), 'seq.txt');
    // user 1: items 3, 1, 2; a user with no items; a blank line; user 3: item 7 (so 7 items)
    writeFileSync(path, '1 3 1 2\n2\n\n3 7\n');
    expect(readSequenceFile(path)).toEqual({ sequences: [[2, 0, 1], [6]], itemCount: 7 });
  });
});
