// How good a table of item vectors is for next-item prediction, the same way for central and
// federated training: each evaluated user's vector is folded in from their history (nothing of
// theirs is trained), every item they have not had is ranked, and the held-out item's position
// gives HR@10 and NDCG@10 against the full catalogue.
import { userRow, type InteractionMatrix } from '../interactions';
import { hitRate, ndcg } from '../eval/metrics';
import { scoreRows } from '../models/linalg';
import { foldInUser } from './localMf';

export const cutoff = 10;

export interface PerUserMetrics {
  hitRate: Float64Array;
  ndcg: Float64Array;
}

/**
 * The 1-based position of `target` among the items not in `seen`, ties shared: 1 + (items scored
 * above it) + half of the others scored equal, so a table of equal scores ranks it in the middle,
 * not first.
 */
export function targetPosition(scores: ArrayLike<number>, seen: ReadonlySet<number>, target: number): number {
  const targetScore = scores[target];
  let above = 0;
  let tied = 0;
  for (let item = 0; item < scores.length; item++) {
    if (item === target || seen.has(item)) continue;
    if (scores[item] > targetScore) above++;
    else if (scores[item] === targetScore) tied++;
  }
  return 1 + above + tied / 2;
}

/** HR@10 and NDCG@10 of each listed user (their first target only, as in leave-one-out). */
export function evaluateItemFactors(
  itemFactors: Float32Array,
  dim: number,
  fold: { history: InteractionMatrix; targets: InteractionMatrix },
  users: ArrayLike<number>,
  foldInL2: number,
): PerUserMetrics {
  const hits = new Float64Array(users.length);
  const gains = new Float64Array(users.length);
  for (let i = 0; i < users.length; i++) {
    const history = Array.from(userRow(fold.history, users[i]));
    const target = userRow(fold.targets, users[i])[0];
    const user = foldInUser(itemFactors, dim, history, foldInL2);
    const position = targetPosition(scoreRows(itemFactors, dim, user), new Set(history), target);
    hits[i] = hitRate([position], cutoff);
    gains[i] = ndcg([position], 1, cutoff);
  }
  return { hitRate: hits, ndcg: gains };
}
