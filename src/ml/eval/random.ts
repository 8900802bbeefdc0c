// A small seeded generator so every split, negative sample, bootstrap and search can be replayed
// exactly from its seed, in the browser and in Node alike (Math.random cannot be seeded).

export interface Random {
  /** uniform in [0, 1) */
  next(): number;
  /** uniform integer in [0, n) */
  int(n: number): number;
}

/** mulberry32: 32-bit state, period 2^32, good enough statistical quality for sampling. */
export function createRandom(seed: number): Random {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { next, int: (n) => Math.floor(next() * n) };
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

/** Fisher–Yates shuffle in place. */
export function shuffleInPlace<T>(values: T[], random: Random): T[] {
  for (let i = values.length - 1; i > 0; i--) {
    const j = random.int(i + 1);
    const held = values[i];
    values[i] = values[j];
    values[j] = held;
  }
  return values;
}
