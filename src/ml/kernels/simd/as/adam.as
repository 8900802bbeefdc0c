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
