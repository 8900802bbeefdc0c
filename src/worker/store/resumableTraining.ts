// The storefront's models, trained so that a closed tab loses at most one epoch: the models'
// own fit() with a checkpoint after every epoch (parameters and Adam's state, see
// TrainingCheckpoint) and, on the next visit, resumeFrom that checkpoint. Epochs are seeded one
// by one, so a resumed run ends with the model an uninterrupted one would have trained.
import type { InteractionMatrix } from '../../ml/interactions';
import type { GruConfig, MfConfig } from '../../ml/models';
import type { ItemAttributeTargets, ProfileEncoderConfig } from '../../ml/models/profileEncoder';
import type { ModelSnapshot, Recommender, TrainingCheckpoint, TrainProgress } from '../../ml/recommender';
import { createRecommender } from '../../ml/registry';
import type { ItemFeatureCsr } from './itemFeatures';

/** One model's training as the store asks for it: which model, its plan, its data. */
export type StoreTrainingJob =
  | { model: 'mf'; plan: MfPlan; features: ItemFeatureCsr; data: InteractionMatrix }
  | { model: 'gru'; plan: Partial<GruConfig>; data: InteractionMatrix }
  | {
      model: 'profileEncoder';
      plan: ProfileEncoderPlan;
      /** what its heads learn to predict of each game (profileTargets.ts) */
      targets: Required<ItemAttributeTargets>;
      data: InteractionMatrix;
    };

/**
 * Runs a StoreTrainingJob and resolves with the model's snapshot. The store worker runs it in
 * its own trainer worker (worker/trainer/trainerClient.ts), so rankings never wait for a step;
 * tests run it here, in-process (trainInProcess).
 */
export type StoreTrainer = (job: StoreTrainingJob, options: ResumableTrainOptions) => Promise<ModelSnapshot>;

/** MF config without the feature CSR (that comes from the catalog), as the plan states it. */
export type MfPlan = Omit<Partial<MfConfig>, 'itemFeatureOffsets' | 'itemFeatureIds' | 'featureCount'>;

/** The profile encoder's settings without its head targets (those come from the catalogue). */
export type ProfileEncoderPlan = Omit<Partial<ProfileEncoderConfig>, keyof ItemAttributeTargets>;

/**
 * The model a job trains, configured and untrained: the registry's MF with the catalogue's item
 * features as its feature embeddings, the registry's GRU, or the registry's profile encoder with
 * the catalogue's genres and price bands as its heads' targets, each with the plan's config.
 */
export function jobModel(job: StoreTrainingJob): Recommender {
  switch (job.model) {
    case 'mf':
      return createRecommender('mf', { ...job.plan, useAttributes: true }, { itemFeatures: job.features });
    case 'gru':
      return createRecommender('gru', job.plan);
    case 'profileEncoder':
      return createRecommender('profileEncoder', job.plan, { profileTargets: job.targets });
  }
}

/** A StoreTrainer on this thread's tfjs. */
export const trainInProcess: StoreTrainer = (job, options) =>
  trainResumably(jobModel(job), job.data, options);

export interface ResumableTrainOptions {
  /** a checkpoint of this same training to carry on from */
  resumeFrom?: TrainingCheckpoint;
  signal?: AbortSignal;
  onProgress?: (progress: TrainProgress) => void;
  /** after each epoch; training waits for it (a checkpoint write) */
  onCheckpoint?: (checkpoint: TrainingCheckpoint) => Promise<void>;
  /** steps between reading losses back and yielding (default 2: a worker that also ranks) */
  yieldEvery?: number;
}

/**
 * Train `model` on `data` (or finish training it, from options.resumeFrom) and return its
 * snapshot; the model itself is disposed. Losses are read back, and the thread's message queue
 * gets a turn, every options.yieldEvery steps (default two).
 */
export async function trainResumably(
  model: Recommender,
  data: InteractionMatrix,
  options: ResumableTrainOptions = {},
): Promise<ModelSnapshot> {
  try {
    await model.fit(data, { ...options, yieldEvery: options.yieldEvery ?? 2 });
    return model.save();
  } finally {
    model.dispose();
  }
}
