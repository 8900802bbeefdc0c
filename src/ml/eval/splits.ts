// Ways to hold out interactions for evaluation. Every split returns the same shape: a training
// matrix plus, for validation and test, what each user's model input is, which items are masked
// as already seen, and which items are the held-out targets. User and item indices never change,
// so a model trained on `train` can score every fold.
import type { InteractionMatrix } from '../interactions';
import { createRng, deriveSeed, shuffleInPlace } from '../random';

export interface EvalFold {
  /** each user's model input (ShopperState.history), in time order */
  history: InteractionMatrix;
  /**
   * every item the user had before the targets; these are masked out of the candidates. The same
   * object as history unless the history was truncated (maxHistoryLength).
   */
  seen: InteractionMatrix;
  /** held-out items per user, in time order; users with an empty row are not evaluated */
  targets: InteractionMatrix;
}

export type SplitKind = 'leave-one-out' | 'temporal' | 'random' | 'user-fold';

export interface DataSplit {
  kind: SplitKind;
  train: InteractionMatrix;
  validation?: EvalFold;
  test: EvalFold;
}

/** Builds a matrix whose row u holds the given positions of the source's items (weights follow). */
function pickPositions(
  source: InteractionMatrix,
  positionsOf: (user: number) => ArrayLike<number>,
): InteractionMatrix {
  const rows: ArrayLike<number>[] = [];
  const userOffsets = new Uint32Array(source.userCount + 1);
  for (let u = 0; u < source.userCount; u++) {
    rows.push(positionsOf(u));
    userOffsets[u + 1] = userOffsets[u] + rows[u].length;
  }
  const items = new Int32Array(userOffsets[source.userCount]);
  const weights = source.weights ? new Float32Array(items.length) : undefined;
  rows.forEach((positions, u) => {
    for (let i = 0; i < positions.length; i++) {
      items[userOffsets[u] + i] = source.items[positions[i]];
      if (weights) weights[userOffsets[u] + i] = source.weights![positions[i]];
    }
  });
  const matrix: InteractionMatrix = {
    userCount: source.userCount,
    itemCount: source.itemCount,
    userOffsets,
    items,
  };
  if (weights) matrix.weights = weights;
  return matrix;
}

/** positions [from, to) of user u's row, clamped to the row */
function rowRange(m: InteractionMatrix, u: number, from: number, to: number): number[] {
  const start = m.userOffsets[u];
  const length = m.userOffsets[u + 1] - start;
  const out: number[] = [];
  for (let i = Math.max(0, from); i < Math.min(length, to); i++) out.push(start + i);
  return out;
}

function rowLength(m: InteractionMatrix, u: number): number {
  return m.userOffsets[u + 1] - m.userOffsets[u];
}

/** The last `maxLength` items of every row (the model's input window); no-op when undefined. */
export function truncateHistory(m: InteractionMatrix, maxLength: number | undefined): InteractionMatrix {
  if (maxLength === undefined) return m;
  return pickPositions(m, (u) => rowRange(m, u, rowLength(m, u) - maxLength, Infinity));
}

export interface LeaveOneOutOptions {
  /** keep only the last n items as the model's input; masking still uses the whole history */
  maxHistoryLength?: number;
}

/**
 * Leave-one-out as in SASRec and S3-Rec: each user's last item is the test target, the one before
 * it the validation target, the rest training. Validation is conditioned on the training items,
 * test on everything before the last item. A user with two items gets no validation target; a
 * user with one item stays in training only.
 */
export function leaveOneOutSplit(data: InteractionMatrix, options: LeaveOneOutOptions = {}): DataSplit {
  const held = (u: number) => Math.min(2, rowLength(data, u) - 1); // items held out, keeping >= 1
  const train = pickPositions(data, (u) => rowRange(data, u, 0, rowLength(data, u) - Math.max(0, held(u))));
  const beforeLast = pickPositions(data, (u) =>
    rowRange(data, u, 0, rowLength(data, u) - (held(u) >= 1 ? 1 : 0)),
  );
  const validationTargets = pickPositions(data, (u) =>
    held(u) === 2 ? rowRange(data, u, rowLength(data, u) - 2, rowLength(data, u) - 1) : [],
  );
  const testTargets = pickPositions(data, (u) =>
    held(u) >= 1 ? rowRange(data, u, rowLength(data, u) - 1, Infinity) : [],
  );
  return {
    kind: 'leave-one-out',
    train,
    validation: {
      history: truncateHistory(train, options.maxHistoryLength),
      seen: train,
      targets: validationTargets,
    },
    test: {
      history: truncateHistory(beforeLast, options.maxHistoryLength),
      seen: beforeLast,
      targets: testTargets,
    },
  };
}

