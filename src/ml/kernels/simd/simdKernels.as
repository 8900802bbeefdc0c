// AssemblyScript source of the 128-bit SIMD training kernels (compiled by scripts/build/simdKernels.ts
// into simdKernelsBinary.generated.ts; the extension is .as so the app's TypeScript tools leave it
// alone). The module imports tfjs-wasm's own memory: every pointer below is a byte offset into that
// heap (a tensor's memoryOffset), so nothing is copied in or out. It allocates nothing, has no data
// segment (instantiating it must not write into tfjs's heap) and no imports besides the memory.
//
// Each kernel computes what its JavaScript twin in ../ computes, with the same float32 operations
// in the same order, so results are bit for bit the same (tested in simdKernels.test.ts).

// ---- the counter-based dropout mask (../dropoutMask.ts) ------------------------------------------
// entry i is kept when mix32(key + i·φ) < threshold; here `keptBelowOrAt` = threshold − 1 (threshold
// is in [1, 2^32], which does not fit a u32; the caller keeps the JavaScript path for threshold 0).

const PHI: u32 = 0x9e3779b9;

// @ts-ignore: decorator
@inline
function mix32(value: u32): u32 {
  let h = value;
  h = (h ^ (h >>> 16)) * 0x85ebca6b;
  h = (h ^ (h >>> 13)) * 0xc2b2ae35;
  return h ^ (h >>> 16);
}

// @ts-ignore: decorator
@inline
function mix32x4(value: v128): v128 {
  let h = value;
  h = i32x4.mul(v128.xor(h, i32x4.shr_u(h, 16)), i32x4.splat(0x85ebca6b));
  h = i32x4.mul(v128.xor(h, i32x4.shr_u(h, 13)), i32x4.splat(0xc2b2ae35));
  return v128.xor(h, i32x4.shr_u(h, 16));
}

/** The mask's four entries from `counter` (lanes counter + 0, φ, 2φ, 3φ): multiplier or 0. */
// @ts-ignore: decorator
@inline
function maskLanes(counter: u32, keptBelowOrAt: v128, multiplier: v128): v128 {
  const lanes = i32x4.add(i32x4.splat(counter), i32x4(0, 0x9e3779b9, 0x3c6ef372, 0xdaa66d2b));
  return v128.and(i32x4.le_u(mix32x4(lanes), keptBelowOrAt), multiplier);
}

// @ts-ignore: decorator
@inline
function maskEntry(counter: u32, keptBelowOrAt: u32, multiplier: f32): f32 {
  return mix32(counter) <= keptBelowOrAt ? multiplier : 0;
}

/**
 * out = (residual + x · mask) · rowScale[row], over `rows` rows of `width` float32 entries (no row
 * scale: one row of every entry). hasResidual / hasRowScale say whether those pointers are used.
 */
export function dropoutForward(
  x: usize,
  residual: usize,
  rowScale: usize,
  out: usize,
  rows: i32,
  width: i32,
  key: u32,
  keptBelowOrAt: u32,
  multiplier: f32,
  hasResidual: bool,
  hasRowScale: bool,
): void {
  const keptV = i32x4.splat(keptBelowOrAt);
  const multiplierV = f32x4.splat(multiplier);
  let counter = key;
  let at: usize = 0; // byte offset of the entry, same in every array
  for (let row = 0; row < rows; row++) {
    const scale: f32 = hasRowScale ? load<f32>(rowScale + (<usize>row << 2)) : 1;
    const scaleV = f32x4.splat(scale);
    const rowEnd = at + (<usize>width << 2);
    // x · 0, not 0, for a dropped entry: a negative x gives −0, as the JavaScript kernel does
    for (; at + 16 <= rowEnd; at += 16) {
      let value = f32x4.mul(v128.load(x + at), maskLanes(counter, keptV, multiplierV));
      if (hasResidual) value = f32x4.add(v128.load(residual + at), value);
      if (hasRowScale) value = f32x4.mul(value, scaleV);
      v128.store(out + at, value);
      counter += PHI << 2;
    }
    for (; at < rowEnd; at += 4) {
      let value: f32 = load<f32>(x + at) * maskEntry(counter, keptBelowOrAt, multiplier);
      if (hasResidual) value = load<f32>(residual + at) + value;
      if (hasRowScale) value = value * scale;
      store<f32>(out + at, value);
      counter += PHI;
    }
  }
}

/**
 * dx = (dy · rowScale[row]) · mask; with a row scale, `scaled` also gets dy · rowScale[row] (the
 * residual's gradient). Rows as in dropoutForward.
 */
export function dropoutBackward(
  dy: usize,
  rowScale: usize,
  dx: usize,
  scaled: usize,
  rows: i32,
  width: i32,
  key: u32,
  keptBelowOrAt: u32,
  multiplier: f32,
  hasRowScale: bool,
): void {
  const keptV = i32x4.splat(keptBelowOrAt);
  const multiplierV = f32x4.splat(multiplier);
  let counter = key;
  let at: usize = 0;
  for (let row = 0; row < rows; row++) {
    const scale: f32 = hasRowScale ? load<f32>(rowScale + (<usize>row << 2)) : 1;
    const scaleV = f32x4.splat(scale);
    const rowEnd = at + (<usize>width << 2);
    for (; at + 16 <= rowEnd; at += 16) {
      let gradient = v128.load(dy + at);
      if (hasRowScale) {
        gradient = f32x4.mul(gradient, scaleV);
        v128.store(scaled + at, gradient);
      }
      v128.store(dx + at, f32x4.mul(gradient, maskLanes(counter, keptV, multiplierV)));
      counter += PHI << 2;
    }
    for (; at < rowEnd; at += 4) {
      let gradient = load<f32>(dy + at);
      if (hasRowScale) {
        gradient = gradient * scale;
        store<f32>(scaled + at, gradient);
      }
      store<f32>(dx + at, gradient * maskEntry(counter, keptBelowOrAt, multiplier));
      counter += PHI;
    }
  }
}
