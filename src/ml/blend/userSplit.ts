// Held-out players split into those the blend is fitted on and those it is judged on. The safety
// rule is only honest on players the fit never saw, so the two sides never share a player; the split
// is seeded so a stored blend and its measurement can be replayed.
import type { EvalFold } from '../eval';
import { createRng, deriveSeed, sampleWithoutReplacement } from '../random';

export interface FitAndEvalUsers {
  /** players the blend weights are fitted on, ascending */
  fit: number[];
  /** players the blend and its components are measured on, ascending */
  evaluation: number[];
}

/**
 * A seeded split of distinct `userIds`: round(evalShare · n) of them, but at least one and at most
 * n − 1 so neither side is empty, go to evaluation. The ids are sorted first, so the same set of
 * players gives the same split whatever order it arrives in.
 */
export function splitFitAndEvalUsers(
  userIds: readonly number[],
  seed: number,
  evalShare: number,
): FitAndEvalUsers {
  if (!(evalShare > 0 && evalShare < 1)) throw new RangeError('evalShare is in (0, 1)');
  if (userIds.length < 2) throw new RangeError('a fit/evaluation split needs at least two players');
  const evalCount = Math.min(userIds.length - 1, Math.max(1, Math.round(evalShare * userIds.length)));
  const { drawn, rest } = drawUsers(userIds, seed, evalCount);
  return { fit: rest, evaluation: drawn };
}

/** `count` of the distinct `userIds` drawn with `seed` (sorted first), and the rest; both ascending. */
function drawUsers(
  userIds: readonly number[],
  seed: number,
  count: number,
): { drawn: number[]; rest: number[] } {
  const sorted = [...userIds].sort((a, b) => a - b);
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i] === sorted[i - 1]) throw new RangeError(`player ${sorted[i]} is listed twice`);
  }
  const drawn = sampleWithoutReplacement(sorted, count, createRng(seed)).sort((a, b) => a - b);
  const chosen = new Set(drawn);
  return { drawn, rest: sorted.filter((user) => !chosen.has(user)) };
}

/** A hybrid's validation users when a learned component chooses its own epoch on them. */
export interface EpochAndBlendUsers {
  /** users whose figures choose each validated component's epoch (and stop it early), ascending */
  epochChoice: number[];
  /** users the blend is fitted on and judged on (splitFitAndEvalUsers halves them), ascending */
  blend: number[];
}

export interface EpochAndBlendSizes {
  /** the blend's users per side (fit, judge): the blend part holds up to twice this */
  blendUsers: number;
  /** the most the blend part may take, in percent of the validation users (1–99) */
  blendMaxPercent: number;
}

// its own stream of the hybrid's seed, so this draw is not the fit/judge draw made again
const epochChoiceStream = 13;

/**
 * The validation users split, disjointly, into a part that chooses the components' epochs and a
 * part that fits and judges the blend. The blend part takes 2 · blendUsers users (its fit and
 * judge sides, as without the split), but at most blendMaxPercent % of them: on a small fold
 * (Last.fm's 1,090 users against 2 × 2,000) it gets floor(n · 50 %) with the default and the
 * epoch choice the rest. Neither part is ever empty and the blend part holds at least two users
 * (one to fit, one to judge). A function of the user set, the seed and the sizes only: not of
 * their order, nor of any component's epoch budget, so a stored trajectory's per-user figures
 * are read the same way by every run.
 */
export function splitEpochAndBlendUsers(
  userIds: readonly number[],
  seed: number,
  { blendUsers, blendMaxPercent }: EpochAndBlendSizes,
): EpochAndBlendUsers {
  if (!(Number.isInteger(blendMaxPercent) && blendMaxPercent >= 1 && blendMaxPercent <= 99)) {
    throw new RangeError(`blendMaxPercent is a whole percent in 1–99, got ${blendMaxPercent}`);
  }
  const n = userIds.length;
  if (n < 3) {
    throw new RangeError(
      `choosing epochs on some validation users and fitting and judging the blend on others needs at least 3, got ${n}`,
    );
  }
  const cap = Math.floor((n * blendMaxPercent) / 100);
  const blendCount = Math.min(n - 1, Math.max(2, Math.min(2 * blendUsers, cap)));
  const { drawn, rest } = drawUsers(userIds, deriveSeed(seed, epochChoiceStream), blendCount);
  return { epochChoice: rest, blend: drawn };
}

/** The fold with only `users`' targets: the evaluation ranks for them alone, user indices unchanged. */
export function foldForUsers(fold: EvalFold, users: readonly number[]): EvalFold {
  const { targets } = fold;
  const keep = new Set(users);
  const userOffsets = new Uint32Array(targets.userCount + 1);
  const items: number[] = [];
  const weights: number[] = [];
  for (let user = 0; user < targets.userCount; user++) {
    if (keep.has(user)) {
      for (let at = targets.userOffsets[user]; at < targets.userOffsets[user + 1]; at++) {
        items.push(targets.items[at]);
        weights.push(targets.weights?.[at] ?? 1);
      }
    }
    userOffsets[user + 1] = items.length;
  }
  const kept = { ...targets, userOffsets, items: Int32Array.from(items) };
  return { ...fold, targets: targets.weights ? { ...kept, weights: Float32Array.from(weights) } : kept };
}