/**
 * Time-window targets: the distinct items in `window` positions that the user had not already
 * had in `before` positions, in order of first appearance. A re-bought item is not a discovery,
 * and it would be masked as seen anyway.
 */
function newItemsInWindow(
  m: InteractionMatrix,
  beforePositions: number[],
  windowPositions: number[],
): number[] {
  const known = new Set(beforePositions.map((p) => m.items[p]));
  const picked: number[] = [];
  for (const p of windowPositions) {
    if (known.has(m.items[p])) continue;
    known.add(m.items[p]);
    picked.push(p);
  }
  return picked;
}

export interface TemporalSplitOptions {
  /** share of all interactions, by time, held out for test (default 0.2) */
  testFraction?: number;
  /** share just before the test window held out for validation (default 0: no validation fold) */
  validationFraction?: number;
}

/**
 * The timestamp at quantile q of the sorted times: sortedTimes[floor(q * n)], clamped. Everything
 * at or after the cutoff falls in the later part, so equal times never straddle a cutoff.
 */
export function timeCutoff(sortedTimes: Float64Array, q: number): number {
  const index = Math.min(sortedTimes.length - 1, Math.max(0, Math.floor(q * sortedTimes.length)));
  return sortedTimes[index];
}

/**
 * Global temporal split: one time cutoff for everybody, at a quantile of all timestamps, so no
 * training interaction comes from the future of a test interaction. Test is conditioned on all
 * interactions before its cutoff (train plus validation window).
 */
export function temporalSplit(
  data: InteractionMatrix,
  timestamps: Float64Array,
  options: TemporalSplitOptions = {},
): DataSplit {
  if (timestamps.length !== data.items.length) {
    throw new RangeError(
      `timestamps (${timestamps.length}) must align with interactions (${data.items.length})`,
    );
  }
  const testFraction = options.testFraction ?? 0.2;
  const validationFraction = options.validationFraction ?? 0;
  const sorted = Float64Array.from(timestamps).sort();
  const testCutoff = timeCutoff(sorted, 1 - testFraction);
  const validationCutoff =
    validationFraction > 0 ? timeCutoff(sorted, 1 - testFraction - validationFraction) : testCutoff;

  const positionsWhere = (u: number, keep: (time: number) => boolean) =>
    rowRange(data, u, 0, Infinity).filter((p) => keep(timestamps[p]));
  const trainPositions = (u: number) => positionsWhere(u, (t) => t < validationCutoff);
  const beforeTestPositions = (u: number) => positionsWhere(u, (t) => t < testCutoff);

  const train = pickPositions(data, trainPositions);
  const beforeTest = pickPositions(data, beforeTestPositions);
  const testTargets = pickPositions(data, (u) =>
    newItemsInWindow(
      data,
      beforeTestPositions(u),
      positionsWhere(u, (t) => t >= testCutoff),
    ),
  );
  const split: DataSplit = {
    kind: 'temporal',
    train,
    test: { history: beforeTest, seen: beforeTest, targets: testTargets },
  };
  if (validationFraction > 0) {
    const validationTargets = pickPositions(data, (u) =>
      newItemsInWindow(
        data,
        trainPositions(u),
        positionsWhere(u, (t) => t >= validationCutoff && t < testCutoff),
      ),
    );
    split.validation = { history: train, seen: train, targets: validationTargets };
  }
  return split;
}

export interface RandomSplitOptions {
  /** share of each user's interactions held out for test (default 0.2) */
  testFraction?: number;
  /** share held out for validation (default 0: no validation fold) */
  validationFraction?: number;
  seed?: number;
}

/**
 * Random ratio split within each user (seeded): round(n * testFraction) random interactions go to
 * test, round(n * validationFraction) to validation, the rest to training, always leaving at least
 * one training interaction. Rows stay in time order. Test is conditioned on train + validation.
 */
