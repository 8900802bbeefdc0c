// The folds a lab run trains and scores on: the split the spec names (with a validation fold when
// a model is tuned, stops early or fits a blend), and the folds tuning scores its trials on.
import { leaveOneOutSplit, randomSplit, temporalSplit, userFoldSplits, evaluatedUsers } from '../../ml/eval';
import type { DataSplit, EvalFold, RankingProtocol } from '../../ml/eval';
import type { ImportedDataset } from '../../ml/io';
import type { InteractionMatrix } from '../../ml/interactions';
import type { LabSplitSpec, LabTuningSpec } from './protocol';
import { defaultMaxHistory, describeSplit } from './describe';
import { crossValidates } from './runSpec';

/** Temporal and random splits hold this share out for validation when a model is tuned. */
const tuningValidationFraction = 0.1;

/** Cross-validated tuning deals the training part's users into this many folds unless told. */
const defaultTuningFolds = 3;

export function buildSplits(
  dataset: ImportedDataset,
  split: LabSplitSpec,
  seed: number,
  needsValidation: boolean,
): DataSplit[] {
  const validationFraction = needsValidation ? tuningValidationFraction : 0;
  switch (split.kind) {
    case 'leave-one-out':
      return [leaveOneOutSplit(dataset.matrix, { maxHistoryLength: split.maxHistory ?? defaultMaxHistory })];
    case 'temporal':
      if (!dataset.timestamps) {
        throw new RangeError(
          'a temporal split needs timestamps: import a .inter file with a timestamp field, a CSV with a time column, or sessions',
        );
      }
      return [
        temporalSplit(dataset.matrix, dataset.timestamps, {
          testFraction: split.testFraction,
          validationFraction,
        }),
      ];
    case 'random':
      return [randomSplit(dataset.matrix, { testFraction: split.testFraction, validationFraction, seed })];
    case 'k-fold':
      return userFoldSplits(dataset.matrix, { folds: split.folds, seed });
  }
}

/**
 * A run in which nobody has a held-out item scores nothing, and empty metrics read like a result:
 * refuse it, saying why (typically leave-one-out over users who each have one item).
 */
export function checkSomeoneEvaluated(
  splits: readonly DataSplit[],
  split: LabSplitSpec,
  dataset: ImportedDataset,
): void {
  const empty = splits.findIndex((s) => evaluatedUsers(s.test).length === 0);
  if (empty < 0) return;
  const { users, maxPerUser } = dataset.stats;
  const most = maxPerUser === 1 ? 'one item' : `at most ${maxPerUser} items`;
  const fold = splits.length > 1 ? ` in fold ${empty + 1} of ${splits.length}` : '';
  const reason =
    split.kind === 'leave-one-out'
      ? `leave-one-out holds out each user's last item and needs users with at least 2 items, but each of the ${users} users has ${most}`
      : `the ${describeSplit(split)} split left no user with a test item${fold} (${users} users, ${most} each)`;
  throw new RangeError(`no user could be evaluated: ${reason}`);
}

/** Every evaluated user of the fold must have a negatives line, or the file is for other data. */
export function checkNegativesCover(
  fold: EvalFold,
  negativesByUser: readonly (ArrayLike<number> | undefined)[],
  userIds: string[],
) {
  const missing = Array.from(evaluatedUsers(fold)).filter((user) => !negativesByUser[user]);
  if (missing.length > 0) {
    const examples = missing.slice(0, 3).map((user) => `"${userIds[user]}"`);
    throw new RangeError(
      `the negatives file has no line for ${missing.length} evaluated user(s), e.g. ${examples.join(', ')}`,
    );
  }
}

/** What tuning trains and scores on: the split's validation fold, or user folds of its training part. */
export function tuningFolds(
  split: DataSplit,
  tuning: LabTuningSpec,
  seed: number,
  protocol: RankingProtocol,
  userIds: string[],
): { train: InteractionMatrix; validation: EvalFold }[] {
  if (!crossValidates(tuning)) {
    if (!split.validation) throw new RangeError('tuning needs a validation fold');
    return [{ train: split.train, validation: split.validation }];
  }
  const folds = userFoldSplits(split.train, {
    folds: tuning.folds ?? defaultTuningFolds,
    seed,
  }).map((inner) => ({ train: inner.train, validation: inner.test }));
  if (protocol.kind === 'fixed') {
    for (const fold of folds) checkNegativesCover(fold.validation, protocol.negativesByUser, userIds);
  }
  return folds;
}
