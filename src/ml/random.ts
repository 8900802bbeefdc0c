// The one seeded random source. Every split, negative sample, bootstrap, search, initialiser and
// training batch must replay exactly from its seed, in the browser and in Node alike, and
// Math.random cannot be seeded, so all of them draw from this.

export interface Rng {
  /** uniform in [0, 1) */
  next(): number;
  /** uniform integer in [0, n) */
  nextInt(n: number): number;
  /** standard normal */
  nextNormal(): number;
  /** a fresh 31-bit seed, for tfjs ops that take one (dropout) */
  nextSeed(): number;
}

/** mulberry32: 32-bit state, period 2^32, tiny, fast, and good enough for sampling and initialisation. */
export function createRng(seed: number): Rng {
  let state = seed >>> 0;
  let spareNormal: number | null = null;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    nextInt: (n) => Math.floor(next() * n),
    nextNormal: () => {
      if (spareNormal !== null) {
        const value = spareNormal;
        spareNormal = null;
        return value;
      }
      // Box-Muller yields two normals per pair of uniforms; keep the second.
      const radius = Math.sqrt(-2 * Math.log(1 - next()));
      const angle = 2 * Math.PI * next();
      spareNormal = radius * Math.sin(angle);
      return radius * Math.cos(angle);
    },
    nextSeed: () => Math.floor(next() * 0x7fffffff),
  };
}

/**
 * A seed for an independent stream (e.g. one per user) derived from a base seed, so a user's
 * sample does not depend on how many users were processed before it. It is a 32-bit integer
 * hash (murmur3's finaliser) of the pair.
 */
export function deriveSeed(seed: number, stream: number): number {
  let h = (seed ^ Math.imul(stream + 1, 0x9e3779b1)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/**
 * A seeded sample of `count` values without replacement (the first steps of a Fisher-Yates
 * shuffle, on a copy), in the order drawn.
 */
export function sampleWithoutReplacement<T>(values: readonly T[], count: number, rng: Rng): T[] {
  const copy = [...values];
  const take = Math.min(count, copy.length);
  for (let i = 0; i < take; i++) {
    const j = i + rng.nextInt(copy.length - i);
    [copy[i], copy[j]] = [copy[j], copy[i]];
  }
  return copy.slice(0, take);
}

/** Fisher-Yates shuffle in place. */
export function shuffleInPlace<T extends { length: number; [i: number]: unknown }>(values: T, rng: Rng): T {
  for (let i = values.length - 1; i > 0; i--) {
    const j = rng.nextInt(i + 1);
    const held = values[i];
    values[i] = values[j];
    values[j] = held;
  }
  return values;
}
