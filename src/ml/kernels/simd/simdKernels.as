// AssemblyScript source of the 128-bit SIMD training kernels (compiled by scripts/build/simdKernels.ts
// into simdKernelsBinary.generated.ts; the extension is .as so the app's TypeScript tools leave it
// alone). The module imports tfjs-wasm's own memory: every pointer below is a byte offset into that
// heap (a tensor's memoryOffset), so nothing is copied in or out. It allocates nothing, has no data
// segment (instantiating it must not write into tfjs's heap) and no imports besides the memory.
//
// Each kernel computes what its JavaScript twin in ../ computes. Dropout uses the same float32
// operations in the same order, so its results are bit for bit the same; attention, layer norm and
// Adam sum in float32 lanes where the JavaScript sums in float64, so they agree to float32 rounding
// (simdKernels.test.ts, simdAttention.test.ts, simdLayerNorm.test.ts, simdAdam.test.ts).

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

// ---- one head of causal attention (../causalAttention.ts) ----------------------------------------
// The same loops as the JavaScript kernel: each (query, visible key) pair once per pass, the
// products over the width four lanes at a time. The JavaScript kernel sums dot products in float64;
// here they are float32 lanes (summed lane by lane, then across), so results agree to float32
// rounding, not bit for bit. The softmax and the backward pass's per-pair sums stay float64, in a
// scratch row of `length` float64 the caller allocates on the heap (the module allocates nothing).

/** Σ_k a[k] · b[k] over `width` float32 entries. */
// @ts-ignore: decorator
@inline
function dot(a: usize, b: usize, width: i32): f32 {
  let sums = f32x4.splat(0);
  const bytes = <usize>width << 2;
  let at: usize = 0;
  for (; at + 16 <= bytes; at += 16) sums = f32x4.add(sums, f32x4.mul(v128.load(a + at), v128.load(b + at)));
  let total: f32 =
    f32x4.extract_lane(sums, 0) +
    f32x4.extract_lane(sums, 1) +
    (f32x4.extract_lane(sums, 2) + f32x4.extract_lane(sums, 3));
  for (; at < bytes; at += 4) total += load<f32>(a + at) * load<f32>(b + at);
  return total;
}

/** out[k] += factor · x[k] over `width` float32 entries. */
// @ts-ignore: decorator
@inline
function addScaled(out: usize, factor: f32, x: usize, width: i32): void {
  const factorV = f32x4.splat(factor);
  const bytes = <usize>width << 2;
  let at: usize = 0;
  for (; at + 16 <= bytes; at += 16) {
    v128.store(out + at, f32x4.add(v128.load(out + at), f32x4.mul(factorV, v128.load(x + at))));
  }
  for (; at < bytes; at += 4) store<f32>(out + at, load<f32>(out + at) + factor * load<f32>(x + at));
}

/** `count` float32 zeros from `out` on. */
function zero(out: usize, count: i32): void {
  const bytes = <usize>count << 2;
  let at: usize = 0;
  for (; at + 16 <= bytes; at += 16) v128.store(out + at, i32x4.splat(0));
  for (; at < bytes; at += 4) store<f32>(out + at, 0);
}

/** The keep multiplier of mask entry `index` (1 without dropout). */
// @ts-ignore: decorator
@inline
function keepAt(dropping: bool, key: u32, index: i32, keptBelowOrAt: u32, multiplier: f32): f32 {
  return dropping ? maskEntry(key + <u32>index * PHI, keptBelowOrAt, multiplier) : 1;
}

