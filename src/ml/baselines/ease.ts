// EASE (Steck, "Embarrassingly Shallow Autoencoders for Sparse Data", WWW 2019): a linear
// item-to-item model B with a zero diagonal that reconstructs each user's row x as x·B, fitted by
// ridge regression in closed form:  P = (XᵀX + λI)⁻¹,  B_ij = −P_ij / P_jj (i ≠ j),  B_ii = 0.
// Unlike item-kNN's cosine, the weights are learned jointly, so two items that only co-occur
// because both go with a third get little weight of their own. No epochs and no tfjs: the cost is
// one inversion of an items × items matrix, O(items³) time and O(items²) memory, so the model
// refuses catalogues above `maxItems` with a message saying so instead of stalling a tab.
//
// Item attributes (tags) enter as side information, the way collective EASE variants do: each
// item's tag vector (tf-idf, unit length) adds attributeWeight · cos(tags_i, tags_j) to the Gram
// matrix — loosely, as if every tag were extra listeners of the items carrying it — so items
// that share tags but few users are tied together (an item's cosine with itself being 1, every
// tagged item also gets α of extra ridge). On Last.fm's fixed negatives this lifts NDCG@10 from
// about .33 to .43 (docs/lab.md).
import { userRow, type InteractionMatrix } from '../interactions';
import type { ItemAttributes } from '../io/itemAttributes';
import type { ModelSnapshot, Recommender, ShopperState, TrainOptions } from '../recommender';
import { RowScoringRecommender } from './rowScoring';
import { reportSinglePassFit } from './singlePassFit';

export interface EaseConfig {
  /** λ, the ridge penalty added to the Gram matrix's diagonal; larger pulls weights towards 0 */
  l2: number;
  /**
   * Largest catalogue fitted: the Gram matrix is items² float64 (4,000 items: 128 MB) and the
   * inversion items³ / 2 multiply-adds (4,000 items: about 40 s of JavaScript on one core).
   */
  maxItems: number;
  /**
   * Weight of the item attributes' cosine similarity added to the Gram matrix (0: attributes
   * unused). Needs attributes (the lab's item attributes file); co-occurrence counts are the scale.
   */
  attributeWeight: number;
}

export const defaultEaseConfig: EaseConfig = { l2: 500, maxItems: 6000, attributeWeight: 0 };

export class EaseRecommender extends RowScoringRecommender implements Recommender {
  readonly name = 'ease' as const;
  readonly config: EaseConfig;
  /** B, row-major: weights[h · itemCount + j] is what history item h adds to item j */
  private weights: Float32Array = new Float32Array(0);
  private items = 0;

  constructor(
    config: Partial<EaseConfig> = {},
    private readonly attributes?: ItemAttributes,
  ) {
    super();
    this.config = { ...defaultEaseConfig, ...config };
    if (!(this.config.l2 > 0))
      throw new RangeError('ease.l2 must be > 0 (it keeps the Gram matrix invertible)');
    if (!(this.config.attributeWeight >= 0)) throw new RangeError('ease.attributeWeight must be ≥ 0');
    if (this.config.attributeWeight > 0 && !attributes) {
      throw new RangeError(
        'ease.attributeWeight needs item attributes (an attributes file with the dataset)',
      );
    }
  }

  get itemCount(): number {
    return this.items;
  }

  async fit(data: InteractionMatrix, options?: TrainOptions): Promise<void> {
    const n = data.itemCount;
    if (n > this.config.maxItems) {
      throw new RangeError(
        `ease fits at most ${this.config.maxItems} items (this data has ${n}): it inverts an items × items ` +
          `matrix, ${Math.round((n * n * 8) / 2 ** 20)} MB here. Raise ease.maxItems if the machine can take it.`,
      );
    }
    options?.signal?.throwIfAborted();
    const started = performance.now();
    const gram = gramMatrix(data);
    if (this.attributes && this.config.attributeWeight > 0) {
      if (this.attributes.offsets.length !== n + 1) {
        throw new RangeError(
          `ease: attributes are for ${this.attributes.offsets.length - 1} items, the data has ${n}`,
        );
      }
      addAttributeSimilarity(
        gram,
        n,
        attributeVectors(this.attributes),
        this.config.attributeWeight,
        this.attributes,
      );
    }
    for (let i = 0; i < n; i++) gram[i * n + i] += this.config.l2;
    await sweepInPlace(gram, n, options?.signal);
    this.weights = weightsFromSwept(gram, n);
    this.items = n;
    reportSinglePassFit(options, data.items.length, started);
  }

  /** score(j) = Σ B[h][j] over the distinct items h of the history (EASE reads a set, not a sequence). */
  scoreAll(state: ShopperState): Float32Array {
    const n = this.items;
    const scores = new Float32Array(n);
    const seen = new Set<number>();
    state.history.forEach((item, index) => {
      if (item < 0 || item >= n || seen.has(item)) return;
      seen.add(item);
      const weight = state.weights?.[index] ?? 1;
      const row = this.weights.subarray(item * n, (item + 1) * n);
      for (let j = 0; j < n; j++) scores[j] += weight * row[j];
    });
    return scores;
  }

