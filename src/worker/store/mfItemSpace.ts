// MF's item vectors (id embedding + mean feature embedding) with their norms, kept on the host
// for the ranking path (itemCosines.ts), and the shopper folded in by MF's own scoreAll.
import type { ModelSnapshot, ShopperState } from '../../ml/recommender';
import { MfRecommender } from '../../ml/models';
import { composeItemVectors } from '../../ml/models/mf';
import { ItemCosines } from './itemCosines';

function itemVectorsOf(snapshot: ModelSnapshot): Float32Array {
  const { arrays } = snapshot;
  return composeItemVectors(
    arrays.itemEmbedding as Float32Array,
    arrays.featureEmbedding as Float32Array | undefined,
    arrays.itemFeatureOffsets,
    arrays.itemFeatureIds,
    Number(snapshot.config.dim),
  );
}

export class MfItemSpace extends ItemCosines {
  private readonly model = new MfRecommender();

  constructor(snapshot: ModelSnapshot) {
    super(itemVectorsOf(snapshot), Number(snapshot.config.dim));
    this.model.load(snapshot);
  }

  /** The shopper folded in, every item scored (see MfRecommender.scoreAll). */
  scoreAll(state: ShopperState): Float32Array {
    return this.model.scoreAll(state);
  }
}
