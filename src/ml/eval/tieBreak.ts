// Every model's fallback when it cannot tell items apart: popularity, as a tie-breaker only.
// Item-kNN gives every item without co-occurrence a score of exactly zero, so under pessimistic
// ties a target it knows nothing about ranks below every zero-scored negative; most models have
// such plateaus somewhere. Adding popularity scaled below the smallest gap between two different
// scores orders each plateau by popularity and never swaps two items the model did tell apart.

/** How ties in a model's scores are broken before ranking: by popularity, or left as ties. */
export type TieBreak = 'popularity' | 'none';

export const DEFAULT_TIE_BREAK: TieBreak = 'popularity';

/** The smallest positive difference between two finite scores; 0 when there are no two different ones. */
export function smallestScoreGap(scores: ArrayLike<number>): number {
  const finite: number[] = [];
  for (let i = 0; i < scores.length; i++) if (Number.isFinite(scores[i])) finite.push(scores[i]);
  const sorted = Float64Array.from(finite).sort();
  let gap = Infinity;
  for (let i = 1; i < sorted.length; i++) {
    const step = sorted[i] - sorted[i - 1];
    if (step > 0 && step < gap) gap = step;
  }
  return gap === Infinity ? 0 : gap;
}

/**
 * scores + popularity · (gap / 2) / (max popularity + 1), in float64: the added term is below half
 * the smallest gap, so an item the model scored higher stays higher, and items with equal scores
 * are ordered by popularity (equal popularity stays a tie). Where every finite score is the same
 * (an empty history), the model's ranking is pure popularity. Non-finite scores are kept as they are.
 */
export function breakTiesByPopularity(
  scores: ArrayLike<number>,
  popularity: ArrayLike<number>,
): Float64Array {
  const broken = Float64Array.from(scores as ArrayLike<number>);
  let mostPopular = 0;
  for (let i = 0; i < popularity.length; i++) mostPopular = Math.max(mostPopular, popularity[i]);
  if (mostPopular <= 0) return broken;
  const gap = smallestScoreGap(scores) || 1;
  const scale = gap / 2 / (mostPopular + 1);
  for (let i = 0; i < broken.length; i++) {
    if (Number.isFinite(broken[i])) broken[i] += (popularity[i] ?? 0) * scale;
  }
  return broken;
}
