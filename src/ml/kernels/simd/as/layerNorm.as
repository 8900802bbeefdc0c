import { zero } from './attention';

// ---- layer norm over the last axis (../layerNorm.ts) ---------------------------------------------
// The JavaScript kernel's loops with float32 lanes where it computes in float64 (row sums and each
// entry's arithmetic): equal to float32 rounding. Per row only mean, 1/σ and the backward pass's two
// means are scalars (float64, as there).

/** Σ_k a[k] over `width` float32 entries, four lanes then across. */
// @ts-ignore: decorator
@inline
function sum(a: usize, width: i32): f64 {
  let sums = f32x4.splat(0);
  const bytes = <usize>width << 2;
  let at: usize = 0;
  for (; at + 16 <= bytes; at += 16) sums = f32x4.add(sums, v128.load(a + at));
  let total: f64 =
    <f64>f32x4.extract_lane(sums, 0) +
    <f64>f32x4.extract_lane(sums, 1) +
    (<f64>f32x4.extract_lane(sums, 2) + <f64>f32x4.extract_lane(sums, 3));
  for (; at < bytes; at += 4) total += <f64>load<f32>(a + at);
  return total;
}

/** y = (x − mean) · invStd · gain + shift per row of `width`; each row's mean and invStd kept. */
export function layerNormForward(
  x: usize,
  gain: usize,
  shift: usize,
  y: usize,
  means: usize,
  invStds: usize,
  rows: i32,
  width: i32,
  epsilon: f64,
): void {
  const bytes = <usize>width << 2;
  for (let r = 0; r < rows; r++) {
    const row = x + <usize>r * bytes;
    const out = y + <usize>r * bytes;
    const mean = sum(row, width) / <f64>width;
    const meanF = <f32>mean;
    const meanV = f32x4.splat(meanF);
    let squaresV = f32x4.splat(0);
    let at: usize = 0;
    for (; at + 16 <= bytes; at += 16) {
      const centred = f32x4.sub(v128.load(row + at), meanV);
      squaresV = f32x4.add(squaresV, f32x4.mul(centred, centred));
    }
    let squares: f64 =
      <f64>f32x4.extract_lane(squaresV, 0) +
      <f64>f32x4.extract_lane(squaresV, 1) +
      (<f64>f32x4.extract_lane(squaresV, 2) + <f64>f32x4.extract_lane(squaresV, 3));
    for (; at < bytes; at += 4) {
      const centred = <f64>load<f32>(row + at) - mean;
      squares += centred * centred;
    }
    const invStd = 1 / Math.sqrt(squares / <f64>width + epsilon);
    const invStdF = <f32>invStd;
    store<f32>(means + (<usize>r << 2), meanF);
    store<f32>(invStds + (<usize>r << 2), invStdF);
    const invStdV = f32x4.splat(invStdF);
    at = 0;
    for (; at + 16 <= bytes; at += 16) {
      const normal = f32x4.mul(f32x4.sub(v128.load(row + at), meanV), invStdV);
      v128.store(out + at, f32x4.add(f32x4.mul(normal, v128.load(gain + at)), v128.load(shift + at)));
    }
    for (; at < bytes; at += 4) {
      const normal = (load<f32>(row + at) - meanF) * invStdF;
      store<f32>(out + at, normal * load<f32>(gain + at) + load<f32>(shift + at));
    }
  }
}

/**
 * The gradient of layerNormForward. With x̂ = (x − μ)·s and g = dy·γ per row:
 * dx = s · (g − mean(g) − x̂ · mean(g · x̂)), dγ = Σ_rows dy · x̂, dβ = Σ_rows dy.
 */
export function layerNormBackward(
  dy: usize,
  x: usize,
  gain: usize,
  means: usize,
  invStds: usize,
  dx: usize,
  dGain: usize,
  dShift: usize,
  rows: i32,
  width: i32,
): void {
  const bytes = <usize>width << 2;
  zero(dGain, width);
  zero(dShift, width);
  for (let r = 0; r < rows; r++) {
    const rowX = x + <usize>r * bytes;
    const rowDy = dy + <usize>r * bytes;
    const rowDx = dx + <usize>r * bytes;
    const mu = load<f32>(means + (<usize>r << 2));
    const s = load<f32>(invStds + (<usize>r << 2));
    const muV = f32x4.splat(mu);
    const sV = f32x4.splat(s);
    let gSumV = f32x4.splat(0);
    let gxSumV = f32x4.splat(0);
    let at: usize = 0;
    for (; at + 16 <= bytes; at += 16) {
      const xHat = f32x4.mul(f32x4.sub(v128.load(rowX + at), muV), sV);
      const d = v128.load(rowDy + at);
      const g = f32x4.mul(d, v128.load(gain + at));
      gSumV = f32x4.add(gSumV, g);
      gxSumV = f32x4.add(gxSumV, f32x4.mul(g, xHat));
      v128.store(dGain + at, f32x4.add(v128.load(dGain + at), f32x4.mul(d, xHat)));
      v128.store(dShift + at, f32x4.add(v128.load(dShift + at), d));
    }
    let gSum: f64 =
      <f64>f32x4.extract_lane(gSumV, 0) +
      <f64>f32x4.extract_lane(gSumV, 1) +
      (<f64>f32x4.extract_lane(gSumV, 2) + <f64>f32x4.extract_lane(gSumV, 3));
    let gxSum: f64 =
      <f64>f32x4.extract_lane(gxSumV, 0) +
      <f64>f32x4.extract_lane(gxSumV, 1) +
      (<f64>f32x4.extract_lane(gxSumV, 2) + <f64>f32x4.extract_lane(gxSumV, 3));
    for (; at < bytes; at += 4) {
      const xHat = (load<f32>(rowX + at) - mu) * s;
      const d = load<f32>(rowDy + at);
      const g = d * load<f32>(gain + at);
      gSum += <f64>g;
      gxSum += <f64>(g * xHat);
      store<f32>(dGain + at, load<f32>(dGain + at) + d * xHat);
      store<f32>(dShift + at, load<f32>(dShift + at) + d);
    }
    const gMean = <f32>(gSum / <f64>width);
    const gxMean = <f32>(gxSum / <f64>width);
    const gMeanV = f32x4.splat(gMean);
    const gxMeanV = f32x4.splat(gxMean);
    at = 0;
    for (; at + 16 <= bytes; at += 16) {
      const xHat = f32x4.mul(f32x4.sub(v128.load(rowX + at), muV), sV);
      const g = f32x4.mul(v128.load(rowDy + at), v128.load(gain + at));
      const inner = f32x4.sub(f32x4.sub(g, gMeanV), f32x4.mul(xHat, gxMeanV));
      v128.store(rowDx + at, f32x4.mul(sV, inner));
    }
    for (; at < bytes; at += 4) {
      const xHat = (load<f32>(rowX + at) - mu) * s;
      const g = load<f32>(rowDy + at) * load<f32>(gain + at);
      store<f32>(rowDx + at, s * (g - gMean - xHat * gxMean));
    }
  }
}
