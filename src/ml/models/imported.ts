// A community model trained elsewhere (Spark's ALS, `implicit`, PyTorch): its item vectors come
// from a file (ml/io/models/), and only the shopper's vector is made here, folded in from their
// history exactly as ALS makes a new user's: the weighted ridge least squares implicit's
// recalculate_user solves (Hu, Koren & Volinsky 2008). Nothing is trained, so the same file gives
// the same scores anywhere; plain JavaScript, since the solve is a rank × rank system.
import type { InteractionMatrix } from '../interactions';
import {
  topK,
  topKExcept,
  type ModelSnapshot,
  type RecommendFilter,
  type Recommender,
  type ScoredItem,
  type ShopperState,
  type TrainOptions,
} from '../recommender';
import { rowNorms, scoreRows, solveSymmetricPositiveDefinite } from './linalg';

export interface ImportedConfig {
  /** λ of the fold-in's ridge: keeps a short history's vector small and the system solvable */
  regularization: number;
  /** confidence of a seen item, c = 1 + alpha · weight, as in implicit's ALS */
  alpha: number;
}

export const defaultImportedConfig: ImportedConfig = { regularization: 0.1, alpha: 1 };

/** Item vectors laid out on the evaluated items (ml/io/models/itemFactors.ts's alignItemFactors). */
export interface ItemVectors {
  vectors: Float32Array;
  rank: number;
}

/** YᵀY over every item vector: the part of the fold-in's system every shopper shares. */
export function gramOf({ vectors, rank }: ItemVectors): Float64Array {
  const gram = new Float64Array(rank * rank);
  for (let base = 0; base < vectors.length; base += rank) {
    for (let i = 0; i < rank; i++) {
      const vi = vectors[base + i];
      if (vi === 0) continue;
      for (let j = 0; j <= i; j++) gram[i * rank + j] += vi * vectors[base + j];
    }
  }
  for (let i = 0; i < rank; i++) for (let j = 0; j < i; j++) gram[j * rank + i] = gram[i * rank + j];
  return gram;
}

/**
 * The shopper's vector u minimising Σ_i c_i (p_i − u·y_i)² + λ‖u‖² over every item (p_i = 1 for
 * seen items, 0 else; c_i = 1 + α·w_i for seen, 1 else):
 *   (YᵀY + λI + Σ_seen α·w_i y_i y_iᵀ) u = Σ_seen (1 + α·w_i) y_i.
 * An item seen twice adds its weight twice.
 */
export function foldInUser(
  items: ItemVectors,
  gram: Float64Array,
  state: ShopperState,
  { regularization, alpha }: ImportedConfig,
): Float64Array {
  const { vectors, rank } = items;
  const confidence = new Map<number, number>();
  state.history.forEach((item, position) => {
    if (item < 0 || (item + 1) * rank > vectors.length) return;
    confidence.set(item, (confidence.get(item) ?? 0) + alpha * (state.weights?.[position] ?? 1));
  });
  const system = Float64Array.from(gram);
  for (let i = 0; i < rank; i++) system[i * rank + i] += regularization;
  const rhs = new Float64Array(rank);
  for (const [item, extra] of confidence) {
    const base = item * rank;
    for (let i = 0; i < rank; i++) {
      const vi = vectors[base + i];
      rhs[i] += (1 + extra) * vi;
      for (let j = 0; j < rank; j++) system[i * rank + j] += extra * vi * vectors[base + j];
    }
  }
  if (confidence.size === 0) return rhs; // no history: the zero vector, every score 0
  return solveSymmetricPositiveDefinite(system, rhs, rank);
}

export class ImportedRecommender implements Recommender {
  readonly name = 'imported' as const;
  private readonly config: ImportedConfig;
  private items: ItemVectors | undefined;
  private gram: Float64Array = new Float64Array(0);
  private norms: Float32Array = new Float32Array(0);

  constructor(config: Partial<ImportedConfig> = {}, items?: ItemVectors) {
    this.config = { ...defaultImportedConfig, ...config };
    if (!(this.config.regularization > 0)) throw new RangeError('imported.regularization must be above 0');
    if (!(this.config.alpha >= 0)) throw new RangeError('imported.alpha must be 0 or more');
    this.items = items;
  }

  /** Nothing to learn: checks the vectors cover the data's items and prepares the shared YᵀY. */
  async fit(data: InteractionMatrix, options?: TrainOptions): Promise<void> {
    if (options?.signal?.aborted) throw options.signal.reason ?? new DOMException('Aborted', 'AbortError');
    const items = this.items;
    if (!items) {
      throw new RangeError(
        'imported has no item vectors: pick a model file (Spark ALS, implicit .npz or safetensors) first',
      );
    }
    if (items.vectors.length !== data.itemCount * items.rank) {
      throw new RangeError(
        `imported: the vectors cover ${items.vectors.length / items.rank} items, the data has ${data.itemCount}`,
      );
    }
    this.prepare(items);
    options?.onProgress?.({ epoch: 1, epochs: 1, loss: 0, interactionsPerSec: 0, etaSec: 0 });
  }

  private prepare(items: ItemVectors): void {
    this.items = items;
    this.gram = gramOf(items);
    this.norms = rowNorms(items.vectors, items.rank);
  }

  private get prepared(): ItemVectors {
    if (!this.items || this.gram.length === 0) throw new Error('imported: fit or load before scoring');
    return this.items;
  }

  scoreAll(state: ShopperState): Float32Array {
    const items = this.prepared;
    return scoreRows(items.vectors, items.rank, foldInUser(items, this.gram, state, this.config));
  }

  recommend(state: ShopperState, k: number, filter?: RecommendFilter): ScoredItem[] {
    return topK(this.scoreAll(state), k, filter);
  }

  /** Cosine similarity of item vectors; an item the file had no vector for has no similar items. */
  similarItems(item: number, k: number, filter?: RecommendFilter): ScoredItem[] {
    const { vectors, rank } = this.prepared;
    const norm = this.norms[item];
    if (!(norm > 0)) return [];
    const query = vectors.subarray(item * rank, (item + 1) * rank);
    const cosines = scoreRows(vectors, rank, query);
    for (let other = 0; other < cosines.length; other++) {
      const otherNorm = this.norms[other];
      cosines[other] = otherNorm > 0 ? cosines[other] / (norm * otherNorm) : 0;
    }
    return topKExcept(cosines, k, item, filter);
  }

  save(): ModelSnapshot {
    const { vectors, rank } = this.prepared;
    return { name: this.name, config: { ...this.config, rank }, arrays: { itemVectors: vectors.slice() } };
  }

  load(snapshot: ModelSnapshot): void {
    const rank = Number(snapshot.config.rank);
    const vectors = snapshot.arrays.itemVectors;
    if (!(vectors instanceof Float32Array) || !Number.isInteger(rank) || rank < 1 || vectors.length % rank) {
      throw new RangeError('imported: the snapshot has no item vectors of a whole rank');
    }
    this.prepare({ vectors: Float32Array.from(vectors), rank });
  }

  dispose(): void {
    this.items = undefined;
    this.gram = new Float64Array(0);
    this.norms = new Float32Array(0);
  }
}
