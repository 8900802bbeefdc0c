// ---- the counter-based dropout mask (../dropoutMask.ts) ------------------------------------------
// entry i is kept when mix32(key + i·φ) < threshold; here `keptBelowOrAt` = threshold − 1 (threshold
// is in [1, 2^32], which does not fit a u32; the caller keeps the JavaScript path for threshold 0).

export const PHI: u32 = 0x9e3779b9;

// @ts-ignore: decorator
@inline
export function mix32(value: u32): u32 {
  let h = value;
  h = (h ^ (h >>> 16)) * 0x85ebca6b;
  h = (h ^ (h >>> 13)) * 0xc2b2ae35;
  return h ^ (h >>> 16);
}

// @ts-ignore: decorator
@inline
export function mix32x4(value: v128): v128 {
  let h = value;
  h = i32x4.mul(v128.xor(h, i32x4.shr_u(h, 16)), i32x4.splat(0x85ebca6b));
  h = i32x4.mul(v128.xor(h, i32x4.shr_u(h, 13)), i32x4.splat(0xc2b2ae35));
  return v128.xor(h, i32x4.shr_u(h, 16));
}

/** The mask's four entries from `counter` (lanes counter + 0, φ, 2φ, 3φ): multiplier or 0. */
// @ts-ignore: decorator
@inline
export function maskLanes(counter: u32, keptBelowOrAt: v128, multiplier: v128): v128 {
  const lanes = i32x4.add(i32x4.splat(counter), i32x4(0, 0x9e3779b9, 0x3c6ef372, 0xdaa66d2b));
  return v128.and(i32x4.le_u(mix32x4(lanes), keptBelowOrAt), multiplier);
}

// @ts-ignore: decorator
@inline
export function maskEntry(counter: u32, keptBelowOrAt: u32, multiplier: f32): f32 {
  return mix32(counter) <= keptBelowOrAt ? multiplier : 0;
}
