// A small stand-in for the store's blend, to ask whether the learned profile adds anything to the
// ranking: the GRU's scores plus w · how well each game matches a genre profile, both min-max
// scaled over the catalogue, w fitted on one half of the held-out players and measured on the
// other. The genre profile is either the counted one (what the store's genre-affinity feature
// does) or the encoder's predicted mix.
import type { ItemGenres } from '../eval/genreMix';

/** Each item's mean profile probability over its genres (0 for a game without genres). */
export function genreMatchScores(profile: ArrayLike<number>, genres: ItemGenres): Float32Array {
  const itemCount = genres.offsets.length - 1;
  const scores = new Float32Array(itemCount);
  for (let item = 0; item < itemCount; item++) {
    const start = genres.offsets[item];
    const end = genres.offsets[item + 1];
    if (end === start) continue;
    let sum = 0;
    for (let j = start; j < end; j++) sum += profile[genres.ids[j]];
    scores[item] = sum / (end - start);
  }
  return scores;
}

/** (x − min) / (max − min); all zeros when every score is the same. */
export function minMaxScaled(scores: Float32Array): Float32Array {
  let min = Infinity;
  let max = -Infinity;
  for (const score of scores) {
    min = Math.min(min, score);
    max = Math.max(max, score);
  }
  const range = max - min;
  return scores.map((score) => (range > 0 ? (score - min) / range : 0));
}

/** scaled(base) + weight · scaled(extra). */
export function blended(base: Float32Array, extra: Float32Array, weight: number): Float32Array {
  const a = minMaxScaled(base);
  return scaledSum(a, minMaxScaled(extra), weight, new Float32Array(a.length));
}

/** out = scaledBase + weight · scaledExtra, written into `out` (a grid of weights reuses one buffer). */
export function scaledSum(
  scaledBase: Float32Array,
  scaledExtra: Float32Array,
  weight: number,
  out: Float32Array,
): Float32Array {
  for (let i = 0; i < out.length; i++) out[i] = scaledBase[i] + weight * scaledExtra[i];
  return out;
}

/** The weight of the grid with the best mean metric (the first of equals, so 0 wins a tie). */
export function bestWeight(grid: readonly number[], meanMetricAt: (weight: number) => number): number {
  let best = grid[0];
  let bestValue = -Infinity;
  for (const weight of grid) {
    const value = meanMetricAt(weight);
    if (value > bestValue) {
      best = weight;
      bestValue = value;
    }
  }
  return best;
}
