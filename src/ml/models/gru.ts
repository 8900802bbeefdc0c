// GRU4Rec-style model (Hidasi et al., 2016): item embedding -> one GRU layer -> dot product
// with the (shared) item embeddings. Trained like SASRec on left-padded windows, so padding
// steps carry the hidden state through unchanged and the last column is the current state.
import * as tf from '@tensorflow/tfjs';
import type { ParamSpecs } from '../train/params';
import type { StepParams } from '../train/step';
import { applyDropout, SequentialRecommender, type DropoutPlan, type SequentialConfig } from './sequential';

export type GruConfig = SequentialConfig;

export const defaultGruConfig: GruConfig = {
  maxLen: 50,
  hidden: 64,
  dropout: 0.1,
  epochs: 30,
  batchSize: 128,
  learningRate: 0.002,
  loss: 'bce',
  l2: 0,
  initStd: 0.05,
  seed: 42,
};

export class GruRecommender extends SequentialRecommender<GruConfig> {
  constructor(config: Partial<GruConfig> = {}) {
    super('gru', defaultGruConfig, config);
  }

  protected paramSpecs(itemCount: number): ParamSpecs {
    const { hidden, initStd } = this.config;
    return {
      itemEmbedding: { shape: [itemCount + 1, hidden], init: 'normal', std: initStd, sparse: true },
      // input weights of the update gate, reset gate and candidate, side by side
      inputWeights: { shape: [hidden, 3 * hidden], init: 'glorot' },
      inputBias: { shape: [3 * hidden], init: 'zeros' },
      recurrentGateWeights: { shape: [hidden, 2 * hidden], init: 'glorot' },
      recurrentCandidateWeights: { shape: [hidden, hidden], init: 'glorot' },
    };
  }

  protected encode(
    p: StepParams,
    tokens: tf.Tensor2D,
    mask: tf.Tensor2D,
    dropout: DropoutPlan | null,
  ): tf.Tensor3D {
    const { hidden } = this.config;
    const [batch, length] = tokens.shape;
    const embedded = applyDropout(tf.gather(p.itemEmbedding, tokens), dropout);
    // All input projections in one matMul; only the recurrent part has to run step by step.
    const projected = tf.add(
      tf.matMul(tf.reshape(embedded, [batch * length, hidden]), p.inputWeights as tf.Tensor2D),
      p.inputBias,
    );
    const projectedSteps = tf.unstack(tf.reshape(projected, [batch, length, 3 * hidden]), 1);
    const maskSteps = tf.unstack(tf.expandDims(mask, 2), 1); // each [B, 1]
    let state: tf.Tensor2D = tf.zeros([batch, hidden]);
    const states: tf.Tensor2D[] = [];
    for (let t = 0; t < length; t++) {
      const [inputGates, inputCandidate] = tf.split(projectedSteps[t], [2 * hidden, hidden], 1);
      const gates = tf.sigmoid(tf.add(inputGates, tf.matMul(state, p.recurrentGateWeights as tf.Tensor2D)));
      const [update, reset] = tf.split(gates, 2, 1);
      const candidate = tf.tanh(
        tf.add(inputCandidate, tf.matMul(tf.mul(reset, state), p.recurrentCandidateWeights as tf.Tensor2D)),
      );
      const next = tf.add(tf.mul(tf.sub(1, update), state), tf.mul(update, candidate));
      // padding steps keep the previous state
      state = tf.add(tf.mul(maskSteps[t], next), tf.mul(tf.sub(1, maskSteps[t]), state)) as tf.Tensor2D;
      states.push(state);
    }
    return applyDropout(tf.stack(states, 1), dropout) as tf.Tensor3D;
  }
}

export function createGru(config: Partial<GruConfig> = {}): GruRecommender {
  return new GruRecommender(config);
}
