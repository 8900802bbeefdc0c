// What one training step of a next-item model (SASRec, GRU4Rec) computes, apart from the model's own
// encoder: the settings every sequence model shares, the batch with its tokens mapped to gathered
// item rows, dropout, and the three next-item losses. The train/score/save cycle is sequential.ts.
import * as tf from '../tf';
import type { Rng } from '../random';
import { RowIndexer } from '../train/rows';
import type { SequenceBatch } from '../train/sampling';
import type { StepParams } from '../train/step';
import { fullSoftmaxCrossEntropy } from './chunkedSoftmax';
import { accidentalHitMask, drawSharedNegatives, sampledSoftmaxCrossEntropy } from './sampledSoftmax';
import { fusedSampledBce } from '../kernels/sampledBce';
import { fusedDropout } from '../kernels/dropout';
import { maskedDropout } from '../kernels/dropoutMask';

/**
 * 'bce': one sampled negative per position, binary cross-entropy (SASRec's original loss; cost
 * independent of catalogue size). 'softmax': full cross-entropy over every item (better ranking
 * on small catalogues, but [positions × items] logits and a dense update of the item table).
 * 'sampledSoftmax': cross-entropy over the target and `sampledNegatives` items drawn uniformly
 * per batch and shared by all its positions (./sampledSoftmax.ts): the softmax's ranking signal at
 * a cost set by the negatives, not the catalogue, with a sparse update of the item table.
 */
export const sequenceLosses = ['bce', 'softmax', 'sampledSoftmax'] as const;
export type SequenceLoss = (typeof sequenceLosses)[number];

/** Refuses a loss the models do not have (a config's typo would otherwise pick a branch silently). */
export function checkSequenceLoss(model: string, loss: string): asserts loss is SequenceLoss {
  if (!(sequenceLosses as readonly string[]).includes(loss)) {
    throw new RangeError(`${model}: unknown loss "${loss}" (losses: ${sequenceLosses.join(', ')})`);
  }
}

export interface SequentialConfig {
  /** how many recent items the model reads */
  maxLen: number;
  /** embedding and hidden size (input and output item embeddings are shared) */
  hidden: number;
  epochs: number;
  /** users (sequences) per step */
  batchSize: number;
  learningRate: number;
  dropout: number;
  loss: SequenceLoss;
  /** 'sampledSoftmax' only: negatives drawn per batch, shared by all its positions */
  sampledNegatives: number;
  /** L2 penalty on the item embedding rows a batch touches */
  l2: number;
  initStd: number;
  seed: number;
  /**
   * Batch users with windows of similar length and leave out the padding columns (see
   * planSequenceBatches, sampleSequenceBatch): the same model and loss, far less work on short
   * histories. false gives uniformly random batches at full maxLen width.
   */
  batchByLength: boolean;
}

/** Dropout during training: a rate and a seeded source of per-call seeds. */
export interface DropoutPlan {
  rate: number;
  rng: Rng;
  /**
   * Where this batch's first row sits in the whole batch its masks are drawn for (default 0): a
   * data-parallel replica computing rows firstRow… of a step's batch draws exactly those rows'
   * entries of the whole batch's masks (dropoutMask.ts's dropoutMaskOf, ml/train/dataParallel.ts).
   */
  firstRow?: number;
}

/** The mask entry x's first entry is, for a batch-major x whose rows start at plan.firstRow. */
function firstEntryOf(x: tf.Tensor, dropout: DropoutPlan): number {
  const firstRow = dropout.firstRow ?? 0;
  return firstRow === 0 ? 0 : firstRow * (x.size / x.shape[0]!);
}

/**
 * x dropped out (during training), plus `residual` (same shape) when given, then times `rowScale`
 * ([..., 1]: SASRec's padding mask) when given. The mask is the counter-based one of
 * dropoutMask.ts, fused or not, so both forms train alike from one seed.
 */