  /** An item's row of B: what it lifts, so its similar items are the ones it lifts most. */
  protected similarityRow(item: number): Float32Array | null {
    if (item < 0 || item >= this.items) return null;
    return this.weights.subarray(item * this.items, (item + 1) * this.items);
  }

  save(): ModelSnapshot {
    return { name: this.name, config: { ...this.config }, arrays: { weights: this.weights.slice() } };
  }

  load(snapshot: ModelSnapshot): void {
    Object.assign(this.config, snapshot.config);
    const weights = Float32Array.from(snapshot.arrays.weights);
    const n = Math.round(Math.sqrt(weights.length));
    if (n * n !== weights.length) throw new RangeError('ease snapshot: weights are not a square matrix');
    this.weights = weights;
    this.items = n;
  }

  dispose(): void {
    this.weights = new Float32Array(0);
    this.items = 0;
  }
}

/**
 * XᵀX of the binary user × item matrix (an item a user met twice counts once), float64, row-major.
 * Only the upper triangle (j ≥ i) is filled: the sweep below reads nothing else.
 */
export function gramMatrix(data: InteractionMatrix): Float64Array {
  const n = data.itemCount;
  const gram = new Float64Array(n * n);
  for (let u = 0; u < data.userCount; u++) {
    const distinct = Int32Array.from(new Set(userRow(data, u)));
    distinct.sort();
    for (let a = 0; a < distinct.length; a++) {
      const row = distinct[a] * n;
      for (let b = a; b < distinct.length; b++) gram[row + distinct[b]] += 1;
    }
  }
  return gram;
}

/**
 * The symmetric sweep operator (Goodnight 1979) over one pivot at a time, on the upper triangle of
 * a symmetric positive-definite matrix: afterwards the upper triangle holds −A⁻¹. Sweeping keeps
 * the matrix symmetric, so each pivot updates half of it, and a positive-definite matrix never
 * needs pivoting. Simple and exact; sweepInPlace does the same in blocks.
 */
export function sweepPivots(a: Float64Array, n: number, firstItem = 0): void {
  const column = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    const pivot = a[k * n + k];
    if (!(Math.abs(pivot) > 1e-12)) {
      // firstItem: where this matrix starts in the catalogue, when it is one block of a larger sweep
      throw new RangeError(`ease: the matrix is singular at item ${firstItem + k} (raise l2)`);
    }
    // column k of the symmetric matrix, read from the upper triangle
    for (let i = 0; i < k; i++) column[i] = a[i * n + k];
    for (let j = k; j < n; j++) column[j] = a[k * n + j];
    for (let i = 0; i < n; i++) {
      if (i === k) continue;
      const factor = column[i] / pivot;
      if (factor === 0) continue;
      const row = i * n;
      for (let j = i; j < n; j++) a[row + j] -= factor * column[j];
    }
    // row and column k become A_ik / d, the pivot −1/d (writes over what the loop above touched)
    for (let i = 0; i < k; i++) a[i * n + k] = column[i] / pivot;
    for (let j = k + 1; j < n; j++) a[k * n + j] = column[j] / pivot;
    a[k * n + k] = -1 / pivot;
  }
}

/** Pivots swept together: the rank-`block` update reads each row of the matrix once per block. */
const SWEEP_BLOCK = 48;

/**
 * Sweeps every pivot, `block` at a time. One pivot at a time streams the whole matrix from memory
 * per pivot (on Last.fm's 3,646 items, 53 MB × 3,646), so the single-pivot sweep is bound by
 * memory; sweeping a block K at once is the same operator —
 *   A_KK ← −A_KK⁻¹,   A_KR ← A_KK⁻¹ A_KR,   A_RR ← A_RR − A_RK A_KK⁻¹ A_KR
 * — and does the same multiply-adds with the matrix read once per block. Yields to the event loop
 * between blocks (a cancel gets through) and stops when the signal is aborted.
 */
