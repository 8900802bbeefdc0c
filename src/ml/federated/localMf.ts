// One client's local training for federated matrix factorisation: starting from the global item
// vectors, the client folds in its own user vector (kept on the device, never shared), takes a few
// BPR steps over its own items, and reports only how the item rows it touched moved. Plain
// JavaScript on Float32Arrays: a client touches a few dozen rows of a few dozen values, far too
// little work to be worth tfjs, and it runs the same in the store worker, the lab worker and Node.
import { ridgeFit } from '../models/linalg';
import { createRng, type Rng } from '../random';

export interface LocalMfOptions {
  /** passes over the client's own items */
  epochs: number;
  learningRate: number;
  /** L2 penalty on the user vector and the touched item rows */
  l2: number;
  /** ridge penalty of the fold-in that starts the user vector */
  foldInL2: number;
}

export const defaultLocalMfOptions: LocalMfOptions = { epochs: 2, learningRate: 0.05, l2: 1e-4, foldInL2: 1 };

/** Item row → its change (new − old); only rows the client touched appear. */
export type ItemDelta = Map<number, number[]>;

/** A seeded starting table (the same for every arm of a simulation): N(0, initScale²) per coordinate. */
export function initialItemFactors(
  itemCount: number,
  dim: number,
  initScale: number,
  seed: number,
): Float32Array {
  const rng = createRng(seed);
  return Float32Array.from({ length: itemCount * dim }, () => initScale * rng.nextNormal());
}

/** The least-squares user vector that scores the client's items near 1: (V_Hᵀ V_H + λI)⁻¹ V_Hᵀ 1. */
export function foldInUser(
  itemFactors: Float32Array,
  dim: number,
  history: readonly number[],
  foldInL2: number,
): Float32Array {
  const ones = history.map(() => 1);
  return ridgeFit(itemFactors, dim, history, ones, ones, foldInL2);
}

/** A negative item the client has not had, uniformly drawn (null when it has had them all). */
function drawNegative(itemCount: number, owned: ReadonlySet<number>, rng: Rng): number | null {
  if (owned.size >= itemCount) return null;
  for (;;) {
    const item = rng.nextInt(itemCount);
    if (!owned.has(item)) return item;
  }
}

const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));

/**
 * BPR steps on a private copy of the touched rows: for every positive i (shuffled each epoch) and a
 * drawn negative j, with x = u·(v_i − v_j) and g = σ(−x),
 *   u += η(g(v_i − v_j) − λu),  v_i += η(g·u − λv_i),  v_j += η(−g·u − λv_j).
 * Returns the rows' changes; the global table is not modified.
 */
export function localMfDelta(
  itemFactors: Float32Array,
  dim: number,
  history: readonly number[],
  options: LocalMfOptions,
  rng: Rng,
): ItemDelta {
  const { epochs, learningRate: eta, l2 } = options;
  const itemCount = itemFactors.length / dim;
  const owned = new Set(history);
  const positives = [...owned];
  if (positives.length === 0) return new Map();
  const user = foldInUser(itemFactors, dim, positives, options.foldInL2);
  const rows = new Map<number, Float64Array>();
  const rowOf = (item: number): Float64Array => {
    let row = rows.get(item);
    if (!row) {
      row = Float64Array.from(itemFactors.subarray(item * dim, (item + 1) * dim));
      rows.set(item, row);
    }
    return row;
  };
  const order = [...positives];
  for (let epoch = 0; epoch < epochs; epoch++) {
    for (let i = order.length - 1; i > 0; i--) {
      const j = rng.nextInt(i + 1);
      [order[i], order[j]] = [order[j], order[i]];
    }
    for (const positive of order) {
      const negative = drawNegative(itemCount, owned, rng);
      if (negative === null) continue;
      const vi = rowOf(positive);
      const vj = rowOf(negative);
      let x = 0;
      for (let k = 0; k < dim; k++) x += user[k] * (vi[k] - vj[k]);
      const g = sigmoid(-x);
      for (let k = 0; k < dim; k++) {
        const uk = user[k];
        user[k] += eta * (g * (vi[k] - vj[k]) - l2 * uk);
        vi[k] += eta * (g * uk - l2 * vi[k]);
        vj[k] += eta * (-g * uk - l2 * vj[k]);
      }
    }
  }
  const delta: ItemDelta = new Map();
  for (const [item, row] of rows) {
    const base = item * dim;
    delta.set(
      item,
      Array.from(row, (value, k) => value - itemFactors[base + k]),
    );
  }
  return delta;
}
