import { maskEntry, maskLanes, PHI } from './mask';

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
