// SASRec (Kang & McAuley, 2018): causal self-attention over the shopper's last maxLen items.
// Pre-norm blocks (layer norm -> attention -> residual, layer norm -> point-wise FFN ->
// residual), learned absolute positions, and item embeddings shared between input and output.
// Written with tfjs-core ops on variables we own so each step runs inside tf.tidy and the
// item table can be updated sparsely.
import * as tf from '../tf';
import type { ParamSpecs } from '../train/params';
import type { StepParams } from '../train/step';
import { fusedCausalAttention } from '../kernels/causalAttention';
import { SequentialRecommender } from './sequential';
import { denseOverPositions, layerNorm } from './positionLayers';
import { applyDropout, type DropoutPlan, type SequentialConfig } from './sequenceStep';

export interface SasrecConfig extends SequentialConfig {
  /** attention blocks */
  blocks: number;
  /** attention heads; must divide hidden */
  heads: number;
}

export const defaultSasrecConfig: SasrecConfig = {
  maxLen: 50,
  hidden: 50,
  blocks: 2,
  heads: 1,
  dropout: 0.2,
  epochs: 30,
  batchSize: 128,
  learningRate: 0.001,
  loss: 'bce',
  sampledNegatives: 256,
  l2: 0,
  initStd: 0.05,
  seed: 42,
  batchByLength: true,
};

/** Large negative added to attention logits a position must not see. */
const maskedLogit = -1e9;

/** [L, L]: 0 where key ≤ query (past and present), maskedLogit for the future. */
function causalBias(length: number): tf.Tensor2D {
  const bias = new Float32Array(length * length);
  for (let query = 0; query < length; query++) {
    for (let key = query + 1; key < length; key++) bias[query * length + key] = maskedLogit;
  }
  return tf.tensor2d(bias, [length, length]);
}

/** [B, L, d] -> [B, heads, L, d / heads] */
function splitHeads(x: tf.Tensor3D, heads: number): tf.Tensor4D {
  const [batch, length, size] = x.shape;
  // One head: moving a size-1 axis is a pure reshape, so skip the transpose (and its gradient).
  if (heads === 1) return tf.reshape(x, [batch, 1, length, size]);
  return tf.transpose(tf.reshape(x, [batch, length, heads, size / heads]), [0, 2, 1, 3]);
}

function mergeHeads(x: tf.Tensor4D): tf.Tensor3D {
  const [batch, heads, length, headSize] = x.shape;
  if (heads === 1) return tf.reshape(x, [batch, length, headSize]);
  return tf.reshape(tf.transpose(x, [0, 2, 1, 3]), [batch, length, heads * headSize]);
}

/**
 * Attention over queries, keys and values [B, L, d] split into heads, op by op: scaled logits plus
 * the causal and padding bias [B, 1, L, L], softmax, dropout of the weights, weighted values.
 */
function attentionOpByOp(
  projected: { queries: tf.Tensor3D; keys: tf.Tensor3D; values: tf.Tensor3D },
  attentionBias: tf.Tensor,
  heads: number,
  dropout: DropoutPlan | null,
): tf.Tensor3D {
  const [queries, keys, values] = [projected.queries, projected.keys, projected.values].map((x) =>
    splitHeads(x, heads),
  );
  const headScale = 1 / Math.sqrt(queries.shape[3]);
  const logits = tf.add(tf.mul(tf.matMul(queries, keys, false, true), headScale), attentionBias);
  const attention = applyDropout(tf.softmax(logits), dropout) as tf.Tensor4D;
  return mergeHeads(tf.matMul(attention, values));
}

export class SasrecRecommender extends SequentialRecommender<SasrecConfig> {
  constructor(config: Partial<SasrecConfig> = {}) {
    super('sasrec', defaultSasrecConfig, config);
    if (this.config.hidden % this.config.heads !== 0) throw new Error('sasrec: heads must divide hidden');
  }

  paramSpecs(itemCount: number): ParamSpecs {
    const { hidden, maxLen, blocks, initStd } = this.config;
    const square = { shape: [hidden, hidden], init: 'glorot' as const };
    const zeros = { shape: [hidden], init: 'zeros' as const };
    const ones = { shape: [hidden], init: 'ones' as const };
    const specs: ParamSpecs = {
      itemEmbedding: { shape: [itemCount + 1, hidden], init: 'normal', std: initStd, sparse: true },
      positionEmbedding: { shape: [maxLen, hidden], init: 'normal', std: initStd },
    };
    for (let b = 0; b < blocks; b++) {
      Object.assign(specs, {
        [`block${b}AttentionNormGain`]: ones,
        [`block${b}AttentionNormShift`]: zeros,
        [`block${b}Query`]: square,
        [`block${b}QueryBias`]: zeros,
        [`block${b}Key`]: square,
        [`block${b}KeyBias`]: zeros,
        [`block${b}Value`]: square,
        [`block${b}ValueBias`]: zeros,
        [`block${b}FeedForwardNormGain`]: ones,
        [`block${b}FeedForwardNormShift`]: zeros,
        [`block${b}FeedForwardIn`]: square,
        [`block${b}FeedForwardInBias`]: zeros,
        [`block${b}FeedForwardOut`]: square,
        [`block${b}FeedForwardOutBias`]: zeros,
      });
    }
    specs.finalNormGain = ones;
    specs.finalNormShift = zeros;
    return specs;
  }

