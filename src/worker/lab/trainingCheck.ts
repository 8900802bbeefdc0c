// A self-test of training on the active tfjs backend: every learned model fits a few one-step
// epochs of a toy set, and we report whether the loss fell and whether the trained model scores
// items with finite, distinct values. It exists because a backend can train correctly and still
// hand back a useless model (webgpu's dataSync read the weights as zeros), which no loss curve
// shows. The browser test e2e/webgpuTraining.spec.ts runs it on WebGPU in the production build.
import * as tf from '../../ml/tf';
import { fromSequences, type InteractionMatrix } from '../../ml/interactions';
import type { Recommender } from '../../ml/recommender';
import { createRecommender, type IterativeModelName } from '../../ml/registry';
import type { ModelTrainingCheck, TrainingCheckReport } from './protocol';

const toyItemCount = 30;

/** 60 users in three taste groups of 10 items each, walking their group in order: easy to learn. */
export function toyInteractions(): InteractionMatrix {
  const sequences = Array.from({ length: 60 }, (_, user) =>
    Array.from({ length: 6 }, (_, step) => (user % 3) * 10 + ((user + step) % 10)),
  );
  return fromSequences(sequences, toyItemCount);
}

/** Tiny settings: one step per epoch (the batch holds every user or interaction), no dropout; epoch
 * 1 reports the loss at the initial weights, epoch 2 after one step. One attention block keeps
 * SwiftShader's shader compilation, which dominates the time, short. */
export const toyConfigs: Record<IterativeModelName, Record<string, unknown>> = {
  mf: { epochs: 2, dim: 8, batchSize: 1024, learningRate: 0.05, seed: 1 },
  sasrec: {
    epochs: 2,
    blocks: 1,
    hidden: 8,
    maxLen: 6,
    batchSize: 64,
    learningRate: 0.02,
    dropout: 0,
    seed: 1,
  },
  gru: { epochs: 2, hidden: 8, maxLen: 6, batchSize: 64, learningRate: 0.02, dropout: 0, seed: 1 },
  profileEncoder: { epochs: 2, hidden: 8, maxLen: 6, batchSize: 64, learningRate: 0.02, dropout: 0, seed: 1 },
};

const probeHistory = { history: [0, 1, 2] };

function distinctFinite(scores: Float32Array): { finite: number; distinct: number } {
  const finite = Array.from(scores).filter((score) => Number.isFinite(score));
  return { finite: finite.length, distinct: new Set(finite).size };
}

async function checkModel(name: IterativeModelName, data: InteractionMatrix): Promise<ModelTrainingCheck> {
  const started = performance.now();
  const tensorsBefore = tf.memory().numTensors;
  const losses: number[] = [];
  const distinctScoresPerEpoch: number[] = [];
  const model: Recommender = createRecommender(name, toyConfigs[name]);
  let scores: Float32Array;
  try {
    await model.fit(data, {
      onProgress: (progress) => losses.push(progress.loss),
      onEpochEnd: (_epoch, trained) => {
        distinctScoresPerEpoch.push(distinctFinite(trained.scoreAll(probeHistory)).distinct);
        return 'continue';
      },
    });
    scores = model.scoreAll(probeHistory);
  } finally {
    model.dispose();
  }
  const { finite, distinct } = distinctFinite(scores);
  return {
    model: name,
    losses,
    lossFell: losses.length >= 2 && losses[losses.length - 1] < losses[0],
    finiteScores: finite,
    distinctScores: distinct,
    itemCount: scores.length,
    distinctScoresPerEpoch,
    leakedTensors: tf.memory().numTensors - tensorsBefore,
    ms: performance.now() - started,
  };
}

/** Runs the check for every learned model on whatever backend is active. */
export async function checkTraining(backend: string): Promise<TrainingCheckReport> {
  const data = toyInteractions();
  const models: ModelTrainingCheck[] = [];
  for (const name of ['mf', 'sasrec', 'gru'] as const) models.push(await checkModel(name, data));
  return { backend, models };
}
