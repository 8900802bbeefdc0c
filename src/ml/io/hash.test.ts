import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { chunksOf } from './lines';
import { ContentHasher, hashChunks, hashText } from './hash';
import { datasetPath } from '../testSupport/sharedDatasets';

// Reference FNV-1a 64 with BigInt: slow but obviously right, to check the 16-bit-limb version.
function referenceFnv1a64(bytes: Uint8Array): string {
  let hash = 0xcbf29ce484222325n;
  for (const byte of bytes) {
    hash ^= BigInt(byte);
    hash = (hash * 0x100000001b3n) & 0xffffffffffffffffn;
  }
  return hash.toString(16).padStart(16, '0');
}

describe('hashText (FNV-1a 64-bit)', () => {
  it('matches the published FNV-1a 64 test vectors', () => {
    // vectors from the FNV reference test suite (isthe.com/chongo/tech/comp/fnv)
    expect(hashText('')).toBe('cbf29ce484222325');
    expect(hashText('a')).toBe('af63dc4c8601ec8c');
    expect(hashText('foobar')).toBe('85944171f73967e8');
  });

  it('agrees with a BigInt reference on a real file slice', () => {
    const bytes = readFileSync(datasetPath('lastfm', 'LastFM.txt')).subarray(0, 5000);
    expect(hashText(new TextDecoder().decode(bytes))).toBe(referenceFnv1a64(bytes));
  });

  it('hashes UTF-8 bytes, whatever the chunking, even with a surrogate pair cut in two', async () => {
    const text = 'Misérables 😀 ok';
    const whole = hashText(text);
    // 😀 is U+1F600 = 4 UTF-8 bytes, 2 UTF-16 units: cut at every position
    for (let size = 1; size <= 4; size++) {
      expect(await hashChunks(chunksOf(text, size))).toBe(whole);
    }
    expect(whole).toBe(referenceFnv1a64(new TextEncoder().encode(text)));
  });

  it('tells different content apart and does not reset on digest', () => {
    const hasher = new ContentHasher().update('1 1 2 3');
    const first = hasher.digest();
    expect(hasher.digest()).toBe(first);
    expect(hasher.update(' 4').digest()).toBe(hashText('1 1 2 3 4'));
    expect(first).not.toBe(hashText('1 1 2 4'));
  });
});