  /** the embeddings' dropout, then per block: attention weights, after attention, inside and after the FFN */
  protected override dropoutSeedsPerStep(): number {
    return 1 + 4 * this.config.blocks;
  }

  protected encodeSequence(
    p: StepParams,
    tokens: tf.Tensor2D,
    mask: tf.Tensor2D,
    dropout: DropoutPlan | null,
  ): tf.Tensor3D {
    const { hidden, blocks, heads } = this.config;
    const [batch, length] = tokens.shape;
    const keepPositions = tf.expandDims(mask, 2); // [B, L, 1]
    // Scaling by sqrt(hidden) keeps item and position signals comparable, as in the paper.
    // Positions count back from the latest item, so a trimmed batch (length < maxLen) uses the
    // same position vectors as the full-width one it stands for.
    const maxLen = p.positionEmbedding.shape[0]!;
    const positions =
      length === maxLen
        ? p.positionEmbedding
        : tf.slice(p.positionEmbedding, [maxLen - length, 0], [length, hidden]);
    let x = tf.add(tf.mul(tf.gather(p.itemEmbedding, tokens), Math.sqrt(hidden)), positions) as tf.Tensor3D;
    // the padding mask is applied by the dropout's kernel when it has one (one launch less each way)
    x = applyDropout(x, dropout, undefined, keepPositions) as tf.Tensor3D;
    // Each query sees only earlier, non-padding keys: one head has a fused op that masks as it
    // goes; the op-by-op form adds this bias [B, 1, L, L] (made once, on first use).
    let attentionBias: tf.Tensor | null = null;
    const biasOnce = () => {
      const paddingBias = tf.reshape(tf.mul(tf.sub(1, mask), maskedLogit), [batch, 1, 1, length]);
      return (attentionBias ??= tf.add(causalBias(length), paddingBias));
    };
    const attentionDropout =
      dropout && dropout.rate > 0
        ? { rate: dropout.rate, nextSeed: () => dropout.rng.nextSeed(), firstRow: dropout.firstRow }
        : null;
    for (let b = 0; b < blocks; b++) {
      const normed = layerNorm(
        x,
        p[`block${b}AttentionNormGain`],
        p[`block${b}AttentionNormShift`],
      ) as tf.Tensor3D;
      // Tried and dropped: the three as one product x·[Wq Wk Wv] split into column blocks (one
      // XNNPACK call each way instead of three); the split and join copies cost what the products
      // saved (docs/benchmarks.md, "SASRec's training step, structure").
      const projected = {
        queries: denseOverPositions(normed, p[`block${b}Query`], p[`block${b}QueryBias`]),
        keys: denseOverPositions(normed, p[`block${b}Key`], p[`block${b}KeyBias`]),
        values: denseOverPositions(normed, p[`block${b}Value`], p[`block${b}ValueBias`]),
      };
      const { queries, keys, values } = projected;
      const attended =
        (heads === 1
          ? fusedCausalAttention(queries, keys, values, mask, 1 / Math.sqrt(hidden), attentionDropout)
          : null) ?? attentionOpByOp(projected, biasOnce(), heads, dropout);
      x = applyDropout(attended, dropout, x) as tf.Tensor3D;

      const normedAgain = layerNorm(
        x,
        p[`block${b}FeedForwardNormGain`],
        p[`block${b}FeedForwardNormShift`],
      ) as tf.Tensor3D;
      const inner = applyDropout(
        tf.relu(
          denseOverPositions(normedAgain, p[`block${b}FeedForwardIn`], p[`block${b}FeedForwardInBias`]),
        ),
        dropout,
      ) as tf.Tensor3D;
      const feedForward = denseOverPositions(
        inner,
        p[`block${b}FeedForwardOut`],
        p[`block${b}FeedForwardOutBias`],
      );
      x = applyDropout(feedForward, dropout, x, keepPositions) as tf.Tensor3D;
    }
    return layerNorm(x, p.finalNormGain, p.finalNormShift) as tf.Tensor3D;
  }
}

export function createSasrec(config: Partial<SasrecConfig> = {}): SasrecRecommender {
  return new SasrecRecommender(config);
}
