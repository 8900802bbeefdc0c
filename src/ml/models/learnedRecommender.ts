// What every learned model shares once trained: a host-side copy of its item vectors. Top-k,
// similar items and (for MF) scoring run on it in plain JS, so a page can ask for
// recommendations synchronously without touching the GPU.
import {
  topK,
  type ModelName,
  type ModelSnapshot,
  type RecommendFilter,
  type Recommender,
  type ScoredItem,
  type ShopperState,
  type TrainOptions,
} from '../recommender';
import type { InteractionMatrix } from '../interactions';
import { rowNorms, scoreRows } from './linalg';

export abstract class LearnedRecommender implements Recommender {
  abstract readonly name: ModelName;
  /** [itemCount × vectorDim], row i = item i; null until fit/load */
  protected itemVectors: Float32Array | null = null;
  protected vectorDim = 0;
  private itemNorms: Float32Array | null = null;

  abstract fit(data: InteractionMatrix, options?: TrainOptions): Promise<void>;
  abstract scoreAll(state: ShopperState): Float32Array;
  abstract save(): ModelSnapshot;
  abstract load(snapshot: ModelSnapshot): void;

  get itemCount(): number {
    return this.itemVectors ? this.itemVectors.length / this.vectorDim : 0;
  }

  protected setItemVectors(vectors: Float32Array, dim: number): void {
    this.itemVectors = vectors;
    this.vectorDim = dim;
    this.itemNorms = null;
  }

  protected requireItemVectors(): Float32Array {
    if (!this.itemVectors) throw new Error(`${this.name}: fit or load the model first`);
    return this.itemVectors;
  }

  recommend(state: ShopperState, k: number, filter?: RecommendFilter): ScoredItem[] {
    return topK(this.scoreAll(state), k, filter);
  }

  /** Cosine similarity of item vectors; the item itself is never returned. */
  similarItems(item: number, k: number, filter?: RecommendFilter): ScoredItem[] {
    const vectors = this.requireItemVectors();
    if (!(item >= 0 && item < this.itemCount)) return [];
    this.itemNorms ??= rowNorms(vectors, this.vectorDim);
    const norms = this.itemNorms;
    const query = vectors.subarray(item * this.vectorDim, (item + 1) * this.vectorDim);
    const scores = scoreRows(vectors, this.vectorDim, query);
    for (let other = 0; other < scores.length; other++) {
      const denominator = norms[other] * norms[item];
      scores[other] = denominator > 0 ? scores[other] / denominator : 0;
    }
    scores[item] = Number.NEGATIVE_INFINITY;
    return topK(scores, k, filter);
  }

  dispose(): void {
    this.itemVectors = null;
    this.itemNorms = null;
  }
}
