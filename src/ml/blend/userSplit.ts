// Held-out players split into those the blend is fitted on and those it is judged on. The safety
// rule is only honest on players the fit never saw, so the two sides never share a player; the split
// is seeded so a stored blend and its measurement can be replayed.
import type { EvalFold } from '../eval';
import { createRng, sampleWithoutReplacement } from '../random';

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
  const sorted = [...userIds].sort((a, b) => a - b);
  if (sorted.length < 2) throw new RangeError('a fit/evaluation split needs at least two players');
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i] === sorted[i - 1]) throw new RangeError(`player ${sorted[i]} is listed twice`);
  }
  const evalCount = Math.min(sorted.length - 1, Math.max(1, Math.round(evalShare * sorted.length)));
  const evaluation = sampleWithoutReplacement(sorted, evalCount, createRng(seed)).sort((a, b) => a - b);
  const chosen = new Set(evaluation);
  return { fit: sorted.filter((user) => !chosen.has(user)), evaluation };
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
