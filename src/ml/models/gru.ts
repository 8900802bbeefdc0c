// GRU4Rec-style model (Hidasi et al., 2016): item embedding -> one GRU layer -> dot product
// with the (shared) item embeddings. Trained like SASRec on left-padded windows, so padding
// steps carry the hidden state through unchanged and the last column is the current state.
import * as tf from '../tf';
import type { ParamSpecs } from '../train/params';
import type { StepParams } from '../train/step';
import { SequentialRecommender } from './sequential';
import { applyDropout, type DropoutPlan, type SequenceEncoder, type SequentialConfig } from './sequenceStep';

export type GruConfig = SequentialConfig;

export const defaultGruConfig: GruConfig = {
  maxLen: 50,
  hidden: 64,
  dropout: 0.1,
  epochs: 30,
  batchSize: 128,
  learningRate: 0.002,
  loss: 'bce',
  sampledNegatives: 256,
  l2: 0,
  initStd: 0.05,
  seed: 42,
  batchByLength: true,
};

/** The three parts of a GRU cell, each with input weights, input bias and recurrent weights. */
const gruParts = ['update', 'reset', 'candidate'] as const;
type GruPart = (typeof gruParts)[number];

/** The GRU's parameters: the (shared) item table and the three gates. */
export function gruParamSpecs(itemCount: number, hidden: number, initStd: number): ParamSpecs {
  const square = { shape: [hidden, hidden], init: 'glorot' as const };
  const zeros = { shape: [hidden], init: 'zeros' as const };
  const specs: ParamSpecs = {
    itemEmbedding: { shape: [itemCount + 1, hidden], init: 'normal', std: initStd, sparse: true },
  };
  for (const part of gruParts) {
    specs[`${part}InputWeights`] = square;
    specs[`${part}InputBias`] = zeros;
    specs[`${part}RecurrentWeights`] = square;
  }
  return specs;
}

/** The GRU over left-padded tokens: see SequenceEncoder. */
export function encodeGru(
  p: StepParams,
  tokens: tf.Tensor2D,
  mask: tf.Tensor2D,
  dropout: DropoutPlan | null,
): tf.Tensor3D {
  const hidden = p.updateRecurrentWeights.shape[0]!;
  const [batch, length] = tokens.shape;
  const embedded = applyDropout(tf.gather(p.itemEmbedding, tokens), dropout);
  // Time-major [L, B, d] so each step is a contiguous block (slicing across inner axes is
  // very slow on the cpu and wasm backends), and all input projections are done up front:
  // only the recurrent part has to run step by step.
  const timeMajor = tf.reshape(tf.transpose(embedded, [1, 0, 2]), [length * batch, hidden]);
  const inputSteps = (part: GruPart): tf.Tensor2D[] =>
    tf.unstack(
      tf.reshape(
        tf.add(tf.matMul(timeMajor, p[`${part}InputWeights`] as tf.Tensor2D), p[`${part}InputBias`]),
        [length, batch, hidden],
      ),
      0,
    ) as tf.Tensor2D[];
  const updateInputs = inputSteps('update');
  const resetInputs = inputSteps('reset');
  const candidateInputs = inputSteps('candidate');
  const maskSteps = tf.unstack(tf.transpose(tf.expandDims(mask, 2), [1, 0, 2]), 0); // each [B, 1]
  let state: tf.Tensor2D = tf.zeros([batch, hidden]);
  const states: tf.Tensor2D[] = [];
  for (let t = 0; t < length; t++) {
    const update = tf.sigmoid(
      tf.add(updateInputs[t], tf.matMul(state, p.updateRecurrentWeights as tf.Tensor2D)),
    );
    const reset = tf.sigmoid(
      tf.add(resetInputs[t], tf.matMul(state, p.resetRecurrentWeights as tf.Tensor2D)),
    );
    const candidate = tf.tanh(
      tf.add(candidateInputs[t], tf.matMul(tf.mul(reset, state), p.candidateRecurrentWeights as tf.Tensor2D)),
    );
    const next = tf.add(state, tf.mul(update, tf.sub(candidate, state))); // (1 − z)·h + z·h̃
    // padding steps keep the previous state: h ← h + m·(next − h)
    state = tf.add(state, tf.mul(maskSteps[t], tf.sub(next, state))) as tf.Tensor2D;
    states.push(state);
  }
  const outputs = tf.transpose(tf.stack(states, 0), [1, 0, 2]) as tf.Tensor3D; // back to [B, L, d]
  return applyDropout(outputs, dropout) as tf.Tensor3D;
}

export class GruRecommender extends SequentialRecommender<GruConfig> {
  constructor(config: Partial<GruConfig> = {}) {
    super('gru', defaultGruConfig, config);
  }

  paramSpecs(itemCount: number): ParamSpecs {
    return gruParamSpecs(itemCount, this.config.hidden, this.config.initStd);
  }

  /** the embeddings' dropout and the outputs' */
  protected override dropoutSeedsPerStep(): number {
    return 2;
  }

  protected encodeSequence(...args: Parameters<SequenceEncoder>): tf.Tensor3D {
    return encodeGru(...args);
  }
}

export function createGru(config: Partial<GruConfig> = {}): GruRecommender {
  return new GruRecommender(config);
}
