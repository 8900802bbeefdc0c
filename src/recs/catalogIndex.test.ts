import { describe, expect, it } from 'vitest';
import { createRng } from '../ml/random';
import { jaccard, JaccardCache } from './catalogIndex';

describe('jaccard', () => {
  it('is |A∩B| / |A∪B|', () => {
    // {1,2,3} vs {2,3,4}: 2 shared of 4 distinct
    expect(jaccard(Int32Array.from([1, 2, 3]), Int32Array.from([2, 3, 4]))).toBe(0.5);
    expect(jaccard(Int32Array.from([]), Int32Array.from([1]))).toBe(0);
  });

  it('remembered pair by pair, gives exactly what computing it gives, in either order and past capacity', () => {
    const rng = createRng(8);
    const features = Array.from({ length: 30 }, () =>
      Int32Array.from(new Set(Array.from({ length: rng.nextInt(8) }, () => rng.nextInt(12)))).sort(),
    );
    const cache = new JaccardCache(features, 50);
    for (let i = 0; i < 2000; i++) {
      const a = rng.nextInt(30);
      const b = rng.nextInt(30);
      expect(cache.similarity(a, b)).toBe(jaccard(features[a], features[b]));
      expect(cache.similarity(b, a)).toBe(jaccard(features[b], features[a]));
    }
  });
});
