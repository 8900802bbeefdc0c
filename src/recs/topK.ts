// A ranking sorted once for score vectors that never change (popularity, recent activity), with
// the contract of topK in ml/recommender.ts: finite scores only, filtered, best first, ties by
// lower item index.
import type { RecommendFilter, ScoredItem } from '../ml/recommender';

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
