import { describe, expect, it } from 'vitest';
import { createRandom, deriveSeed, shuffleInPlace } from './random';

describe('createRandom (mulberry32)', () => {
  it('produces the reference mulberry32 stream', () => {
    // reference values from an independent Python port of mulberry32, seed 1
    const random = createRandom(1);
    expect(random.next()).toBeCloseTo(0.6270739405881613, 15);
    expect(random.next()).toBeCloseTo(0.002735721180215478, 15);
    expect(random.next()).toBeCloseTo(0.5274470399599522, 15);
  });

  it('replays from the same seed and stays in range', () => {
    const a = createRandom(42);
    const b = createRandom(42);
    let sum = 0;
    for (let i = 0; i < 10000; i++) {
      const value = a.next();
      expect(value).toBe(b.next());
      sum += value;
      if (value < 0 || value >= 1) throw new Error(`out of range: ${value}`);
    }
    // mean of 10,000 uniforms: sd of the mean is 0.29 / 100, so 0.5 ± 0.01 is > 3 sd
    expect(Math.abs(sum / 10000 - 0.5)).toBeLessThan(0.01);
    const ints = new Set(Array.from({ length: 200 }, () => a.int(3)));
    expect([...ints].sort()).toEqual([0, 1, 2]);
  });
});

describe('deriveSeed and shuffleInPlace', () => {
  it('gives different streams per user, the same stream for the same pair', () => {
    expect(deriveSeed(7, 3)).toBe(deriveSeed(7, 3));
    const seeds = new Set(Array.from({ length: 1000 }, (_, user) => deriveSeed(7, user)));
    expect(seeds.size).toBe(1000);
    expect(deriveSeed(7, 3)).not.toBe(deriveSeed(8, 3));
  });

  it('shuffles into a permutation, reproducibly', () => {
    const once = shuffleInPlace([0, 1, 2, 3, 4, 5, 6, 7, 8, 9], createRandom(5));
    const again = shuffleInPlace([0, 1, 2, 3, 4, 5, 6, 7, 8, 9], createRandom(5));
    expect(once).toEqual(again);
    expect(once.slice().sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(once).not.toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });
});
