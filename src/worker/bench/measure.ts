// Pure helpers behind the benchmark's numbers, kept apart from tfjs so they can be unit-tested.
import type { InteractionMatrix } from '../../ml/interactions';
import type { ModelSnapshot } from '../../ml/recommender';

/** The q-quantile (0..1) by linear interpolation between order statistics; NaN for no values. */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const position = (sorted.length - 1) * Math.min(1, Math.max(0, q));
  const below = Math.floor(position);
  const above = Math.min(sorted.length - 1, below + 1);
  return sorted[below] + (sorted[above] - sorted[below]) * (position - below);
}

export function mean(values: readonly number[]): number {
  return values.length === 0 ? NaN : values.reduce((sum, value) => sum + value, 0) / values.length;
}

/**
 * `count` indices spread evenly over [0, total): a slice that samples the whole file rather than
 * its head, because datasets are often ordered (by sign-up time, by activity) and the head is
 * not typical.
 */
export function evenlySpaced(total: number, count: number): Int32Array {
  const picked = Math.max(0, Math.min(total, Math.floor(count)));
  return Int32Array.from({ length: picked }, (_, i) => Math.floor((i * total) / picked));
}

/** The rows of `users`, in that order, over the same item catalogue. */
export function selectUsers(matrix: InteractionMatrix, users: Int32Array): InteractionMatrix {
  const userOffsets = new Uint32Array(users.length + 1);
  users.forEach((user, i) => {
    userOffsets[i + 1] = userOffsets[i] + matrix.userOffsets[user + 1] - matrix.userOffsets[user];
  });
  const items = new Int32Array(userOffsets[users.length]);
  const weights = matrix.weights ? new Float32Array(items.length) : undefined;
  users.forEach((user, i) => {
    const start = matrix.userOffsets[user];
    const end = matrix.userOffsets[user + 1];
    items.set(matrix.items.subarray(start, end), userOffsets[i]);
    weights?.set(matrix.weights!.subarray(start, end), userOffsets[i]);
  });
  return { userCount: users.length, itemCount: matrix.itemCount, userOffsets, items, weights };
}

/**
 * Seconds per epoch from the measured epochs: the first epoch pays for setup and kernel
 * compilation (seconds on WebGPU), so when there are later epochs only those count.
 */
export function steadyEpochSeconds(epochSeconds: readonly number[]): number {
  if (epochSeconds.length === 0) return NaN;
  return epochSeconds.length === 1 ? epochSeconds[0] : mean(epochSeconds.slice(1));
}

/** Scale a partial epoch up to the whole dataset by the share of interactions it covered. */
export function extrapolateEpochSeconds(
  seconds: number,
  trainedInteractions: number,
  allInteractions: number,
): number {
  return trainedInteractions > 0 ? (seconds * allInteractions) / trainedInteractions : NaN;
}

/** Bytes a stored snapshot takes: its typed arrays plus its config written as JSON. */
export function snapshotBytes(snapshot: ModelSnapshot): number {
  const arrayBytes = Object.values(snapshot.arrays).reduce((sum, array) => sum + array.byteLength, 0);
  return arrayBytes + new TextEncoder().encode(JSON.stringify(snapshot.config)).byteLength;
}

/**
 * The item a simulated shopper event adds to a history: deterministic per user (a multiplicative
 * hash), so every backend times the same requests.
 */
export function syntheticEventItem(user: number, itemCount: number): number {
  return (Math.imul(user + 1, 2654435761) >>> 0) % itemCount;
}
