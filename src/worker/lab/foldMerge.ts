// One model's result from the evaluation of every fold of a split. Folds hold disjoint users, so
// per-user values are concatenated and the intervals bootstrapped over the pooled users; the
// catalogue-level metrics (coverage, novelty …) belong to each fold's lists, so their mean over
// folds is reported.
import { bootstrapConfidenceInterval, mean, type EvaluationResult } from '../../ml/eval';
import type { LabInterval, LabModelResult } from './protocol';

export interface FoldMergeOptions {
  /** the dataset's ids, to name users and items in the top lists */
  userIds: readonly string[];
  itemIds: readonly string[];
  /** keep each evaluated user's top list (the run asked for topK) */
  keepTopLists: boolean;
  /** the bootstrap of the pooled intervals */
  seed: number;
  bootstrapResamples?: number;
}

export type MergedFolds = Pick<
  LabModelResult,
  'metrics' | 'beyondAccuracy' | 'users' | 'perUser' | 'topLists'
>;

export function toInterval(summary: EvaluationResult['summary']): Record<string, LabInterval> {
  const out: Record<string, LabInterval> = {};
  for (const [name, { mean, lower, upper }] of Object.entries(summary)) out[name] = { mean, lower, upper };
  return out;
}

export function mergeFolds(folds: readonly EvaluationResult[], options: FoldMergeOptions): MergedFolds {
  if (folds.length === 0) throw new RangeError('no folds to merge');
  const { userIds, itemIds } = options;
  const topLists = options.keepTopLists
    ? folds.flatMap((fold) =>
        (fold.topLists ?? []).map((line) => ({
          user: userIds[line.user],
          targets: line.targets.map((item) => itemIds[item]),
          items: line.items.map((item) => itemIds[item]),
        })),
      )
    : undefined;
  if (folds.length === 1) {
    // one fold: its own intervals, bootstrapped by the evaluation with the same seed
    const [only] = folds;
    return {
      metrics: toInterval(only.summary),
      beyondAccuracy: only.beyondAccuracy ?? {},
      users: only.users,
      perUser: only.perUser,
      topLists,
    };
  }
  const users = Int32Array.from(folds.flatMap((fold) => Array.from(fold.users)));
  const perUser: Record<string, Float64Array> = {};
  const metrics: Record<string, LabInterval> = {};
  for (const name of Object.keys(folds[0].perUser)) {
    perUser[name] = Float64Array.from(folds.flatMap((fold) => Array.from(fold.perUser[name])));
    const { mean, lower, upper } = bootstrapConfidenceInterval(perUser[name], {
      seed: options.seed,
      resamples: options.bootstrapResamples,
    });
    metrics[name] = { mean, lower, upper };
  }
  const beyondAccuracy: Record<string, number> = {};
  for (const name of Object.keys(folds[0].beyondAccuracy ?? {})) {
    beyondAccuracy[name] = mean(folds.map((fold) => fold.beyondAccuracy?.[name] ?? NaN));
  }
  return { metrics, beyondAccuracy, users, perUser, topLists };
}
