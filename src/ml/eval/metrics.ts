// Ranking metrics for one user, computed from the 1-based positions of that user's targets in
// the ranked candidate list (ascending; fractional positions come from the 'realistic' tie
// policy). Averaging over users is the caller's job, so every metric stays a small pure function
// and per-user values remain available for confidence intervals and paired tests.
import type { InteractionMatrix } from '../interactions';

/** 1 when at least one target is in the top k, else 0. */
export function hitRate(positions: readonly number[], k: number): number {
  return positions.length > 0 && positions[0] <= k ? 1 : 0;
}

function hitsWithin(positions: readonly number[], k: number): number {
  let hits = 0;
  while (hits < positions.length && positions[hits] <= k) hits++;
  return hits;
}

/** Targets found in the top k over all targets (RecBole's definition; not capped at k). */
export function recall(positions: readonly number[], targetCount: number, k: number): number {
  return targetCount === 0 ? 0 : hitsWithin(positions, k) / targetCount;
}

/**
 * Binary-relevance NDCG@k: sum of 1/log2(position + 1) over targets in the top k, divided by the
 * same sum for an ideal list that puts min(targets, k) targets first.
 */
export function ndcg(positions: readonly number[], targetCount: number, k: number): number {
  let dcg = 0;
  for (let j = 0; j < positions.length && positions[j] <= k; j++) dcg += 1 / Math.log2(positions[j] + 1);
  let ideal = 0;
  for (let i = 1; i <= Math.min(targetCount, k); i++) ideal += 1 / Math.log2(i + 1);
  return ideal === 0 ? 0 : dcg / ideal;
}

/** 1 / position of the first target, over the whole ranking (not cut at k). */
export function reciprocalRank(positions: readonly number[]): number {
  return positions.length === 0 ? 0 : 1 / positions[0];
}

/**
 * AP@k: precision at each target found in the top k, summed, over min(targets, k). With one
 * target this equals the reciprocal rank cut at k.
 */
export function averagePrecision(positions: readonly number[], targetCount: number, k: number): number {
  const denominator = Math.min(targetCount, k);
  if (denominator === 0) return 0;
  let sum = 0;
  for (let j = 0; j < positions.length && positions[j] <= k; j++) sum += (j + 1) / positions[j];
  return sum / denominator;
}

/** How many distinct users had each item (repeats by one user count once). */
export function itemPopularity(matrix: InteractionMatrix): Float64Array {
  const counts = new Float64Array(matrix.itemCount);
  const lastUser = new Int32Array(matrix.itemCount).fill(-1);
  for (let u = 0; u < matrix.userCount; u++) {
    for (let i = matrix.userOffsets[u]; i < matrix.userOffsets[u + 1]; i++) {
      const item = matrix.items[i];
      if (lastUser[item] === u) continue;
      lastUser[item] = u;
      counts[item]++;
    }
  }
  return counts;
}

/** Share of the catalogue that appears in at least one list. */
export function catalogCoverage(lists: readonly ArrayLike<number>[], itemCount: number): number {
  const shown = new Set<number>();
  for (const list of lists) for (let i = 0; i < list.length; i++) shown.add(list[i]);
  return itemCount === 0 ? 0 : shown.size / itemCount;
}

/**
 * Mean self-information -log2(p(i)) of the recommended items, p(i) = share of users who had item i
 * (Zhou et al., PNAS 2010). An item nobody had is counted as had by one user, so the value stays
 * finite. Higher means less obvious recommendations.
 */
export function novelty(
  lists: readonly ArrayLike<number>[],
  popularity: ArrayLike<number>,
  userCount: number,
): number {
  let sum = 0;
  let count = 0;
  for (const list of lists) {
    for (let i = 0; i < list.length; i++) {
      sum += -Math.log2(Math.max(1, popularity[list[i]]) / userCount);
      count++;
    }
  }
  return count === 0 ? 0 : sum / count;
}

/**
 * Intra-list diversity: mean over lists of the mean pairwise dissimilarity (1 - similarity) of the
 * items in the list. Lists with fewer than two items are skipped.
 */
export function intraListDiversity(
  lists: readonly ArrayLike<number>[],
  similarity: (a: number, b: number) => number,
): number {
  let total = 0;
  let counted = 0;
  for (const list of lists) {
    if (list.length < 2) continue;
    let sum = 0;
    let pairs = 0;
    for (let i = 0; i < list.length; i++) {
      for (let j = i + 1; j < list.length; j++) {
        sum += 1 - similarity(list[i], list[j]);
        pairs++;
      }
    }
    total += sum / pairs;
    counted++;
  }
  return counted === 0 ? 0 : total / counted;
}

/**
 * The head of the catalogue: the ceil(topFraction * itemCount) most popular items (ties broken by
 * lower item index, as topK does).
 */
export function popularHead(popularity: ArrayLike<number>, topFraction: number): Set<number> {
  const items = Array.from({ length: popularity.length }, (_, item) => item);
  items.sort((a, b) => popularity[b] - popularity[a] || a - b);
  return new Set(items.slice(0, Math.ceil(topFraction * popularity.length)));
}

/** Share of all recommended slots filled by items from the popular head (e.g. top 20%). */
export function popularityShare(
  lists: readonly ArrayLike<number>[],
  popularity: ArrayLike<number>,
  topFraction: number,
): number {
  const head = popularHead(popularity, topFraction);
  let inHead = 0;
  let slots = 0;
  for (const list of lists) {
    for (let i = 0; i < list.length; i++) {
      if (head.has(list[i])) inHead++;
      slots++;
    }
  }
  return slots === 0 ? 0 : inHead / slots;
}
