// A small seeded random source. Training must be reproducible (same seed, same model),
// and Math.random cannot be seeded, so every sampler and initialiser draws from this.

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

/** mulberry32: tiny, fast, and good enough for sampling and initialisation. */
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
