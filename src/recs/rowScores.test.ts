import { describe, expect, it } from 'vitest';
import { scoreRows } from '../ml/models/linalg';
import { createRng } from '../ml/random';
import { rowScores } from './rowScores';

describe('row scores', () => {
  it('equal scoreRows from ml/models/linalg exactly, with and without a bias, for any width', () => {
    const rng = createRng(21);
    for (const dim of [1, 3, 4, 7, 16, 32, 33]) {
      const rows = 1 + rng.nextInt(50);
      const vectors = Float32Array.from({ length: rows * dim }, () => rng.next() * 2 - 1);
      const query = Float32Array.from({ length: dim }, () => rng.next() * 4 - 2);
      const bias = Float32Array.from({ length: rows }, () => rng.next() - 0.5);
      expect(rowScores(vectors, dim, query)).toEqual(scoreRows(vectors, dim, query));
      expect(rowScores(vectors, dim, query, bias)).toEqual(scoreRows(vectors, dim, query, bias));
      expect(rowScores(vectors, dim, Array.from(query))).toEqual(scoreRows(vectors, dim, Array.from(query)));
    }
  });
});
