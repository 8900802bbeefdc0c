// MF's item vectors (id embedding + mean feature embedding) with their norms, kept on the host
// for the ranking path: one cosine row is a single pass over the table, and one pair's cosine
// is a dot product — cheap enough to explain every pick on every event.
import type { ModelSnapshot, ShopperState } from '../../ml/recommender';
import { MfRecommender } from '../../ml/models';
import { composeItemVectors } from '../../ml/models/mf';
import { rowNorms } from '../../ml/models/linalg';
import { rowScores } from '../../recs/rowScores';

export class MfItemSpace {
  private readonly model = new MfRecommender();
  /** every item's vector, row-major (itemCount × dim) */
  readonly vectors: Float32Array;
  private readonly norms: Float32Array;
  readonly dim: number;

  constructor(snapshot: ModelSnapshot) {
    this.model.load(snapshot);
    const { arrays } = snapshot;
    this.dim = Number(snapshot.config.dim);
    this.vectors = composeItemVectors(
      arrays.itemEmbedding as Float32Array,
      arrays.featureEmbedding as Float32Array | undefined,
      arrays.itemFeatureOffsets,
      arrays.itemFeatureIds,
      this.dim,
    );
    this.norms = rowNorms(this.vectors, this.dim);
  }

  /** The shopper folded in, every item scored (see MfRecommender.scoreAll). */
  scoreAll(state: ShopperState): Float32Array {
    return this.model.scoreAll(state);
  }

  /** Cosine of every item to `item` (its own entry included). */
  cosineToAll(item: number): Float32Array {
    const query = this.vectors.subarray(item * this.dim, (item + 1) * this.dim);
    const scores = rowScores(this.vectors, this.dim, query);
    for (let other = 0; other < scores.length; other++) {
      const denominator = this.norms[other] * this.norms[item];
      scores[other] = denominator > 0 ? scores[other] / denominator : 0;
    }
    return scores;
  }

  cosine(a: number, b: number): number {
    const denominator = this.norms[a] * this.norms[b];
    if (!(denominator > 0)) return 0;
    let dot = 0;
    for (let k = 0; k < this.dim; k++) dot += this.vectors[a * this.dim + k] * this.vectors[b * this.dim + k];
    return dot / denominator;
  }
}
