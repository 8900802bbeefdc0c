// Small dense linear algebra on Float32Arrays for on-device scoring: the fold-in solve is a
// d × d system (d ≈ 64), far too small to be worth a trip to the GPU.

/** Solve A x = b for symmetric positive-definite A (row-major n × n) by Cholesky; A is not modified. */
export function solveSymmetricPositiveDefinite(
  matrix: Float64Array,
  rhs: Float64Array,
  n: number,
): Float64Array {
  const lower = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let sum = matrix[i * n + j];
      for (let k = 0; k < j; k++) sum -= lower[i * n + k] * lower[j * n + k];
      if (i === j) {
        if (!(sum > 0)) throw new Error('matrix is not positive definite');
        lower[i * n + i] = Math.sqrt(sum);
      } else {
        lower[i * n + j] = sum / lower[j * n + j];
      }
    }
  }
  // forward substitution L y = b, then back substitution Lᵀ x = y
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let sum = rhs[i];
    for (let k = 0; k < i; k++) sum -= lower[i * n + k] * y[k];
    y[i] = sum / lower[i * n + i];
  }
  const x = new Float64Array(n);
  for (let i = n - 1; i >= 0; i--) {
    let sum = y[i];
    for (let k = i + 1; k < n; k++) sum -= lower[k * n + i] * x[k];
    x[i] = sum / lower[i * n + i];
  }
  return x;
}

/**
 * Ridge regression of targets on rows of `vectors`:
 *   argmin_u Σ_r w_r (u · v_r − t_r)² + λ ‖u‖²  =  (Vᵀ W V + λ I)⁻¹ Vᵀ W t.
 */
export function ridgeFit(
  vectors: Float32Array,
  dim: number,
  rows: readonly number[],
  targets: readonly number[],
  weights: readonly number[],
  lambda: number,
): Float32Array {
  const gram = new Float64Array(dim * dim);
  const moment = new Float64Array(dim);
  rows.forEach((row, r) => {
    const w = weights[r];
    const base = row * dim;
    for (let i = 0; i < dim; i++) {
      const vi = vectors[base + i] * w;
      moment[i] += vi * targets[r];
      for (let j = 0; j <= i; j++) gram[i * dim + j] += vi * vectors[base + j];
    }
  });
  for (let i = 0; i < dim; i++) {
    gram[i * dim + i] += lambda;
    for (let j = 0; j < i; j++) gram[j * dim + i] = gram[i * dim + j];
  }
  return Float32Array.from(solveSymmetricPositiveDefinite(gram, moment, dim));
}

/** scores[i] = vectors[i] · query (+ bias[i]) for every row. */
export function scoreRows(
  vectors: Float32Array,
  dim: number,
  query: ArrayLike<number>,
  bias?: Float32Array,
): Float32Array {
  const count = vectors.length / dim;
  const scores = new Float32Array(count);
  for (let row = 0; row < count; row++) {
    let sum = bias ? bias[row] : 0;
    const base = row * dim;
    for (let k = 0; k < dim; k++) sum += vectors[base + k] * query[k];
    scores[row] = sum;
  }
  return scores;
}

/** Euclidean norm of every row. */
export function rowNorms(vectors: Float32Array, dim: number): Float32Array {
  const count = vectors.length / dim;
  const norms = new Float32Array(count);
  for (let row = 0; row < count; row++) {
    let sum = 0;
    for (let k = 0; k < dim; k++) sum += vectors[row * dim + k] ** 2;
    norms[row] = Math.sqrt(sum);
  }
  return norms;
}
