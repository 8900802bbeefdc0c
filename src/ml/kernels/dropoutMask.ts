// Dropout masks drawn from a counter-based generator instead of tf.randomUniform. tf.dropout draws
// every number in JavaScript with seedrandom's alea and keeps a uniform tensor the size of the input
// (~3.5 M draws per SASRec step at full width, 13–21 ns each, docs/benchmarks.md); here entry i of
// a mask is a pure function of the mask's seed and i, so a fused kernel computes it where it is
// used, forward and backward alike, and no uniform tensor exists. The model is unchanged (each
// entry kept with probability keep = 1 − rate and scaled by 1 / keep, as tf.dropout scales it);
// only the random stream differs from tf.dropout's.
//
//   bits_i = mix32(key + i · φ) (mod 2^32),  key = mix32(seed),  φ = 0x9e3779b9 (the golden ratio),
//   entry i kept ⇔ bits_i < round(keep · 2^32).
// mix32 is MurmurHash3's 32-bit finaliser, a bijection whose output bits each depend on every input
// bit; over a Weyl sequence it is the construction of SplitMix-style generators.
import * as tf from '../tf';

/** The stream's step between neighbouring entries (φ); kernels walking a mask add it per entry. */
export const maskStreamStep = 0x9e3779b9;
const TWO_TO_32 = 4294967296;

/** MurmurHash3's finaliser on a uint32 (returns a uint32). */
export function mix32(value: number): number {
  let h = value >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** Everything a kernel needs to tell a kept entry from a dropped one, and the kept multiplier. */
export interface DropoutMask {
  /** mix32(seed): neighbouring seeds give unrelated streams */
  key: number;
  /** entry i is kept when its bits are below this (2^32 keeps every entry) */
  threshold: number;
  /** what a kept entry is multiplied by: 1 / keep rounded as float32 division rounds it */
  multiplier: number;
}

/**
 * The mask of one dropout call: its seed (any integer) and the probability of keeping an entry.
 * `firstEntry` > 0 gives the part of that mask from entry firstEntry on, as a mask of its own: since
 * bits_i = mix32(key + i·φ), entry i of the part is entry firstEntry + i of the whole when its key
 * is key + firstEntry·φ. A data-parallel replica computing rows r… of a batch uses it to draw
 * exactly the masks the whole batch would (ml/train/dataParallel.ts).
 */
export function dropoutMaskOf(seed: number, keepProbability: number, firstEntry = 0): DropoutMask {
  if (!(keepProbability > 0 && keepProbability <= 1)) {
    throw new Error(`dropout: keep probability in (0, 1] expected, got ${keepProbability}`);
  }
  // float32 keep, as the multiplier's divisor is float32 in tf.dropout too
  const keep = Math.fround(keepProbability);
  return {
    key: (mix32(seed) + Math.imul(firstEntry, maskStreamStep)) >>> 0,
    threshold: Math.min(TWO_TO_32, Math.round(keep * TWO_TO_32)),
    multiplier: Math.fround(1 / keep),
  };
}

/** The 32 random bits of entry `index` of the stream `key`. */
export function maskBits(key: number, index: number): number {
  return mix32(key + Math.imul(index, maskStreamStep));
}

/** Entry `index` of the mask: mask.multiplier when kept, 0 when dropped. */
export function maskEntry(mask: DropoutMask, index: number): number {
  return maskBits(mask.key, index) < mask.threshold ? mask.multiplier : 0;
}

/** Entries 0 … length − 1 of the mask. */
export function maskValues(mask: DropoutMask, length: number): Float32Array {
  const out = new Float32Array(length);
  const { key, threshold, multiplier } = mask;
  for (let i = 0; i < length; i++) {
    if (mix32(key + Math.imul(i, maskStreamStep)) < threshold) out[i] = multiplier;
  }
  return out;
}

/** The mask for an input of `shape` (row-major entry order) as a float32 tensor, from `firstEntry` on. */
export function dropoutMaskTensor(
  shape: readonly number[],
  rate: number,
  seed: number,
  firstEntry = 0,
): tf.Tensor {
  const mask = dropoutMaskOf(seed, 1 - rate, firstEntry);
  return tf.tensor(maskValues(mask, tf.util.sizeFromShape([...shape])), [...shape], 'float32');
}

/**
 * x dropped out with the mask of `seed` by stock ops (one Multiply): what the fused kernels compute,
 * for backends without them and for the op-by-op form they are tested against.
 */
export function maskedDropout(x: tf.Tensor, rate: number, seed: number, firstEntry = 0): tf.Tensor {
  return tf.mul(x, dropoutMaskTensor(x.shape, rate, seed, firstEntry));
}