/** y [B, L, d] and the softmax weights p [B, L, L] (0 where a key is masked or unseen). */
export function attentionForward(
  queries: usize,
  keys: usize,
  values: usize,
  keyMask: usize,
  attended: usize,
  probabilities: usize,
  scratch: usize,
  batch: i32,
  length: i32,
  width: i32,
  scale: f64,
  dropping: bool,
  key: u32,
  keptBelowOrAt: u32,
  multiplier: f32,
): void {
  zero(attended, batch * length * width);
  zero(probabilities, batch * length * length);
  const rowBytes = <usize>width << 2;
  for (let b = 0; b < batch; b++) {
    const base = <usize>(b * length) * rowBytes;
    const keyMaskRow = keyMask + (<usize>(b * length) << 2);
    for (let i = 0; i < length; i++) {
      const query = queries + base + <usize>i * rowBytes;
      let max = -Infinity;
      for (let j = 0; j <= i; j++) {
        if (load<f32>(keyMaskRow + (<usize>j << 2)) == 0) continue;
        const logit = scale * <f64>dot(query, keys + base + <usize>j * rowBytes, width);
        store<f64>(scratch + (<usize>j << 3), logit);
        if (logit > max) max = logit;
      }
      if (max == -Infinity) continue; // no key to see: y_i stays 0
      let total: f64 = 0;
      for (let j = 0; j <= i; j++) {
        if (load<f32>(keyMaskRow + (<usize>j << 2)) == 0) continue;
        const e = Math.exp(load<f64>(scratch + (<usize>j << 3)) - max);
        store<f64>(scratch + (<usize>j << 3), e);
        total += e;
      }
      const row = (b * length + i) * length;
      const out = attended + base + <usize>i * rowBytes;
      for (let j = 0; j <= i; j++) {
        if (load<f32>(keyMaskRow + (<usize>j << 2)) == 0) continue;
        const p = load<f64>(scratch + (<usize>j << 3)) / total;
        store<f32>(probabilities + (<usize>(row + j) << 2), <f32>p);
        const weight = <f32>(p * keepAt(dropping, key, row + j, keptBelowOrAt, multiplier));
        if (weight == 0) continue;
        addScaled(out, weight, values + base + <usize>j * rowBytes, width);
      }
    }
  }
}

/**
 * dq, dk, dv [B, L, d] from dy [B, L, d] and the saved weights p: with g_ij = dy_i·v_j · keep_ij
 * and dl_ij = p_ij (g_ij − Σ_k p_ik g_ik): dv_j += a_ij dy_i, dq_i += s dl_ij k_j, dk_j += s dl_ij q_i.
 */
export function attentionBackward(
  queries: usize,
  keys: usize,
  values: usize,
  probabilities: usize,
  gradient: usize,
  dQueries: usize,
  dKeys: usize,
  dValues: usize,
  scratch: usize,
  batch: i32,
  length: i32,
  width: i32,
  scale: f64,
  dropping: bool,
  key: u32,
  keptBelowOrAt: u32,
  multiplier: f32,
): void {
  const count = batch * length * width;
  zero(dQueries, count);
  zero(dKeys, count);
  zero(dValues, count);
  const rowBytes = <usize>width << 2;
  for (let b = 0; b < batch; b++) {
    const base = <usize>(b * length) * rowBytes;
    for (let i = 0; i < length; i++) {
      const at = base + <usize>i * rowBytes;
      const row = (b * length + i) * length;
      let expected: f64 = 0;
      for (let j = 0; j <= i; j++) {
        const p = <f64>load<f32>(probabilities + (<usize>(row + j) << 2));
        store<f64>(scratch + (<usize>j << 3), 0);
        if (p == 0) continue;
        const keep = <f64>keepAt(dropping, key, row + j, keptBelowOrAt, multiplier);
        if (keep == 0) continue;
        const value = base + <usize>j * rowBytes;
        const weighted = <f64>dot(gradient + at, values + value, width) * keep;
        addScaled(dValues + value, <f32>(p * keep), gradient + at, width);
        store<f64>(scratch + (<usize>j << 3), weighted);
        expected += p * weighted;
      }
      for (let j = 0; j <= i; j++) {
        const p = <f64>load<f32>(probabilities + (<usize>(row + j) << 2));
        if (p == 0) continue;
        const dLogit = <f32>(scale * p * (load<f64>(scratch + (<usize>j << 3)) - expected));
        if (dLogit == 0) continue;
        const other = base + <usize>j * rowBytes;
        addScaled(dQueries + at, dLogit, keys + other, width);
        addScaled(dKeys + other, dLogit, queries + at, width);
      }
    }
  }
}

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

