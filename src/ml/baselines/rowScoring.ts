// What EASE and popularity share: both score every item in plain JavaScript and keep, for each
// item, a dense row saying how strongly it goes with every other item. Recommending is then the
// top k of the shopper's scores and "similar items" the top k of the item's row, itself left out,
// written once here. (Item-kNN keeps sparse neighbour lists instead, so it ranks those itself.)
import { topK, topKExcept, type RecommendFilter, type ScoredItem, type ShopperState } from '../recommender';

export abstract class RowScoringRecommender {
  /** A score for every item (length itemCount); higher is better. */
  abstract scoreAll(state: ShopperState): Float32Array;

  /** How strongly every item goes with `item` (length itemCount), or null for an item the model does not know. */
  protected abstract similarityRow(item: number): Float32Array | null;

  recommend(state: ShopperState, k: number, filter?: RecommendFilter): ScoredItem[] {
    return topK(this.scoreAll(state), k, filter);
  }

  similarItems(item: number, k: number, filter?: RecommendFilter): ScoredItem[] {
    const row = this.similarityRow(item);
    return row ? topKExcept(row, k, item, filter) : [];
  }
}
