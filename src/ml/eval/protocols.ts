// How a target is ranked: against the whole catalogue, against sampled negatives, or against a
// published fixed list of negatives. All three reduce to "count the competitors that score higher
// than the target", so they share one ranking function and one tie policy.
import type { Rng } from '../random';
import { breakTiesByPopularity } from './tieBreak';

export type RankingProtocol =
  /** every item is a candidate except the user's already-seen items */
  | { kind: 'full' }
  /** the targets plus `negatives` items the user never had, drawn per user from a seeded stream */
  | { kind: 'sampled'; negatives: number; sampling: 'uniform' | 'popularity' }
  /** the targets plus the user's published negatives (e.g. LastFM_sample.txt after alignNegatives) */
  | { kind: 'fixed'; negativesByUser: readonly (ArrayLike<number> | undefined)[] };

/**
 * What happens when a competitor scores exactly the same as the target. These are the three
 * ranks PyKEEN defines (pykeen.evaluation.ranks): optimistic puts the target before all tied
 * competitors, pessimistic after all of them, realistic halfway (the expected rank under a random
 * tie-break). The default is pessimistic: a model that gives every item the same score must not
 * look good. Code that reads the target's position out of a sort (the argsort-of-argsort in the
 * SASRec and S3-Rec evaluation scripts) leaves ties to the sort algorithm instead; on real-valued
 * model scores ties are rare and the policies agree, on count-based scores (popularity) they do not.
 */
export type TiePolicy = 'pessimistic' | 'optimistic' | 'realistic';

export const DEFAULT_TIE_POLICY: TiePolicy = 'pessimistic';

/** NaN and other non-finite-high scores rank last, never first. */
function sanitize(score: number): number {
  return Number.isNaN(score) ? -Infinity : score;
}

function rankFromCounts(higher: number, equal: number, tiePolicy: TiePolicy): number {
  if (tiePolicy === 'optimistic') return 1 + higher;
  if (tiePolicy === 'realistic') return 1 + higher + equal / 2;
  return 1 + higher + equal;
}

/**
 * The competitors of a user's targets: either an explicit candidate list (sampled/fixed), or the
 * whole catalogue minus an exclusion mask (full ranking; the mask holds seen items and the
 * targets themselves).
 */
export type Competitors =
  { kind: 'list'; items: ArrayLike<number> } | { kind: 'allExcept'; excluded: Uint8Array };

/**
 * 1-based positions of the targets in the joint ranked list, ascending. Each target is ranked
 * against the competitors only (never against the other targets) under the tie policy, giving
 * r_1 <= r_2 <= …; the j-th (0-based) target then sits at r_j + j, since the j targets before it
 * also occupy slots above it. With one target this is simply its rank.
 */
export function targetPositions(
  scores: ArrayLike<number>,
  targets: ArrayLike<number>,
  competitors: Competitors,
  tiePolicy: TiePolicy = DEFAULT_TIE_POLICY,
  tieBreakPopularity?: ArrayLike<number>,
): number[] {
  const ranks: number[] = [];
  if (targets.length === 1 || competitors.kind === 'list') {
    for (let t = 0; t < targets.length; t++)
      ranks.push(rankByScan(scores, targets[t], competitors, tiePolicy, tieBreakPopularity));
  } else {
    // many targets over the whole catalogue: sort the competitor scores once, then binary search;
    // sorting needs one number per item, so the popularity tie-break is folded into the scores
    const broken = tieBreakPopularity ? breakTiesByPopularity(scores, tieBreakPopularity) : scores;
    const sorted = competitorScores(broken, competitors.excluded).sort();
    for (let t = 0; t < targets.length; t++) {
      const target = sanitize(broken[targets[t]]);
      const atOrBelow = upperBound(sorted, target);
      const below = lowerBound(sorted, target);
      ranks.push(rankFromCounts(sorted.length - atOrBelow, atOrBelow - below, tiePolicy));
    }
  }
  ranks.sort((a, b) => a - b);
  return ranks.map((rank, j) => rank + j);
}

/**
 * The target's rank by one pass over its competitors. With tieBreakPopularity, a competitor with
 * the same finite score ranks above the target when it is more popular and ties when it is as
 * popular: the order breakTiesByPopularity makes, compared directly instead of through a copy of
 * the scores and a sort of them per user (that sort was most of a full-ranking validation pass).
 */