// ---- Adam (../adamUpdate.ts) ----------------------------------------------------------------------
// m ← β1·m + (1−β1)·g, v ← β2·v + (1−β2)·g², p ← p − rate·m / (√v + ε), in float32 lanes (the
// JavaScript kernel in float64, rounding on each store): equal to float32 rounding. 1 − β1 and
// 1 − β2 come from the caller, worked out in float64: 1 − β2 in float32 from float32 β2 = 0.999 is
// off by 1.3e-5 relative, a bias in every second moment.

/** `count` entries: parameter and moments from entry `from`, the gradient from `gradientFrom`. */
// @ts-ignore: decorator
@inline
function adamRange(
  param: usize,
  first: usize,
  second: usize,
  gradient: usize,
  outParam: usize,
  outFirst: usize,
  outSecond: usize,
  from: usize,
  gradientFrom: usize,
  count: i32,
  beta1: f32,
  beta2: f32,
  keep1: f32,
  keep2: f32,
  rate: f32,
  epsilon: f32,
): void {
  const beta1V = f32x4.splat(beta1);
  const beta2V = f32x4.splat(beta2);
  const keep1V = f32x4.splat(keep1);
  const keep2V = f32x4.splat(keep2);
  const rateV = f32x4.splat(rate);
  const epsilonV = f32x4.splat(epsilon);
  const bytes = <usize>count << 2;
  const at0 = from << 2;
  const g0 = gradientFrom << 2;
  let i: usize = 0;
  for (; i + 16 <= bytes; i += 16) {
    const g = v128.load(gradient + g0 + i);
    const m = f32x4.add(f32x4.mul(beta1V, v128.load(first + at0 + i)), f32x4.mul(keep1V, g));
    const v = f32x4.add(f32x4.mul(beta2V, v128.load(second + at0 + i)), f32x4.mul(f32x4.mul(keep2V, g), g));
    v128.store(outFirst + at0 + i, m);
    v128.store(outSecond + at0 + i, v);
    const step = f32x4.div(f32x4.mul(rateV, m), f32x4.add(f32x4.sqrt(v), epsilonV));
    v128.store(outParam + at0 + i, f32x4.sub(v128.load(param + at0 + i), step));
  }
  for (; i < bytes; i += 4) {
    const g = load<f32>(gradient + g0 + i);
    const m = beta1 * load<f32>(first + at0 + i) + keep1 * g;
    const v = beta2 * load<f32>(second + at0 + i) + keep2 * g * g;
    store<f32>(outFirst + at0 + i, m);
    store<f32>(outSecond + at0 + i, v);
    store<f32>(outParam + at0 + i, load<f32>(param + at0 + i) - (rate * m) / (Mathf.sqrt(v) + epsilon));
  }
}

/** The dense update of `count` entries. */
export function adamDense(
  param: usize,
  first: usize,
  second: usize,
  gradient: usize,
  outParam: usize,
  outFirst: usize,
  outSecond: usize,
  count: i32,
  beta1: f32,
  beta2: f32,
  keep1: f32,
  keep2: f32,
  rate: f32,
  epsilon: f32,
): void {
  adamRange(param, first, second, gradient, outParam, outFirst, outSecond, 0, 0, count, beta1, beta2, keep1, keep2, rate, epsilon);
}

/**
 * The lazy update of the listed rows (int32, unique, checked by the caller) of a table of `width`;
 * the outputs already hold copies of the inputs. Row r's gradient is row r of `gradient`.
 */
export function adamRows(
  param: usize,
  first: usize,
  second: usize,
  gradient: usize,
  outParam: usize,
  outFirst: usize,
  outSecond: usize,
  rows: usize,
  rowCount: i32,
  width: i32,
  beta1: f32,
  beta2: f32,
  keep1: f32,
  keep2: f32,
  rate: f32,
  epsilon: f32,
): void {
  for (let r = 0; r < rowCount; r++) {
    const row = <usize>load<i32>(rows + (<usize>r << 2));
    const from = row * <usize>width;
    const gradientFrom = <usize>r * <usize>width;
    adamRange(param, first, second, gradient, outParam, outFirst, outSecond, from, gradientFrom, width, beta1, beta2, keep1, keep2, rate, epsilon);
  }
}

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
