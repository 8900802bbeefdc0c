// Seeded sampling of training examples from an InteractionMatrix: (user, positive,
// negative) triples for pairwise models, and left-padded windows for sequence models.
import type { InteractionMatrix } from '../interactions';
import { shuffleInPlace, type Rng } from '../random';

/** Answers "has this user interacted with this item?" in O(log rowLength). */
export type PositiveLookup = (user: number, item: number) => boolean;

export function createPositiveLookup(m: InteractionMatrix): PositiveLookup {
  // A sorted copy of every row lets heavy users (thousands of items) be checked by
  // binary search instead of a linear scan per sampled negative.
  const sorted = new Int32Array(m.items);
  for (let u = 0; u < m.userCount; u++) sorted.subarray(m.userOffsets[u], m.userOffsets[u + 1]).sort();
  return (user, item) => {
    let low = m.userOffsets[user];
    let high = m.userOffsets[user + 1] - 1;
    while (low <= high) {
      const mid = (low + high) >>> 1;
      const value = sorted[mid];
      if (value === item) return true;
      if (value < item) low = mid + 1;
      else high = mid - 1;
    }
    return false;
  };
}

/** Uniform negative the user has not interacted with; after maxTries give up and keep the last draw
 * (a rare false negative is cheaper than looping forever for a user who owns most items). */
export function sampleNegative(
  rng: Rng,
  itemCount: number,
  user: number,
  isPositive: PositiveLookup,
  maxTries = 20,
): number {
  let item = rng.nextInt(itemCount);
  for (let attempt = 1; attempt < maxTries && isPositive(user, item); attempt++)
    item = rng.nextInt(itemCount);
  return item;
}

/** The user of each interaction (CSR row index expanded). */
export function interactionOwners(m: InteractionMatrix): Int32Array {
  const owners = new Int32Array(m.items.length);
  for (let u = 0; u < m.userCount; u++) owners.fill(u, m.userOffsets[u], m.userOffsets[u + 1]);
  return owners;
}

export interface PairBatch {
  users: Int32Array;
  positives: Int32Array;
  negatives: Int32Array;
  /** interaction confidence (1 when the matrix has no weights) */
  weights: Float32Array;
}

/** Triples for the interactions order[start, start+size): one sampled negative per positive. */
export function samplePairBatch(
  m: InteractionMatrix,
  owners: Int32Array,
  order: Uint32Array,
  start: number,
  size: number,
  rng: Rng,
  isPositive: PositiveLookup,
): PairBatch {
  const count = Math.max(0, Math.min(size, order.length - start));
  const batch: PairBatch = {
    users: new Int32Array(count),
    positives: new Int32Array(count),
    negatives: new Int32Array(count),
    weights: new Float32Array(count).fill(1),
  };
  for (let i = 0; i < count; i++) {
    const interaction = order[start + i];
    const user = owners[interaction];
    batch.users[i] = user;
    batch.positives[i] = m.items[interaction];
    batch.negatives[i] = sampleNegative(rng, m.itemCount, user, isPositive);
    if (m.weights) batch.weights[i] = m.weights[interaction];
  }
  return batch;
}

/**
 * A batch of next-item examples: for each user a window of at most maxLen inputs, left-padded
 * so the most recent item sits in the last column (which is what inference reads).
 * Ids are shifted by one: 0 is padding, item i is token i + 1.
 */
export interface SequenceBatch {
  batchSize: number;
  /** columns per row: the model's maxLen, or fewer when padding-only columns were trimmed */
  columns: number;
  /** [batchSize * columns] input tokens */
  inputs: Int32Array;
  /** [batchSize * columns] next-item tokens, 0 where there is no target */
  targets: Int32Array;
  /** [batchSize * columns] one sampled negative token per target, 0 where there is no target */
  negatives: Int32Array;
  /** [batchSize * columns] weight of each target (0 on padding) */
  targetWeights: Float32Array;
}

/** Users with at least two interactions: the only ones that give a next-item example. */
export function sequenceTrainableUsers(m: InteractionMatrix): Int32Array {
  const users: number[] = [];
  for (let u = 0; u < m.userCount; u++) if (m.userOffsets[u + 1] - m.userOffsets[u] >= 2) users.push(u);
  return Int32Array.from(users);
}

/** Next-item positions a user's window holds: one per item after the first, at most maxLen. */
export function sequenceSteps(m: InteractionMatrix, user: number, maxLen: number): number {
  return Math.max(0, Math.min(maxLen, m.userOffsets[user + 1] - m.userOffsets[user] - 1));
}

