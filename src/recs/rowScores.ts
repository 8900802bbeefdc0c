// vectors · query for every row of a [rows × dim] table: the inner loop of scoring every item
// on every event (GRU scores, MF cosines). The same sums as scoreRows in ml/models/linalg.ts —
// each row's products added in order into one double — with the loop unrolled by four and the
// query read from a Float64Array, which V8 runs about a third faster.

/** out[row] = vectors[row] · query (+ bias[row]); out is returned (a new array if not given). */
export function rowScores(
  vectors: Float32Array,
  dim: number,
  query: ArrayLike<number>,
  bias?: Float32Array,
  out: Float32Array = new Float32Array(Math.floor(vectors.length / dim)),
): Float32Array {
  const count = out.length;
  const q = Float64Array.from(query);
  const unrolled = dim - (dim % 4);
  for (let row = 0, base = 0; row < count; row++, base += dim) {
    let sum = bias ? bias[row] : 0;
    let k = 0;
    for (; k < unrolled; k += 4) {
      sum += vectors[base + k] * q[k];
      sum += vectors[base + k + 1] * q[k + 1];
      sum += vectors[base + k + 2] * q[k + 2];
      sum += vectors[base + k + 3] * q[k + 3];
    }
    for (; k < dim; k++) sum += vectors[base + k] * q[k];
    out[row] = sum;
  }
  return out;
}
