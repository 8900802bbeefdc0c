// Community-wide scores the store's blend reads beside the models: plain counts over the
// community's interactions, log-scaled so one blockbuster does not flatten every other game.
import type { InteractionMatrix } from '../ml/interactions';

/** log(1 + x) scaled so the largest is 1 (all 0 when every count is 0). */
export function logScaled(counts: ArrayLike<number>): Float32Array<ArrayBuffer> {
  let largest = 0;
  for (let i = 0; i < counts.length; i++) if (counts[i] > largest) largest = counts[i];
  const top = Math.log1p(largest);
  return Float32Array.from(counts, (count) => (top > 0 ? Math.log1p(Math.max(0, count)) / top : 0));
}

/** For each item, how many users' rows end with it (their latest game, as the rows are ordered). */
export function latestGameCounts(matrix: InteractionMatrix): Float32Array {
  const counts = new Float32Array(matrix.itemCount);
  for (let u = 0; u < matrix.userCount; u++) {
    const end = matrix.userOffsets[u + 1];
    if (end > matrix.userOffsets[u]) counts[matrix.items[end - 1]] += 1;
  }
  return counts;
}