export async function sweepInPlace(
  a: Float64Array,
  n: number,
  signal?: AbortSignal,
  block = SWEEP_BLOCK,
): Promise<void> {
  if (!(Number.isInteger(block) && block >= 1)) {
    throw new RangeError(`sweep block must be a whole number ≥ 1, got ${block}`);
  }
  const columns = new Float64Array(n * block); // C = A[:, K], row-major n × b
  const weighted = new Float64Array(n * block); // W = C · A_KK⁻¹
  const transposed = new Float64Array(block * n); // Cᵀ
  for (let k0 = 0; k0 < n; k0 += block) {
    if (k0 > 0) await new Promise((resolve) => setTimeout(resolve, 0));
    signal?.throwIfAborted();
    const k1 = Math.min(n, k0 + block);
    const b = k1 - k0;
    for (let i = 0; i < n; i++) {
      for (let m = 0; m < b; m++) {
        const k = k0 + m;
        columns[i * b + m] = i < k ? a[i * n + k] : a[k * n + i];
      }
    }
    // −A_KK⁻¹ by sweeping the b × b block on its own
    const inner = new Float64Array(b * b);
    for (let p = 0; p < b; p++) for (let q = p; q < b; q++) inner[p * b + q] = columns[(k0 + p) * b + q];
    sweepPivots(inner, b, k0);
    const negInverse = (p: number, q: number) => (p <= q ? inner[p * b + q] : inner[q * b + p]);
    for (let i = 0; i < n; i++) {
      if (i >= k0 && i < k1) continue;
      for (let q = 0; q < b; q++) {
        let sum = 0;
        for (let p = 0; p < b; p++) sum -= columns[i * b + p] * negInverse(p, q);
        weighted[i * b + q] = sum;
      }
    }
    // A_RR −= W Cᵀ on the upper triangle (entries in K's columns are overwritten just below), as b
    // row updates a_i· −= w_im · C_·m that stay in cache: C transposed, one contiguous row per pivot
    for (let m = 0; m < b; m++) for (let j = 0; j < n; j++) transposed[m * n + j] = columns[j * b + m];
    for (let i = 0; i < n; i++) {
      if (i >= k0 && i < k1) continue;
      const row = i * n;
      for (let m = 0; m < b; m++) {
        const factor = weighted[i * b + m];
        if (factor === 0) continue;
        const from = m * n;
        for (let j = i; j < n; j++) a[row + j] -= factor * transposed[from + j];
      }
    }
    // A_KR ← A_KK⁻¹ A_KR, which is Wᵀ by symmetry; A_KK ← −A_KK⁻¹
    for (let i = 0; i < n; i++) {
      if (i >= k0 && i < k1) continue;
      for (let m = 0; m < b; m++) {
        const k = k0 + m;
        if (i < k) a[i * n + k] = weighted[i * b + m];
        else a[k * n + i] = weighted[i * b + m];
      }
    }
    for (let p = 0; p < b; p++) for (let q = p; q < b; q++) a[(k0 + p) * n + k0 + q] = inner[p * b + q];
  }
}

/** B_ij = −P_ij / P_jj with P = −swept, i.e. −S_ij / S_jj, read from the upper triangle. */
export function weightsFromSwept(swept: Float64Array, n: number): Float32Array {
  const weights = new Float32Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      if (i === j) continue;
      const sij = i < j ? swept[i * n + j] : swept[j * n + i];
      weights[i * n + j] = -sij / swept[j * n + j];
    }
  }
  return weights;
}

/** Unit-length tf-idf attribute vectors in the attributes' CSR layout: log(1 + count) · log(items / items with it). */
export function attributeVectors(attributes: ItemAttributes): Float32Array {
  const { offsets, attributeIds, counts } = attributes;
  const items = offsets.length - 1;
  const carrying = new Float64Array(attributes.attributeNames.length);
  for (const attribute of attributeIds) carrying[attribute]++;
  const weights = new Float32Array(attributeIds.length);
  for (let item = 0; item < items; item++) {
    let norm = 0;
    for (let p = offsets[item]; p < offsets[item + 1]; p++) {
      const weight = Math.log1p(counts[p]) * Math.log(items / carrying[attributeIds[p]]);
      weights[p] = weight;
      norm += weight * weight;
    }
    const scale = norm > 0 ? 1 / Math.sqrt(norm) : 0;
    for (let p = offsets[item]; p < offsets[item + 1]; p++) weights[p] *= scale;
  }
  return weights;
}

/**
 * gram[i][j] += weight · Σ_t v_it · v_jt on the upper triangle, through each attribute's list of
 * items (cost Σ_t items(t)², far below the inversion's).
 */
function addAttributeSimilarity(
  gram: Float64Array,
  n: number,
  vectors: Float32Array,
  weight: number,
  attributes: ItemAttributes,
): void {
  const { offsets, attributeIds } = attributes;
  const byAttribute: { item: number; value: number }[][] = attributes.attributeNames.map(() => []);
  for (let item = 0; item < n; item++) {
    for (let p = offsets[item]; p < offsets[item + 1]; p++) {
      if (vectors[p] !== 0) byAttribute[attributeIds[p]].push({ item, value: vectors[p] });
    }
  }
  for (const carriers of byAttribute) {
    // items ascending (filled in item order), so a < b keeps to the upper triangle
    for (let a = 0; a < carriers.length; a++) {
      const row = carriers[a].item * n;
      const scaled = weight * carriers[a].value;
      for (let b = a; b < carriers.length; b++) gram[row + carriers[b].item] += scaled * carriers[b].value;
    }
  }
}
