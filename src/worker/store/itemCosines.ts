// Item vectors with their norms, kept on the host for the ranking path: one cosine row is a single
// pass over the table, and one pair's cosine is a dot product, cheap enough to explain every pick
// on every event. The store's MF (mfItemSpace.ts) and an imported community model
// (importedCommunityModel.ts) both answer "Similar games" and the reasons this way.
import { rowNorms } from '../../ml/models/linalg';
import { rowScores } from '../../recs/rowScores';

export class ItemCosines {
  private readonly norms: Float32Array;

  constructor(
    /** every item's vector, row-major (itemCount × dim) */
    readonly vectors: Float32Array,
    readonly dim: number,
  ) {
    this.norms = rowNorms(vectors, dim);
  }

  /** Cosine of every item to `item` (its own entry included); 0 for an item with a zero vector. */
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
