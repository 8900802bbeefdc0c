// Synchronous data-parallel training, the pure parts. Each step's batch is split by rows into
// parts, each part's gradient is computed by its own replica (its own tfjs, on its own core), and
// the parts' gradients are combined into exactly the gradient of the whole batch, which every
// replica then applies with the same Adam step, so their parameters stay equal.
//
// Why the combination is weighted: a sequence model's loss is a MEAN over the batch's target
// weights (sequenceStep.ts: Σ w·loss / Σ w), so a part's mean loss has its own denominator. The
// whole batch's gradient is Σ_p W_p·g_p / Σ_p W_p, with W_p the part's weight sum and g_p the
// gradient of its mean loss; a plain average of the parts would over-weight the part with fewer
// targets. The same holds for the loss value.
//
// The dropout masks are counter-based (kernels/dropoutMask.ts), so a part whose rows start at row r
// of the batch draws those rows' entries of the whole batch's masks (DropoutPlan.firstRow), from
// the same seeds: the step is the one-replica step, up to float summation order.
import type { Rng } from '../random';
import type { AdamState } from './adam';
import type { SequenceBatch } from './sampling';

/** Rows firstRow … firstRow + batch.batchSize − 1 of a step's whole batch. */
export interface BatchPart {
  batch: SequenceBatch;
  firstRow: number;
}

/**
 * The batch's rows split into `parts` consecutive parts of as equal size as can be (the first
 * parts get the extra rows). Every part keeps the whole batch's columns, so positions mean the same.
 */
export function splitBatchRows(batch: SequenceBatch, parts: number): BatchPart[] {
  if (!Number.isInteger(parts) || parts < 1 || parts > batch.batchSize) {
    throw new RangeError(`cannot split a batch of ${batch.batchSize} rows into ${parts} parts`);
  }
  const { columns } = batch;
  const result: BatchPart[] = [];
  let firstRow = 0;
  for (let part = 0; part < parts; part++) {
    const rows = Math.floor(batch.batchSize / parts) + (part < batch.batchSize % parts ? 1 : 0);
    const from = firstRow * columns;
    const to = (firstRow + rows) * columns;
    result.push({
      firstRow,
      batch: {
        batchSize: rows,
        columns,
        inputs: batch.inputs.slice(from, to),
        targets: batch.targets.slice(from, to),
        negatives: batch.negatives.slice(from, to),
        targetWeights: batch.targetWeights.slice(from, to),
      },
    });
    firstRow += rows;
  }
  return result;
}

/** What one replica computed for its part: plain arrays, so they can cross to another worker. */
export interface PartGradients {
  /** the part's mean loss */
  loss: number;
  /** the part's loss denominator: the sum of its target weights */
  weight: number;
  /** per sparse table: the global row ids the gradient's rows belong to, in its order */
  rows: Record<string, Int32Array>;
  /** per parameter: the gradient of the part's mean loss (sparse tables: [rows, width]) */
  gradients: Record<string, Float32Array>;
  /** paramChecksum of the parameters the gradients were computed on, when the request asked */
  checksum?: number;
}

/** The whole batch's mean loss and gradient, in the form a replica applies. */
export interface CombinedGradients {
  loss: number;
  rows: Record<string, Int32Array>;
  gradients: Record<string, Float32Array>;
}

/**
 * The parts' gradients combined into the whole batch's: each part weighted by its share of the
 * target weights (see the top of this file). A sparse table's rows are the union of the parts'
 * rows, first seen first; a row two parts touched gets both contributions. Every part must have
 * the same parameters, and a table's rows in a part or in none.
 */
export function combinePartGradients(parts: readonly PartGradients[]): CombinedGradients {
  if (parts.length === 0) throw new RangeError('no part gradients to combine');
  const totalWeight = parts.reduce((sum, part) => sum + part.weight, 0);
  if (!(totalWeight > 0)) throw new RangeError(`the parts' target weights sum to ${totalWeight}`);
  const shares = parts.map((part) => part.weight / totalWeight);
  // a part without targets has share 0 and a loss and gradients of 0 / 0 = NaN (its mean over no
  // targets): left out, where 0 · NaN would make the whole step NaN. Its sparse rows stay in the
  // union with a zero gradient, as the one-replica step gives the rows its inputs touched.
  const loss = parts.reduce((sum, part, p) => (shares[p] === 0 ? sum : sum + shares[p] * part.loss), 0);
  const rows: Record<string, Int32Array> = {};
  const gradients: Record<string, Float32Array> = {};
  for (const name of Object.keys(parts[0].gradients)) {
    const inParts = parts.map((part) => {
      const gradient = part.gradients[name];
      if (!gradient) throw new Error(`a part has no gradient for "${name}"`);
      return gradient;
    });
    if (parts[0].rows[name]) {
      const combined = combineSparse(
        parts.map((part) => part.rows[name]),
        inParts,
        shares,
        name,
      );
      rows[name] = combined.rows;
      gradients[name] = combined.gradient;
    } else {
      gradients[name] = combineDense(inParts, shares, name);
    }
  }
  return { loss, rows, gradients };
}