export function applyDropout(
  x: tf.Tensor,
  dropout: DropoutPlan | null,
  residual?: tf.Tensor,
  rowScale?: tf.Tensor,
): tf.Tensor {
  const scaled = (t: tf.Tensor) => (rowScale ? tf.mul(t, rowScale) : t);
  if (!dropout || dropout.rate <= 0) return scaled(residual ? tf.add(residual, x) : x);
  const nextSeed = () => dropout.rng.nextSeed();
  const firstEntry = firstEntryOf(x, dropout);
  const fused = fusedDropout(x, dropout.rate, nextSeed, residual, rowScale, firstEntry);
  if (fused) return fused;
  const dropped = maskedDropout(x, dropout.rate, nextSeed(), firstEntry);
  return scaled(residual ? tf.add(residual, dropped) : dropped);
}

/** A sequence batch with item tokens mapped to local rows of the gathered item table. */
export interface PreparedSequenceBatch {
  rows: { itemEmbedding: Int32Array };
  batchSize: number;
  /** columns per row (≤ the model's maxLen) */
  columns: number;
  inputs: Int32Array;
  targets: Int32Array;
  negatives: Int32Array;
  /** 1 where the input is a real item (not padding) */
  inputMask: Float32Array;
  targetWeights: Float32Array;
  /** softmax only: the cells with a target, and each one's item id (token − 1) */
  targetCells: Int32Array;
  targetItems: Int32Array;
  /**
   * sampled-softmax only: the batch's shared negatives (local rows) and the accidental-hit mask
   * [targetCells × negatives] (see ./sampledSoftmax.ts)
   */
  sharedNegatives?: { rows: Int32Array; hitMask: Float32Array };
}

/** How a sampled-softmax batch draws its shared negatives. */
export interface SharedNegativeSampling {
  count: number;
  rng: Rng;
}

export function prepareSequenceBatch(
  batch: SequenceBatch,
  loss: SequenceLoss,
  itemCount: number,
  sampling?: SharedNegativeSampling,
): PreparedSequenceBatch {
  const rows = new RowIndexer();
  // The full softmax scores every item, so it gathers the whole table in token order
  // (local row == token); BCE and the sampled softmax gather only the tokens this batch mentions.
  if (loss === 'softmax') for (let token = 0; token <= itemCount; token++) rows.localOf(token);
  const targetCells: number[] = [];
  batch.targetWeights.forEach((weight, cell) => {
    if (weight > 0) targetCells.push(cell);
  });
  const inputs = rows.map(batch.inputs);
  const targets = rows.map(batch.targets);
  let sharedNegatives: PreparedSequenceBatch['sharedNegatives'];
  if (loss === 'sampledSoftmax') {
    if (!sampling) throw new Error("the sampled softmax needs its negatives' count and generator");
    const negativeRows = rows.map(
      drawSharedNegatives(sampling.count, itemCount, sampling.rng).map((item) => item + 1),
    );
    const cellTargets = Int32Array.from(targetCells, (cell) => targets[cell]);
    sharedNegatives = { rows: negativeRows, hitMask: accidentalHitMask(cellTargets, negativeRows) };
  }
  return {
    batchSize: batch.batchSize,
    columns: batch.columns,
    inputs,
    targets,
    // the per-position negatives are BCE's alone; gathering them for another loss would only
    // add untouched rows to the sparse update
    negatives: loss === 'bce' ? rows.map(batch.negatives) : new Int32Array(0),
    inputMask: Float32Array.from(batch.inputs, (token) => (token > 0 ? 1 : 0)),
    targetWeights: batch.targetWeights,
    targetCells: Int32Array.from(targetCells),
    targetItems: Int32Array.from(targetCells, (cell) => batch.targets[cell] - 1),
    rows: { itemEmbedding: rows.rows() },
    ...(sharedNegatives ? { sharedNegatives } : {}),
  };
}

/**
 * tokens [B, L] (local rows of params.itemEmbedding) and mask [B, L] -> hidden states [B, L, hidden].
 * L ≤ maxLen: a trimmed batch keeps the most recent columns, so column L − 1 is always the latest.
 */
export type SequenceEncoder = (
  params: StepParams,
  tokens: tf.Tensor2D,
  mask: tf.Tensor2D,
  dropout: DropoutPlan | null,
) => tf.Tensor3D;