function rankByScan(
  scores: ArrayLike<number>,
  target: number,
  competitors: Competitors,
  tiePolicy: TiePolicy,
  tieBreakPopularity?: ArrayLike<number>,
) {
  const targetScore = sanitize(scores[target]);
  // breakTiesByPopularity leaves non-finite scores as they are, so their ties stay ties
  const popularity = Number.isFinite(targetScore) ? tieBreakPopularity : undefined;
  const targetPopularity = popularity ? (popularity[target] ?? 0) : 0;
  let higher = 0;
  let equal = 0;
  const compare = (item: number) => {
    const score = sanitize(scores[item]);
    if (score > targetScore) higher++;
    else if (score === targetScore) {
      const itemPopularity = popularity ? (popularity[item] ?? 0) : 0;
      if (itemPopularity > targetPopularity) higher++;
      else if (itemPopularity === targetPopularity) equal++;
    }
  };
  if (competitors.kind === 'list') {
    for (let i = 0; i < competitors.items.length; i++) compare(competitors.items[i]);
  } else {
    for (let item = 0; item < scores.length; item++) if (!competitors.excluded[item]) compare(item);
  }
  return rankFromCounts(higher, equal, tiePolicy);
}

function competitorScores(scores: ArrayLike<number>, excluded: Uint8Array): Float64Array {
  const kept: number[] = [];
  for (let item = 0; item < scores.length; item++) if (!excluded[item]) kept.push(sanitize(scores[item]));
  return Float64Array.from(kept);
}

/** first index whose value is >= x */
function lowerBound(sorted: Float64Array, x: number): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (sorted[mid] < x) low = mid + 1;
    else high = mid;
  }
  return low;
}

/** first index whose value is > x */
function upperBound(sorted: Float64Array, x: number): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (sorted[mid] <= x) low = mid + 1;
    else high = mid;
  }
  return low;
}

/**
 * Cumulative weights for popularity sampling; items with weight 0 are never drawn. Built once per
 * evaluation from training popularity.
 */
export function cumulativeWeights(weights: ArrayLike<number>): Float64Array {
  const cumulative = new Float64Array(weights.length);
  let total = 0;
  for (let i = 0; i < weights.length; i++) {
    total += Math.max(0, weights[i]);
    cumulative[i] = total;
  }
  return cumulative;
}

/**
 * Draws `count` distinct items that are not excluded (the user's seen items and targets),
 * uniformly or in proportion to popularity (`cumulative` from cumulativeWeights). When fewer than
 * `count` items are eligible, all of them are returned. Draws by rejection while eligible items
 * are plentiful, and falls back to an exact pass over the eligible items otherwise, so a tiny
 * catalogue cannot make it loop for long.
 */
export function sampleNegatives(
  count: number,
  itemCount: number,
  excluded: Uint8Array,
  random: Rng,
  cumulative?: Float64Array,
): Int32Array {
  const eligible: number[] = [];
  for (let item = 0; item < itemCount; item++) {
    if (!excluded[item] && (!cumulative || weightOf(cumulative, item) > 0)) eligible.push(item);
  }
  if (eligible.length <= count) return Int32Array.from(eligible);

  const picked = new Set<number>();
  const total = cumulative ? cumulative[itemCount - 1] : itemCount;
  const maxAttempts = 20 * count + 100;
  for (let attempt = 0; attempt < maxAttempts && picked.size < count; attempt++) {
    const item = cumulative
      ? lowerBound(cumulative, random.next() * total + Number.MIN_VALUE)
      : random.nextInt(itemCount);
    if (item < itemCount && !excluded[item] && !picked.has(item)) picked.add(item);
  }
  if (picked.size < count) {
    // exact fallback: weighted sampling without replacement by Efraimidis–Spirakis keys u^(1/w)
    const keyed = eligible
      .filter((item) => !picked.has(item))
      .map((item) => ({
        item,
        key: Math.log(random.next()) / (cumulative ? weightOf(cumulative, item) : 1),
      }));
    keyed.sort((a, b) => b.key - a.key);
    for (const { item } of keyed.slice(0, count - picked.size)) picked.add(item);
  }
  return Int32Array.from(picked);
}

function weightOf(cumulative: Float64Array, item: number): number {
  return cumulative[item] - (item > 0 ? cumulative[item - 1] : 0);
}

/** A one-line description of a protocol, for result tables and exports. */
export function describeProtocol(
  protocol: RankingProtocol,
  tiePolicy: TiePolicy = DEFAULT_TIE_POLICY,
): string {
  const ties = `ties ${tiePolicy}`;
  if (protocol.kind === 'full') return `full ranking, seen items masked, ${ties}`;
  if (protocol.kind === 'sampled')
    return `${protocol.negatives} ${protocol.sampling} sampled negatives, ${ties}`;
  return `fixed negatives from file, ${ties}`;
}