/** Trimmed widths are rounded up to this, so a backend compiles a handful of shapes, not fifty. */
const columnGranularity = 8;

/** Columns a batch needs when its longest window has longestSteps positions. */
export function trimmedColumns(longestSteps: number, maxLen: number): number {
  return Math.min(maxLen, Math.max(1, Math.ceil(longestSteps / columnGranularity)) * columnGranularity);
}

/**
 * With trimPadding, columns that are padding in every row are left out: the sequence models
 * mask padding (SASRec's attention never reads it, the GRU carries its zero state through it),
 * so the result is exactly that of the full maxLen batch, for a fraction of the work when
 * histories are short (amazon-beauty: 8.7 items on average, maxLen 50).
 */
export function sampleSequenceBatch(
  m: InteractionMatrix,
  users: ArrayLike<number>,
  maxLen: number,
  rng: Rng,
  isPositive: PositiveLookup,
  options: { trimPadding?: boolean } = {},
): SequenceBatch {
  const batchSize = users.length;
  let columns = maxLen;
  if (options.trimPadding) {
    let longest = 0;
    for (let b = 0; b < batchSize; b++) longest = Math.max(longest, sequenceSteps(m, users[b], maxLen));
    columns = trimmedColumns(longest, maxLen);
  }
  const size = batchSize * columns;
  const batch: SequenceBatch = {
    batchSize,
    columns,
    inputs: new Int32Array(size),
    targets: new Int32Array(size),
    negatives: new Int32Array(size),
    targetWeights: new Float32Array(size),
  };
  for (let b = 0; b < batchSize; b++) {
    const user = users[b];
    const rowStart = m.userOffsets[user];
    const rowLength = m.userOffsets[user + 1] - rowStart;
    // Long histories contribute a random window each epoch, so older behaviour is still
    // learned from instead of only ever the most recent maxLen items.
    const windowEnd = rowLength > maxLen + 1 ? maxLen + 1 + rng.nextInt(rowLength - maxLen) : rowLength; // exclusive
    const steps = Math.min(maxLen, windowEnd - 1);
    for (let s = 0; s < steps; s++) {
      const column = columns - steps + s;
      const cell = b * columns + column;
      const inputAt = rowStart + windowEnd - 1 - steps + s;
      const target = m.items[inputAt + 1];
      batch.inputs[cell] = m.items[inputAt] + 1;
      batch.targets[cell] = target + 1;
      batch.negatives[cell] = sampleNegative(rng, m.itemCount, user, isPositive) + 1;
      batch.targetWeights[cell] = m.weights ? m.weights[inputAt + 1] : 1;
    }
  }
  return batch;
}

/** How many batches are sorted by length together: enough that most batches hold windows of
 * similar length, few enough that each epoch still mixes users from the whole range. */
export const batchesPerLengthPool = 32;

/**
 * One epoch's batches of users. Users are shuffled; with byLength, each pool of
 * batchesPerLengthPool batches is then sorted by window length before it is cut, and the batch
 * order is shuffled again, so a batch holds windows of similar length (little padding to trim)
 * while what a step sees stays random. Every user appears exactly once.
 */
export function planSequenceBatches(
  users: Int32Array,
  stepsOf: (user: number) => number,
  batchSize: number,
  rng: Rng,
  byLength: boolean,
): Int32Array[] {
  const order = shuffleInPlace(Int32Array.from(users), rng);
  if (byLength) {
    const poolSize = batchSize * batchesPerLengthPool;
    for (let start = 0; start < order.length; start += poolSize) {
      const pool = order.subarray(start, Math.min(order.length, start + poolSize));
      const sorted = Array.from(pool).sort((a, b) => stepsOf(a) - stepsOf(b));
      pool.set(sorted);
    }
  }
  const batches: Int32Array[] = [];
  for (let start = 0; start < order.length; start += batchSize) {
    batches.push(order.subarray(start, Math.min(order.length, start + batchSize)));
  }
  return byLength ? shuffleInPlace(batches, rng) : batches;
}

/** The last maxLen items of a history as left-padded tokens (0 = padding, item i = i + 1). */
export function historyTokens(history: readonly number[], maxLen: number, itemCount: number): Int32Array {
  const tokens = new Int32Array(maxLen);
  const valid = history.filter((item) => Number.isInteger(item) && item >= 0 && item < itemCount);
  const recent = valid.slice(-maxLen);
  tokens.set(
    recent.map((item) => item + 1),
    maxLen - recent.length,
  );
  return tokens;
}