export function sequenceBatchLoss(
  encode: SequenceEncoder,
  params: StepParams,
  batch: PreparedSequenceBatch,
  config: Pick<SequentialConfig, 'loss' | 'l2'>,
  dropout: DropoutPlan | null,
): tf.Scalar {
  return nextItemLoss(encodeBatch(encode, params, batch, dropout), params, batch, config);
}

/** The hidden states [B, L, hidden] of a batch's input tokens, as `encode` reads them. */
export function encodeBatch(
  encode: SequenceEncoder,
  params: StepParams,
  batch: PreparedSequenceBatch,
  dropout: DropoutPlan | null,
): tf.Tensor3D {
  const { batchSize, columns } = batch;
  return encode(
    params,
    tf.tensor2d(batch.inputs, [batchSize, columns], 'int32'),
    tf.tensor2d(batch.inputMask, [batchSize, columns]),
    dropout,
  );
}

/** The next-item loss (plus the L2 penalty) of a batch's hidden states [B, L, hidden]. */
export function nextItemLoss(
  hidden: tf.Tensor3D,
  params: StepParams,
  batch: PreparedSequenceBatch,
  config: Pick<SequentialConfig, 'loss' | 'l2'>,
): tf.Scalar {
  const { batchSize, columns } = batch;
  const itemRows = params.itemEmbedding;
  const hiddenSize = itemRows.shape[1]!;
  const flatHidden = tf.reshape(hidden, [batchSize * columns, hiddenSize]);
  let dataLoss: tf.Scalar;
  const fusedBce =
    config.loss === 'bce'
      ? fusedSampledBce(
          flatHidden as tf.Tensor2D,
          itemRows as tf.Tensor2D,
          batch.targets,
          batch.negatives,
          batch.targetWeights,
        )
      : null;
  if (fusedBce) {
    dataLoss = fusedBce;
  } else if (config.loss === 'bce') {
    const positiveScores = tf.sum(tf.mul(flatHidden, tf.gather(itemRows, batch.targets)), 1);
    const negativeScores = tf.sum(tf.mul(flatHidden, tf.gather(itemRows, batch.negatives)), 1);
    // −log σ(pos) − log(1 − σ(neg)), written with softplus for numerical stability
    const perCell = tf.add(tf.softplus(tf.neg(positiveScores)), tf.softplus(negativeScores));
    const weights = tf.tensor1d(batch.targetWeights);
    dataLoss = tf.div(tf.sum(tf.mul(perCell, weights)), tf.sum(weights));
  } else {
    const cellHidden = tf.gather(flatHidden, batch.targetCells) as tf.Tensor2D;
    let perCell: tf.Tensor1D;
    if (config.loss === 'sampledSoftmax') {
      const shared = batch.sharedNegatives;
      if (!shared) throw new Error('a sampled-softmax batch without its shared negatives');
      const cellTargets = Int32Array.from(batch.targetCells, (cell) => batch.targets[cell]);
      perCell = sampledSoftmaxCrossEntropy(
        cellHidden,
        tf.gather(itemRows, cellTargets) as tf.Tensor2D,
        tf.gather(itemRows, shared.rows) as tf.Tensor2D,
        shared.hitMask,
      );
    } else {
      const itemCount = itemRows.shape[0]! - 1;
      const itemTable = tf.slice(itemRows, [1, 0], [itemCount, hiddenSize]) as tf.Tensor2D; // skip the padding row
      perCell = fullSoftmaxCrossEntropy(cellHidden, itemTable, batch.targetItems);
    }
    const weights = tf.tensor1d(Float32Array.from(batch.targetCells, (cell) => batch.targetWeights[cell]));
    dataLoss = tf.div(tf.sum(tf.mul(perCell, weights)), tf.sum(weights)) as tf.Scalar;
  }
  if (config.l2 <= 0) return dataLoss;
  return tf.add(dataLoss, tf.mul(tf.sum(tf.square(itemRows)), config.l2 / batchSize));
}
