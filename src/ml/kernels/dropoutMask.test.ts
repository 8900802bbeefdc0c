// The counter-based dropout masks: the generator against an independent BigInt reading of its
// definition and a published value, the keep rate and independence within binomial bounds on large
// draws, and the same seed giving the same mask.
import * as tf from '../tf';
import { describe, expect, it } from 'vitest';
import {
  dropoutMaskOf,
  dropoutMaskTensor,
  maskBits,
  maskEntry,
  maskValues,
  maskedDropout,
  mix32,
} from './dropoutMask';

/** MurmurHash3's finaliser written again, over BigInt, straight from its definition. */
function referenceMix(value: bigint): bigint {
  const low32 = (x: bigint) => x & 0xffffffffn;
  let h = low32(value);
  h = low32((h ^ (h >> 16n)) * 0x85ebca6bn);
  h = low32((h ^ (h >> 13n)) * 0xc2b2ae35n);
  return h ^ (h >> 16n);
}

/** |count − n·p| within `sds` binomial standard deviations. */
function expectBinomial(count: number, n: number, p: number, sds = 5): void {
  expect(Math.abs(count - n * p)).toBeLessThan(sds * Math.sqrt(n * p * (1 - p)));
}

describe('the counter-based dropout mask', () => {
  it('mixes as MurmurHash3’s finaliser does', () => {
    expect(mix32(0)).toBe(0); // every step maps 0 to 0
    expect(mix32(1)).toBe(0x514e28b7); // fmix32(1), as published with MurmurHash3
    for (const value of [1, 2, 42, 0x7fffffff, 0x80000000, 0xdeadbeef, 0xffffffff]) {
      expect(mix32(value)).toBe(Number(referenceMix(BigInt(value))));
    }
  });

  it('derives entry i from the key and i alone: mix32(key + i·φ mod 2^32)', () => {
    const mask = dropoutMaskOf(123, 0.8);
    expect(mask.key).toBe(mix32(123));
    for (const index of [0, 1, 2, 1000, 3_519_999]) {
      const counter = (BigInt(mask.key) + BigInt(index) * 0x9e3779b9n) & 0xffffffffn;
      expect(maskBits(mask.key, index)).toBe(Number(referenceMix(counter)));
    }
  });

  it('keeps below round(keep · 2^32) and scales by 1 / keep rounded to float32', () => {
    expect(dropoutMaskOf(1, 0.5)).toMatchObject({ threshold: 2 ** 31, multiplier: 2 });
    expect(dropoutMaskOf(1, 1)).toMatchObject({ threshold: 2 ** 32, multiplier: 1 });
    // keep 0.8 is 0.800000011920929 in float32; 1 / that rounds to 1.25 in float32
    expect(dropoutMaskOf(1, 0.8)).toMatchObject({ threshold: 3435973888, multiplier: 1.25 });
    const mask = dropoutMaskOf(1, 0.5);
    // keep 0.5: an entry is kept exactly when the top bit of its bits is 0
    for (let i = 0; i < 64; i++) expect(maskEntry(mask, i)).toBe(maskBits(mask.key, i) < 2 ** 31 ? 2 : 0);
    expect(Array.from(maskValues(dropoutMaskOf(9, 1), 5))).toEqual([1, 1, 1, 1, 1]);
    expect(() => dropoutMaskOf(1, 0)).toThrow(/keep probability/);
    expect(() => dropoutMaskOf(1, 1.5)).toThrow(/keep probability/);
  });

  it('keeps each entry with probability keep, independently of its neighbour and of the next seed', () => {
    const n = 1_000_000;
    for (const keep of [0.8, 0.5]) {
      const a = maskValues(dropoutMaskOf(42, keep), n);
      const b = maskValues(dropoutMaskOf(43, keep), n);
      let kept = 0;
      let neighboursKept = 0;
      let bothSeedsKept = 0;
      for (let i = 0; i < n; i++) {
        if (a[i] === 0) continue;
        kept++;
        if (i + 1 < n && a[i + 1] !== 0) neighboursKept++;
        if (b[i] !== 0) bothSeedsKept++;
      }
      expectBinomial(kept, n, keep);
      expectBinomial(neighboursKept, n - 1, keep * keep);
      expectBinomial(bothSeedsKept, n, keep * keep);
    }
  });

  it('gives the same mask for the same seed and shape, and another for another seed', () => {
    const before = tf.memory().numTensors;
    const [first, again, other] = [7, 7, 8].map((seed) => dropoutMaskTensor([3, 4, 5], 0.2, seed));
    expect(first.shape).toEqual([3, 4, 5]);
    expect(Array.from(again.dataSync())).toEqual(Array.from(first.dataSync()));
    expect(Array.from(other.dataSync())).not.toEqual(Array.from(first.dataSync()));
    expect(new Set(first.dataSync())).toEqual(new Set([0, 1.25]));
    // stock ops fed the mask: x · mask entry by entry
    const x = tf.fill([3, 4, 5], -2);
    const dropped = tf.tidy(() => maskedDropout(x, 0.2, 7).dataSync() as Float32Array);
    first.dataSync().forEach((m, i) => expect(dropped[i]).toBe(-2 * m));
    tf.dispose([first, again, other, x]);
    expect(tf.memory().numTensors).toBe(before);
  });
});
