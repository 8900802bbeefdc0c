// Epoch-by-epoch training that can stop after any epoch and carry on later. The models' own
// fit() runs start to finish; the storefront needs a checkpoint after each epoch (a closed tab
// must not lose its work), so this drives the same pieces the models train with — their
// parameter specs, batch preparation and batch loss, the shared sparse Adam step — one epoch
// at a time, and hands the finished parameters to the model through its snapshot format.
//
// Adam's moments are not part of a checkpoint (the optimizer keeps them private): a resumed run
// restarts them, which costs a few noisy steps, not correctness. Each epoch draws from its own
// seeded generator, so a resumed run samples the same batches the uninterrupted one would have.
import * as tf from '../../ml/tf';
import type { InteractionMatrix } from '../../ml/interactions';
import {
  defaultGruConfig,
  defaultMfConfig,
  GruRecommender,
  type GruConfig,
  type MfConfig,
} from '../../ml/models';
import { composeItemVectors, mfParamSpecs, mfStepper } from '../../ml/models/mf';
import type { ModelSnapshot, TrainProgress } from '../../ml/recommender';
import { Adam } from '../../ml/train/adam';
import { runEpochLoop } from '../../ml/train/loop';
import { ParamStore, type ParamSpecs } from '../../ml/train/params';
import { createRng, type Rng } from '../../ml/train/random';

/** Parameters after some epochs: what a checkpoint stores. */
export interface EpochState {
  epochsDone: number;
  arrays: Record<string, Float32Array>;
}

/** One model's training, cut into epochs. */
export interface EpochwiseTraining {
  readonly epochs: number;
  readonly paramSpecs: ParamSpecs;
  readonly interactionsPerEpoch: number;
  readonly stepsPerEpoch: number;
  /** the step function of one epoch (its batches drawn from `rng`) */
  epochStep(store: ParamStore, optimizer: Adam, rng: Rng): (stepIndex: number) => tf.Scalar;
  /** the trained parameters as the model's own snapshot, ready for model.load() */
  toSnapshot(arrays: Record<string, Float32Array>): ModelSnapshot;
  readonly learningRate: number;
  readonly seed: number;
}

export interface EpochwiseOptions {
  resumeFrom?: EpochState | null;
  signal?: AbortSignal;
  /** after each epoch, with the parameters so far; training waits for it (a checkpoint write) */
  onEpoch?: (progress: TrainProgress, state: EpochState) => Promise<void>;
  /** steps between loss read-backs and yields to the worker's message queue */
  yieldEvery?: number;
}

/** Copies of every parameter, read asynchronously so a GPU backend never blocks the worker. */
async function readArrays(store: ParamStore): Promise<Record<string, Float32Array>> {
  const arrays: Record<string, Float32Array> = {};
  for (const [name, variable] of Object.entries(store.variables)) {
    arrays[name] = Float32Array.from((await variable.data()) as Float32Array);
  }
  return arrays;
}

export async function trainEpochwise(
  training: EpochwiseTraining,
  options: EpochwiseOptions = {},
): Promise<ModelSnapshot> {
  const resume = options.resumeFrom ?? null;
  const store = resume
    ? ParamStore.fromArrays(training.paramSpecs, resume.arrays)
    : ParamStore.initialise(training.paramSpecs, createRng(training.seed));
  const optimizer = new Adam({ learningRate: training.learningRate });
  const startedAt = performance.now();
  const firstEpoch = (resume?.epochsDone ?? 0) + 1;
  try {
    for (let epoch = firstEpoch; epoch <= training.epochs; epoch++) {
      const step = training.epochStep(store, optimizer, createRng(training.seed * 7919 + epoch));
      const epochStarted = performance.now();
      const [loss] = await runEpochLoop(
        {
          epochs: 1,
          stepsPerEpoch: training.stepsPerEpoch,
          interactionsPerEpoch: training.interactionsPerEpoch,
          yieldEvery: options.yieldEvery ?? 2,
        },
        (_epoch, stepIndex) => step(stepIndex),
        { signal: options.signal },
      );
      const now = performance.now();
      const epochsRun = epoch - firstEpoch + 1;
      const progress: TrainProgress = {
        epoch,
        epochs: training.epochs,
        loss,
        interactionsPerSec: training.interactionsPerEpoch / Math.max(1e-3, (now - epochStarted) / 1000),
        etaSec: (((now - startedAt) / 1000) * (training.epochs - epoch)) / epochsRun,
      };
      if (options.onEpoch)
        await options.onEpoch(progress, { epochsDone: epoch, arrays: await readArrays(store) });
    }
    return training.toSnapshot(await readArrays(store));
  } finally {
    optimizer.dispose();
    store.dispose();
  }
}