function combineDense(gradients: Float32Array[], shares: number[], name: string): Float32Array {
  const size = gradients[0].length;
  const out = new Float32Array(size);
  gradients.forEach((gradient, p) => {
    if (gradient.length !== size) throw new Error(`the parts' gradients of "${name}" differ in size`);
    const share = shares[p];
    if (share === 0) return;
    for (let i = 0; i < size; i++) out[i] += share * gradient[i];
  });
  return out;
}

function combineSparse(
  partRows: (Int32Array | undefined)[],
  gradients: Float32Array[],
  shares: number[],
  name: string,
): { rows: Int32Array; gradient: Float32Array } {
  const slotOf = new Map<number, number>();
  const union: number[] = [];
  for (const rows of partRows) {
    if (!rows) throw new Error(`a part has no rows for the sparse table "${name}"`);
    for (const row of rows) {
      if (!slotOf.has(row)) {
        slotOf.set(row, union.length);
        union.push(row);
      }
    }
  }
  const width = partRows[0]!.length > 0 ? gradients[0].length / partRows[0]!.length : 0;
  const out = new Float32Array(union.length * width);
  partRows.forEach((rows, p) => {
    const gradient = gradients[p];
    if (gradient.length !== rows!.length * width) {
      throw new Error(`the gradient of "${name}" has ${gradient.length} values for ${rows!.length} rows`);
    }
    const share = shares[p];
    if (share === 0) return;
    rows!.forEach((row, r) => {
      const to = slotOf.get(row)! * width;
      const from = r * width;
      for (let k = 0; k < width; k++) out[to + k] += share * gradient[from + k];
    });
  });
  return { rows: Int32Array.from(union), gradient: out };
}

/**
 * A generator that hands out the given dropout seeds in order and nothing else: each part of a
 * step draws the very seeds the whole batch's step would have drawn from the epoch's generator.
 * Asking for more seeds than given, or for any other number, is a bug and throws.
 */
export function seedListRng(seeds: readonly number[]): Rng & { readonly used: number } {
  let next = 0;
  const refuse = () => {
    throw new Error('a data-parallel part may draw only its step dropout seeds');
  };
  return {
    get used() {
      return next;
    },
    next: refuse,
    nextInt: refuse,
    nextNormal: refuse,
    nextSeed: () => {
      if (next >= seeds.length) {
        throw new Error(`a data-parallel part drew more than the step's ${seeds.length} dropout seeds`);
      }
      return seeds[next++];
    },
  };
}

/** A replica's parameters and Adam state, sent whole when it starts (or restarts) following a run. */
export interface ReplicaSync {
  /** the registry's model name and config, and the catalogue size, to build the same parameters */
  model: string;
  config: Record<string, unknown>;
  itemCount: number;
  params: Record<string, Float32Array>;
  optimizer: AdamState;
}

/** One step's work for a replica. */
export interface ReplicaRequest {
  /** the run's whole state: on the replica's first step */
  sync?: ReplicaSync;
  /** the previous step's combined gradients, to apply (Adam) before computing this step */
  update?: CombinedGradients;
  part: BatchPart;
  /** the step's dropout seeds, in the order the model draws them */
  seeds: number[];
  /**
   * Answer with paramChecksum of the parameters this part's gradients were computed on (after
   * `update`), so the trainer can tell a replica that drifted from its own parameters.
   */
  checksum?: boolean;
}

/**
 * A checksum of parameters' exact bits, names in sorted order (FNV-1a over 32-bit words): two
 * replicas holding the same parameters give the same number; a change of any one word changes it
 * (each step of the hash is a bijection of its state).
 */
export function paramChecksum(params: Record<string, Float32Array>): number {
  let hash = 0x811c9dc5;
  for (const name of Object.keys(params).sort()) {
    const values = params[name];
    const bits = new Uint32Array(values.buffer, values.byteOffset, values.length);
    for (let i = 0; i < bits.length; i++) hash = Math.imul(hash ^ bits[i], 0x01000193);
    hash = Math.imul(hash ^ bits.length, 0x01000193);
  }
  return hash >>> 0;
}

/** How often, in split steps, the trainer checks the replica's parameters against its own by default. */
export const DRIFT_CHECK_EVERY = 50;

/**
 * A second replica, in another worker (worker/replica/): computes a part's gradients on its copy
 * of the parameters. Rejects when the replica is gone or failed; the trainer then computes that
 * part itself and goes on with one replica.
 */
export interface GradientReplica {
  compute(request: ReplicaRequest): Promise<PartGradients>;
  /** check the replica's parameters every this many split steps (default DRIFT_CHECK_EVERY) */
  readonly checkEvery?: number;
}
