// ---- the transpose before a transposed product (../wasmMatMul.ts) --------------------------------
// out [cols, rows] = source [rows, cols]ᵀ, 4 × 4 blocks through shuffles, the edges entry by entry.
// A copy, so bit for bit the JavaScript's.
export function transpose(source: usize, rows: i32, cols: i32, out: usize): void {
  const sourceStride = <usize>cols << 2;
  const outStride = <usize>rows << 2;
  const fullRows = rows & ~3;
  const fullCols = cols & ~3;
  for (let r = 0; r < fullRows; r += 4) {
    const from = source + <usize>r * sourceStride;
    const to = out + (<usize>r << 2);
    for (let c = 0; c < fullCols; c += 4) {
      const at = <usize>c << 2;
      const a = v128.load(from + at);
      const b = v128.load(from + sourceStride + at);
      const cc = v128.load(from + 2 * sourceStride + at);
      const d = v128.load(from + 3 * sourceStride + at);
      const ab01 = v128.shuffle<i32>(a, b, 0, 4, 1, 5);
      const ab23 = v128.shuffle<i32>(a, b, 2, 6, 3, 7);
      const cd01 = v128.shuffle<i32>(cc, d, 0, 4, 1, 5);
      const cd23 = v128.shuffle<i32>(cc, d, 2, 6, 3, 7);
      const column = to + <usize>c * outStride;
      v128.store(column, v128.shuffle<i64>(ab01, cd01, 0, 2));
      v128.store(column + outStride, v128.shuffle<i64>(ab01, cd01, 1, 3));
      v128.store(column + 2 * outStride, v128.shuffle<i64>(ab23, cd23, 0, 2));
      v128.store(column + 3 * outStride, v128.shuffle<i64>(ab23, cd23, 1, 3));
    }
    // the last cols % 4 columns of these four rows
    for (let c = fullCols; c < cols; c++) {
      for (let k = 0; k < 4; k++) {
        store<f32>(out + <usize>c * outStride + (<usize>(r + k) << 2), load<f32>(source + <usize>(r + k) * sourceStride + (<usize>c << 2)));
      }
    }
  }
  // the last rows % 4 rows, every column
  for (let r = fullRows; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      store<f32>(out + <usize>c * outStride + (<usize>r << 2), load<f32>(source + <usize>r * sourceStride + (<usize>c << 2)));
    }
  }
}