/** MF config without the feature CSR (that comes from the catalog), as the plan states it. */
export type MfPlan = Omit<Partial<MfConfig>, 'itemFeatureOffsets' | 'itemFeatureIds' | 'featureCount'>;

export function mfTraining(
  data: InteractionMatrix,
  plan: MfPlan,
  features: { offsets: Uint32Array; ids: Int32Array; featureCount: number },
): EpochwiseTraining {
  const config: MfConfig = {
    ...defaultMfConfig,
    ...plan,
    itemFeatureOffsets: features.offsets,
    itemFeatureIds: features.ids,
    featureCount: features.featureCount,
  };
  const stepper = mfStepper(data, config);
  return {
    epochs: config.epochs,
    seed: config.seed,
    learningRate: config.learningRate,
    paramSpecs: mfParamSpecs(config, data.userCount, data.itemCount),
    interactionsPerEpoch: data.items.length,
    stepsPerEpoch: stepper.stepsPerEpoch,
    epochStep: (store, optimizer, rng) => {
      stepper.startEpoch(rng);
      return (stepIndex) => stepper.step(store, optimizer, rng, stepIndex);
    },
    toSnapshot: (arrays) => {
      const { itemFeatureOffsets, itemFeatureIds, ...plainConfig } = config;
      const foldInTarget = meanObservedScore(data, config, arrays);
      const snapshotArrays: ModelSnapshot['arrays'] = {
        itemEmbedding: arrays.itemEmbedding,
        itemBias: arrays.itemBias,
        itemFeatureOffsets: Uint32Array.from(itemFeatureOffsets!),
        itemFeatureIds: Int32Array.from(itemFeatureIds!),
      };
      if (arrays.featureEmbedding) snapshotArrays.featureEmbedding = arrays.featureEmbedding;
      return { name: 'mf', config: { ...plainConfig, foldInTarget }, arrays: snapshotArrays };
    },
  };
}

/**
 * The average trained score of an observed interaction, u·v + b: MF's fold-in regresses a
 * shopper's history onto it (what MfRecommender computes at the end of its own fit).
 */
function meanObservedScore(
  data: InteractionMatrix,
  config: MfConfig,
  arrays: Record<string, Float32Array>,
): number {
  const dim = config.dim;
  const vectors = composeItemVectors(
    arrays.itemEmbedding,
    arrays.featureEmbedding,
    config.itemFeatureOffsets,
    config.itemFeatureIds,
    dim,
  );
  const users = arrays.userEmbedding;
  let total = 0;
  for (let user = 0; user < data.userCount; user++) {
    for (let j = data.userOffsets[user]; j < data.userOffsets[user + 1]; j++) {
      const item = data.items[j];
      let score = arrays.itemBias[item];
      for (let k = 0; k < dim; k++) score += users[user * dim + k] * vectors[item * dim + k];
      total += score;
    }
  }
  return data.items.length > 0 ? total / data.items.length : 1;
}

export function gruTraining(data: InteractionMatrix, plan: Partial<GruConfig>): EpochwiseTraining {
  const config: GruConfig = { ...defaultGruConfig, ...plan };
  // the model supplies its parameter layout and its batch loss; this file only schedules them
  const model = new GruRecommender(config);
  const stepper = model.stepper(data);
  return {
    epochs: config.epochs,
    seed: config.seed,
    learningRate: config.learningRate,
    paramSpecs: model.specsFor(data.itemCount),
    interactionsPerEpoch: stepper.interactionsPerEpoch,
    stepsPerEpoch: stepper.stepsPerEpoch,
    epochStep: (store, optimizer, rng) => {
      stepper.startEpoch(rng);
      const dropout = { rate: config.dropout, rng };
      return (stepIndex) => stepper.step(store, optimizer, rng, dropout, stepIndex);
    },
    toSnapshot: (arrays) => ({
      name: 'gru',
      config: { ...config, itemCount: data.itemCount },
      arrays,
    }),
  };
}
