// A score list turned into rank discounts over a candidate pool: an item's value is
// 1 / log2(2 + r), r being how many pool items score strictly higher (the pool's best reads 1, the
// next .63, then .5, …). Min-max scaling keeps a model's gaps, so one outlier squeezes every other
// candidate towards 0; the rank discount keeps only the order, on the same curve NDCG rewards, so
// a blend of several models' ranks behaves like a learned rank fusion. An item outside the pool
// gets the rank it would have among the pool's items, as serving would rank it.

/** The pool's finite scores, best first: what rankDiscount reads. */
export function poolOrder(scores: Float32Array, pool: readonly number[]): Float32Array {
  const values = pool.map((item) => scores[item]).filter((value) => Number.isFinite(value));
  return Float32Array.from(values).sort().reverse();
}

/** How many of `descending` are strictly above `value` (binary search). */
export function countAbove(descending: Float32Array, value: number): number {
  let low = 0;
  let high = descending.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (descending[middle] > value) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** 1 / log2(2 + items above); 0 for a score that is not finite (an excluded or unknown item). */
export function rankDiscount(descending: Float32Array, value: number): number {
  if (!Number.isFinite(value)) return 0;
  return 1 / Math.log2(2 + countAbove(descending, value));
}
