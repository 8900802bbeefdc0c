// The storefront's models, trained so that a closed tab loses at most one epoch: the models'
// own fit() with a checkpoint after every epoch (parameters and Adam's state, see
// TrainingCheckpoint) and, on the next visit, resumeFrom that checkpoint. Epochs are seeded one
// by one, so a resumed run ends with the model an uninterrupted one would have trained.
import type { InteractionMatrix } from '../../ml/interactions';
import { GruRecommender, MfRecommender, type GruConfig, type MfConfig } from '../../ml/models';
import type { LearnedRecommender } from '../../ml/models/learnedRecommender';
import type { ModelSnapshot, TrainingCheckpoint, TrainProgress } from '../../ml/recommender';
import type { ItemFeatureCsr } from './itemFeatures';

/** MF config without the feature CSR (that comes from the catalog), as the plan states it. */
export type MfPlan = Omit<Partial<MfConfig>, 'itemFeatureOffsets' | 'itemFeatureIds' | 'featureCount'>;

/** MF as the store trains it: the plan's config with the catalog's item features. */
export function storeMf(plan: MfPlan, features: ItemFeatureCsr): MfRecommender {
  return new MfRecommender({
    ...plan,
    itemFeatureOffsets: features.offsets,
    itemFeatureIds: features.ids,
    featureCount: features.featureCount,
  });
}

export function storeGru(plan: Partial<GruConfig>): GruRecommender {
  return new GruRecommender(plan);
}

export interface ResumableTrainOptions {
  /** a checkpoint of this same training to carry on from */
  resumeFrom?: TrainingCheckpoint;
  signal?: AbortSignal;
  onProgress?: (progress: TrainProgress) => void;
  /** after each epoch; training waits for it (a checkpoint write) */
  onCheckpoint?: (checkpoint: TrainingCheckpoint) => Promise<void>;
}

/**
 * Train `model` on `data` (or finish training it, from options.resumeFrom) and return its
 * snapshot; the model itself is disposed. Losses are read back, and the worker's message queue
 * gets a turn, every two steps, so rankings are never held up for long.
 */
export async function trainResumably(
  model: LearnedRecommender,
  data: InteractionMatrix,
  options: ResumableTrainOptions = {},
): Promise<ModelSnapshot> {
  try {
    await model.fit(data, { ...options, yieldEvery: 2 });
    return model.save();
  } finally {
    model.dispose();
  }
}