export function randomSplit(data: InteractionMatrix, options: RandomSplitOptions = {}): DataSplit {
  const testFraction = options.testFraction ?? 0.2;
  const validationFraction = options.validationFraction ?? 0;
  const seed = options.seed ?? 0;
  const parts: { train: number[]; validation: number[]; test: number[] }[] = [];
  for (let u = 0; u < data.userCount; u++) {
    const positions = rowRange(data, u, 0, Infinity);
    const n = positions.length;
    const testCount = Math.max(0, Math.min(Math.round(n * testFraction), n - 1));
    const validationCount = Math.max(0, Math.min(Math.round(n * validationFraction), n - 1 - testCount));
    const shuffled = shuffleInPlace(positions.slice(), createRng(deriveSeed(seed, u)));
    const byTime = (a: number, b: number) => a - b;
    parts.push({
      test: shuffled.slice(0, testCount).sort(byTime),
      validation: shuffled.slice(testCount, testCount + validationCount).sort(byTime),
      train: shuffled.slice(testCount + validationCount).sort(byTime),
    });
  }
  const train = pickPositions(data, (u) => parts[u].train);
  const beforeTestPositions = (u: number) =>
    [...parts[u].train, ...parts[u].validation].sort((a, b) => a - b);
  const beforeTest = pickPositions(data, beforeTestPositions);
  const split: DataSplit = {
    kind: 'random',
    train,
    test: {
      history: beforeTest,
      seen: beforeTest,
      targets: pickPositions(data, (u) => newItemsInWindow(data, beforeTestPositions(u), parts[u].test)),
    },
  };
  if (validationFraction > 0) {
    split.validation = {
      history: train,
      seen: train,
      targets: pickPositions(data, (u) => newItemsInWindow(data, parts[u].train, parts[u].validation)),
    };
  }
  return split;
}

export interface UserFoldOptions {
  /** number of folds (default 5) */
  folds?: number;
  seed?: number;
  /** share of a held-out user's latest interactions used as targets (default 0.2, at least one) */
  targetFraction?: number;
}

/**
 * k-fold cross-validation over users ("strong generalisation"): users are shuffled (seeded) and
 * dealt into k contiguous groups. For fold f, the other users' rows are the training data and
 * group f's rows are empty in train; each held-out user's latest max(1, round(n * targetFraction))
 * items are the targets and the earlier ones the model's input. Users with one item have no target.
 */
export function userFoldSplits(data: InteractionMatrix, options: UserFoldOptions = {}): DataSplit[] {
  const folds = options.folds ?? 5;
  const targetFraction = options.targetFraction ?? 0.2;
  if (!Number.isInteger(folds) || folds < 2 || folds > data.userCount) {
    throw new RangeError(
      `folds must be an integer from 2 to the user count (${data.userCount}), got ${folds}`,
    );
  }
  const order = shuffleInPlace(
    Array.from({ length: data.userCount }, (_, u) => u),
    createRng(options.seed ?? 0),
  );
  const foldOf = new Int32Array(data.userCount);
  order.forEach((user, position) => (foldOf[user] = Math.floor((position * folds) / data.userCount)));

  const targetCount = (u: number) => {
    const n = rowLength(data, u);
    return n < 2 ? 0 : Math.min(n - 1, Math.max(1, Math.round(n * targetFraction)));
  };
  return Array.from({ length: folds }, (_, fold) => {
    const heldOut = (u: number) => foldOf[u] === fold;
    const train = pickPositions(data, (u) => (heldOut(u) ? [] : rowRange(data, u, 0, Infinity)));
    const historyPositions = (u: number) =>
      heldOut(u) ? rowRange(data, u, 0, rowLength(data, u) - targetCount(u)) : [];
    const history = pickPositions(data, historyPositions);
    const targets = pickPositions(data, (u) =>
      heldOut(u)
        ? newItemsInWindow(
            data,
            historyPositions(u),
            rowRange(data, u, rowLength(data, u) - targetCount(u), Infinity),
          )
        : [],
    );
    return { kind: 'user-fold', train, test: { history, seen: history, targets } } satisfies DataSplit;
  });
}

/**
 * The training data of a final fit once every choice is made on the validation fold: each user's
 * interactions before the test targets, validation targets included (leave-one-out: the whole
 * sequence minus the last item). That is the test fold's `seen`, which is never truncated, so this
 * names it and refuses a split whose training part already holds everything before the test (no
 * validation fold: nothing was held out for choices, so there is nothing to add back).
 */
export function trainPlusValidation(split: DataSplit): InteractionMatrix {
  if (!split.validation) {
    throw new RangeError(
      'a final fit on train + validation needs a split with a validation fold (leave-one-out, or a tuned, early-stopped or hybrid model on a temporal or random split)',
    );
  }
  return split.test.seen;
}

/** Users with at least one target: the ones an evaluation scores. */
export function evaluatedUsers(fold: EvalFold): Int32Array {
  const users: number[] = [];
  for (let u = 0; u < fold.targets.userCount; u++) if (rowLength(fold.targets, u) > 0) users.push(u);
  return Int32Array.from(users);
}
