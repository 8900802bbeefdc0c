import { describe, expect, it } from 'vitest';
import { createRng, deriveSeed, sampleWithoutReplacement, shuffleInPlace } from './random';

describe('createRng (mulberry32)', () => {
  it('produces the reference mulberry32 stream', () => {
    // reference values from an independent Python port of mulberry32, seed 1
    const rng = createRng(1);
    expect(rng.next()).toBeCloseTo(0.6270739405881613, 15);
    expect(rng.next()).toBeCloseTo(0.002735721180215478, 15);
    expect(rng.next()).toBeCloseTo(0.5274470399599522, 15);
  });

  it('is reproducible per seed and differs across seeds', () => {
    const a = createRng(7);
    const b = createRng(7);
    const c = createRng(8);
    const drawsA = Array.from({ length: 5 }, () => a.next());
    expect(Array.from({ length: 5 }, () => b.next())).toEqual(drawsA);
    expect(Array.from({ length: 5 }, () => c.next())).not.toEqual(drawsA);
  });

  it('replays from the same seed and stays in range', () => {
    const a = createRng(42);
    const b = createRng(42);
    let sum = 0;
    for (let i = 0; i < 10000; i++) {
      const value = a.next();
      expect(value).toBe(b.next());
      sum += value;
      if (value < 0 || value >= 1) throw new Error(`out of range: ${value}`);
    }
    // mean of 10,000 uniforms: sd of the mean is 0.29 / 100, so 0.5 ± 0.01 is > 3 sd
    expect(Math.abs(sum / 10000 - 0.5)).toBeLessThan(0.01);
    const ints = new Set(Array.from({ length: 200 }, () => a.nextInt(3)));
    expect([...ints].sort()).toEqual([0, 1, 2]);
  });

  it('draws integers as floor(next · n), so they follow the same stream', () => {
    // seed 1's first uniforms are 0.627…, 0.0027…, 0.527… (above): times 10, floored
    const rng = createRng(1);
    expect([rng.nextInt(10), rng.nextInt(10), rng.nextInt(10)]).toEqual([6, 0, 5]);
  });

  it('draws normals with roughly zero mean and unit variance', () => {
    const rng = createRng(1);
    const draws = Array.from({ length: 20000 }, () => rng.nextNormal());
    const mean = draws.reduce((s, x) => s + x, 0) / draws.length;
    const variance = draws.reduce((s, x) => s + (x - mean) ** 2, 0) / draws.length;
    expect(Math.abs(mean)).toBeLessThan(0.03);
    expect(Math.abs(variance - 1)).toBeLessThan(0.05);
  });
});

describe('deriveSeed', () => {
  it('gives different streams per user, the same stream for the same pair', () => {
    expect(deriveSeed(7, 3)).toBe(deriveSeed(7, 3));
    const seeds = new Set(Array.from({ length: 1000 }, (_, user) => deriveSeed(7, user)));
    expect(seeds.size).toBe(1000);
    expect(deriveSeed(7, 3)).not.toBe(deriveSeed(8, 3));
  });
});

describe('shuffleInPlace and sampleWithoutReplacement', () => {
  it('shuffles an array into a permutation, reproducibly', () => {
    const once = shuffleInPlace([0, 1, 2, 3, 4, 5, 6, 7, 8, 9], createRng(5));
    const again = shuffleInPlace([0, 1, 2, 3, 4, 5, 6, 7, 8, 9], createRng(5));
    expect(once).toEqual(again);
    expect(once.slice().sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(once).not.toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('shuffles a typed array into a permutation', () => {
    const values = shuffleInPlace(
      Uint32Array.from({ length: 50 }, (_, i) => i),
      createRng(3),
    );
    expect(Array.from(values).sort((x, y) => x - y)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(Array.from(values)).not.toEqual(Array.from({ length: 50 }, (_, i) => i));
  });

  it('samples without replacement, seeded, leaving its input alone', () => {
    const values = Array.from({ length: 20 }, (_, i) => i * 10);
    const sample = sampleWithoutReplacement(values, 5, createRng(4));
    expect(sample).toHaveLength(5);
    expect(new Set(sample).size).toBe(5);
    for (const value of sample) expect(values).toContain(value);
    expect(sampleWithoutReplacement(values, 5, createRng(4))).toEqual(sample);
    expect(values).toEqual(Array.from({ length: 20 }, (_, i) => i * 10));
    expect(sampleWithoutReplacement([1, 2], 5, createRng(4)).sort()).toEqual([1, 2]);
  });
});
