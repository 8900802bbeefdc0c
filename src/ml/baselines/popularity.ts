// Popularity: the score of an item is its (weighted) interaction count. The honest
// baseline every learned model must beat, and the cold-start fallback of the store.
import type { InteractionMatrix } from '../interactions';
import type { ModelSnapshot, Recommender, ShopperState, TrainOptions } from '../recommender';
import { RowScoringRecommender } from './rowScoring';

export class PopularityRecommender extends RowScoringRecommender implements Recommender {
  readonly name = 'popularity' as const;
  private counts = new Float32Array(0);

  async fit(data: InteractionMatrix, options?: TrainOptions): Promise<void> {
    const counts = new Float32Array(data.itemCount);
    for (let i = 0; i < data.items.length; i++) counts[data.items[i]] += data.weights?.[i] ?? 1;
    this.counts = counts;
    options?.onProgress?.({ epoch: 1, epochs: 1, loss: 0, interactionsPerSec: 0, etaSec: 0 });
  }

  /** Popularity ignores the shopper: the same vector for everyone (a copy, so callers may mutate it). */
  scoreAll(_state?: ShopperState): Float32Array {
    return this.counts.slice();
  }

  /** Popularity has no notion of similarity: an item's similar items are the most popular others. */
  protected similarityRow(_item: number): Float32Array {
    return this.counts;
  }

  save(): ModelSnapshot {
    return { name: this.name, config: {}, arrays: { counts: this.counts.slice() } };
  }

  load(snapshot: ModelSnapshot): void {
    this.counts = Float32Array.from(snapshot.arrays.counts);
  }

  dispose(): void {
    this.counts = new Float32Array(0);
  }
}
