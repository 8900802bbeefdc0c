// Top-k selection for the ranking hot path. Same contract and result as topK in
// ml/recommender.ts (finite scores only, filtered, best first, ties by lower item index),
// found with less work: an item that cannot beat the current k-th is dismissed before the
// filter is asked about it, and a score vector that never changes is sorted once.
import type { RecommendFilter, ScoredItem } from '../ml/recommender';

function byScoreThenItem(a: ScoredItem, b: ScoredItem): number {
  return b.score - a.score || a.item - b.item;
}

/** topK (ml/recommender.ts), asking the filter only about items that would enter the top k. */
export function topKFiltered(scores: Float32Array, k: number, filter?: RecommendFilter): ScoredItem[] {
  if (k <= 0) return [];
  const exclude = filter?.exclude;
  const allow = filter?.allow;
  const picked: ScoredItem[] = [];
  let threshold = -Infinity;
  for (let item = 0; item < scores.length; item++) {
    const score = scores[item];
    // once k are held, only a strictly higher score gets in (a tie loses to the lower index)
    if (picked.length === k && !(score > threshold)) continue;
    if (!Number.isFinite(score)) continue;
    if (exclude?.has(item)) continue;
    if (allow && !allow(item)) continue;
    if (picked.length < k) {
      picked.push({ item, score });
      if (picked.length === k) {
        picked.sort(byScoreThenItem);
        threshold = picked[k - 1].score;
      }
    } else {
      picked[k - 1] = { item, score };
      for (let i = k - 1; i > 0 && byScoreThenItem(picked[i], picked[i - 1]) < 0; i--) {
        [picked[i], picked[i - 1]] = [picked[i - 1], picked[i]];
      }
      threshold = picked[k - 1].score;
    }
  }
  return picked.length < k ? picked.sort(byScoreThenItem) : picked;
}

/**
 * A score vector that does not change (popularity, recent activity): its finite items are
 * sorted best first once, and a top k is the first k that pass the filter.
 */
export class FixedRanking {
  private readonly order: Int32Array;

  constructor(private readonly scores: Float32Array) {
    const finite: number[] = [];
    for (let item = 0; item < scores.length; item++) if (Number.isFinite(scores[item])) finite.push(item);
    finite.sort((a, b) => scores[b] - scores[a] || a - b);
    this.order = Int32Array.from(finite);
  }

  /** Whether this ranking was built over `scores` (the very same array). */
  isOf(scores: Float32Array): boolean {
    return this.scores === scores;
  }

  topK(k: number, filter?: RecommendFilter): ScoredItem[] {
    const picked: ScoredItem[] = [];
    if (k <= 0) return picked;
    const exclude = filter?.exclude;
    const allow = filter?.allow;
    for (let at = 0; at < this.order.length && picked.length < k; at++) {
      const item = this.order[at];
      if (exclude?.has(item)) continue;
      if (allow && !allow(item)) continue;
      picked.push({ item, score: this.scores[item] });
    }
    return picked;
  }
}
