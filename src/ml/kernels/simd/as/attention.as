import { maskEntry, PHI } from './mask';

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
export function zero(out: usize, count: i32): void {
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
