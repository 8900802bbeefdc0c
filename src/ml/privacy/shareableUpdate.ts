// What a shopper's device could share for federated learning: their per-item model update, first
// clipped so that no one shopper can move the shared model by more than C, then blurred with
// Gaussian noise of standard deviation σ = z·C. The accountant (./accountant.ts) turns z, the
// sampling rate and the number of rounds into the (ε, δ) this costs.
//
// Noise hides the values; it does not hide which rows are present, and the row set alone would
// say which games the shopper touched. So every shared update also carries k pseudo-item rows,
// drawn at random from the catalogue, holding noise only, and the rows leave in a shuffled order.

import { createRng, sampleWithoutReplacement, shuffleInPlace } from '../random';

/** One shopper's update: item id → the change to that item's vector. */
export type RowUpdate<Id> = ReadonlyMap<Id, readonly number[]>;

export interface ShareableUpdateOptions<Id> {
  /** the L2 bound on the whole update (all rows together), > 0 */
  clipNorm: number;
  /** noise standard deviation in units of clipNorm, >= 0 */
  noiseMultiplier: number;
  /** every item id a row could belong to; pseudo-items are drawn from those not touched */
  catalog: readonly Id[];
  /** how many untouched items get a noise-only row (fewer if the catalogue runs out) */
  pseudoItemCount: number;
  /** row length; needed only when the update is empty, otherwise read from its rows */
  dimension?: number;
  seed: number;
}

export interface ShareableUpdate<Id> {
  /** the noisy rows, touched and pseudo alike, in a seeded random order */
  rows: Map<Id, number[]>;
  /** the update's L2 norm before clipping */
  normBeforeClipping: number;
  /** the factor every row was multiplied by: min(1, C / norm) */
  clipScale: number;
  /** σ = z·C, the standard deviation of the noise on every coordinate */
  noiseStdDev: number;
  /** how many pseudo-item rows were added */
  pseudoItemCount: number;
}

/** The L2 norm of the whole update: the square root of the sum of squares over every row. */
export function updateNorm<Id>(update: RowUpdate<Id>): number {
  let sumOfSquares = 0;
  for (const row of update.values()) for (const value of row) sumOfSquares += value * value;
  return Math.sqrt(sumOfSquares);
}

/**
 * The update scaled as a whole to L2 norm `clipNorm` when it is longer, unchanged when not.
 * Scaling all rows by one factor (rather than each row to C) keeps the shopper's total
 * influence at most C, which is the sensitivity the accountant assumes.
 */
export function clipUpdate<Id>(
  update: RowUpdate<Id>,
  clipNorm: number,
): { rows: Map<Id, number[]>; scale: number; norm: number } {
  if (!(clipNorm > 0) || !Number.isFinite(clipNorm)) {
    throw new RangeError(`The clipping norm must be a finite number > 0, got ${clipNorm}.`);
  }
  const norm = updateNorm(update);
  const scale = norm > clipNorm ? clipNorm / norm : 1;
  const rows = new Map<Id, number[]>();
  for (const [id, row] of update)
    rows.set(
      id,
      row.map((value) => value * scale),
    );
  return { rows, scale, norm };
}

/** The common row length, with a clear message for ragged or non-finite rows. */
function rowDimension<Id>(update: RowUpdate<Id>, declared: number | undefined): number {
  let dimension = declared;
  for (const [id, row] of update) {
    dimension ??= row.length;
    if (row.length !== dimension) {
      throw new RangeError(`Row ${String(id)} has ${row.length} values where the others have ${dimension}.`);
    }
    if (!row.every(Number.isFinite))
      throw new RangeError(`Row ${String(id)} holds a value that is not a finite number.`);
  }
  if (dimension === undefined || !Number.isInteger(dimension) || dimension < 1) {
    throw new RangeError(
      'An empty update needs its row dimension (a whole number >= 1) to draw pseudo-item rows.',
    );
  }
  return dimension;
}

/**
 * Clip the update, pick pseudo-items, add N(0, σ²) to every coordinate of every row, and shuffle
 * the rows, all from one seed, so the same inputs always give the same shared update.
 */
export function shareableUpdate<Id>(
  update: RowUpdate<Id>,
  options: ShareableUpdateOptions<Id>,
): ShareableUpdate<Id> {
  const { clipNorm, noiseMultiplier, catalog, pseudoItemCount, seed } = options;
  if (!(noiseMultiplier >= 0) || !Number.isFinite(noiseMultiplier)) {
    throw new RangeError(`The noise multiplier must be a finite number >= 0, got ${noiseMultiplier}.`);
  }
  if (!Number.isInteger(pseudoItemCount) || pseudoItemCount < 0) {
    throw new RangeError(`The pseudo-item count must be a whole number >= 0, got ${pseudoItemCount}.`);
  }
  const dimension = rowDimension(update, options.dimension);
  const { rows: clipped, scale, norm } = clipUpdate(update, clipNorm);
  const rng = createRng(seed);
  const untouched = catalog.filter((id) => !update.has(id));
  const pseudoItems = sampleWithoutReplacement(untouched, pseudoItemCount, rng);
  for (const id of pseudoItems) clipped.set(id, new Array<number>(dimension).fill(0));

  const noiseStdDev = noiseMultiplier * clipNorm;
  const shuffled = shuffleInPlace([...clipped.entries()], rng);
  const rows = new Map<Id, number[]>();
  for (const [id, row] of shuffled)
    rows.set(
      id,
      row.map((value) => value + noiseStdDev * rng.nextNormal()),
    );
  return {
    rows,
    normBeforeClipping: norm,
    clipScale: scale,
    noiseStdDev,
    pseudoItemCount: pseudoItems.length,
  };
}
