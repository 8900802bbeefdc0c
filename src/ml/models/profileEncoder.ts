// The learned shopper profile: the GRU sequence model (gru.ts) with two more heads on its hidden
// state, trained together. Besides the next item, each position predicts the genre mix of the
// next item (one sigmoid per genre: a game has several) and its price band (a softmax). The final
// hidden state is the shopper's profile embedding; the heads read it as predicted attributes
// ("likely to enjoy Simulation") that a counted profile cannot give for genres never looked at.
import * as tf from '../tf';
import type { InteractionMatrix } from '../interactions';
import type { ModelSnapshot, TrainOptions } from '../recommender';
import type { ParamSpecs } from '../train/params';
import type { Rng } from '../random';
import type { SequenceBatch } from '../train/sampling';
import type { StepParams } from '../train/step';
import { defaultGruConfig, encodeGru, gruParamSpecs } from './gru';
import { readProfileHeads, type ProfileEncoding } from './profileHeads';
import { logSumExpRows } from './chunkedSoftmax';
import { SequentialRecommender } from './sequential';
import {
  encodeBatch,
  nextItemLoss,
  prepareSequenceBatch,
  type DropoutPlan,
  type SequenceEncoder,
  type PreparedSequenceBatch,
  type SequentialConfig,
} from './sequenceStep';

export type { ProfileEncoding } from './profileHeads';

/** What the encoder knows of each item: its genres (a CSR) and its price band. */
export interface ItemAttributeTargets {
  genreCount: number;
  /** [itemCount + 1]: item i's genres are itemGenreIds[offsets[i], offsets[i + 1]) */
  itemGenreOffsets?: Uint32Array;
  /** genre ids in [0, genreCount) */
  itemGenreIds?: Int32Array;
  priceBandCount: number;
  /** [itemCount]: each item's band in [0, priceBandCount), or −1 when its price is unknown */
  itemPriceBands?: Int32Array;
}

export interface ProfileEncoderConfig extends SequentialConfig, ItemAttributeTargets {
  /** α: weight of the genre-mix loss (mean binary cross-entropy over genres) */
  genreLossWeight: number;
  /** β: weight of the price-band loss (cross-entropy over bands) */
  priceBandLossWeight: number;
}

/**
 * α = 1 and β = 0.5 put the auxiliary losses on the scale of the next-item loss at the start
 * (BCE: 2·ln 2 ≈ 1.4; the genre term ln 2 ≈ 0.7; the band term ln 6 ≈ 1.8 for six bands, halved),
 * so they shape the hidden state without drowning out what ranks items.
 */
export const defaultProfileEncoderConfig: ProfileEncoderConfig = {
  ...defaultGruConfig,
  genreLossWeight: 1,
  priceBandLossWeight: 0.5,
  genreCount: 0,
  priceBandCount: 0,
};

/** The typed-array fields: training inputs, not part of a snapshot's (JSON) config. */
const attributeArrayNames = ['itemGenreOffsets', 'itemGenreIds', 'itemPriceBands'] as const;

/** A sequence batch plus, for each target cell (PreparedSequenceBatch.targetCells), its attributes. */
export interface ProfileBatch extends PreparedSequenceBatch {
  /** [cells × genreCount] 1 where the target item has the genre */
  genreTargets: Float32Array;
  /** [cells] the cell's target weight, 0 when its item has no known genre */
  genreWeights: Float32Array;
  /** [cells × priceBandCount] one-hot of the target item's band */
  priceBandTargets: Float32Array;
  /** [cells] the cell's target weight, 0 when its item's price is unknown */
  priceBandWeights: Float32Array;
}

/** Attach the attribute targets of each target cell's item (pure; exported for the tests). */
export function profileBatch(
  prepared: PreparedSequenceBatch,
  attributes: ItemAttributeTargets,
): ProfileBatch {
  const cells = prepared.targetCells.length;
  const { genreCount, priceBandCount } = attributes;
  const genreTargets = new Float32Array(cells * genreCount);
  const genreWeights = new Float32Array(cells);
  const priceBandTargets = new Float32Array(cells * priceBandCount);
  const priceBandWeights = new Float32Array(cells);
  const offsets = attributes.itemGenreOffsets;
  const ids = attributes.itemGenreIds;
  const bands = attributes.itemPriceBands;
  for (let c = 0; c < cells; c++) {
    const item = prepared.targetItems[c];
    const weight = prepared.targetWeights[prepared.targetCells[c]];
    if (genreCount > 0 && offsets && ids && offsets[item + 1] > offsets[item]) {
      for (let j = offsets[item]; j < offsets[item + 1]; j++) genreTargets[c * genreCount + ids[j]] = 1;
      genreWeights[c] = weight;
    }
    const band = bands ? bands[item] : -1;
    if (priceBandCount > 0 && band >= 0) {
      priceBandTargets[c * priceBandCount + band] = 1;
      priceBandWeights[c] = weight;
    }
  }
  return { ...prepared, genreTargets, genreWeights, priceBandTargets, priceBandWeights };
}

/** hidden [cells, d] · weights [d, k] + bias: one head's logits. */
export function headLogits(hidden: tf.Tensor2D, weights: tf.Tensor, bias: tf.Tensor): tf.Tensor2D {
  return tf.add(tf.matMul(hidden, weights as tf.Tensor2D), bias) as tf.Tensor2D;
}

/** Σ_cells w · mean_g BCE(σ(logit), y) / Σ w, with BCE from logits: softplus(x) − y·x. */
export function genreMixLoss(logits: tf.Tensor2D, targets: tf.Tensor2D, weights: Float32Array): tf.Scalar {
  const perCell = tf.mean(tf.sub(tf.softplus(logits), tf.mul(targets, logits)), 1);
  return weightedMean(perCell, weights);
}

/** Σ_cells w · (logSumExp(logits) − logit of the band) / Σ w. */
export function priceBandLoss(logits: tf.Tensor2D, oneHot: tf.Tensor2D, weights: Float32Array): tf.Scalar {
  const perCell = tf.sub(logSumExpRows(logits), tf.sum(tf.mul(logits, oneHot), 1));
  return weightedMean(perCell, weights);
}

function weightedMean(perCell: tf.Tensor, weights: Float32Array): tf.Scalar {
  const total = weights.reduce((sum, weight) => sum + weight, 0);
  return tf.div(tf.sum(tf.mul(perCell, tf.tensor1d(weights))), total) as tf.Scalar;
}

/**
 * A zero that depends on a head's parameters: a batch without targets for that head (or a weight
 * of 0) must still give them a gradient, zero, because tfjs refuses a parameter the loss ignores.
 */
function unusedHead(weights: tf.Tensor, bias: tf.Tensor): tf.Scalar {
  return tf.mul(tf.add(tf.sum(weights), tf.sum(bias)), 0);
}

function hasWeight(weights: Float32Array): boolean {
  return weights.some((weight) => weight > 0);
}

/** Each head's loss; its parameters, targets and settings are all named after it (genreWeights, …). */
const headLosses = { genre: genreMixLoss, priceBand: priceBandLoss };
type ProfileHead = keyof typeof headLosses;
// genre first: the order the terms are added in, as the loss has always summed them
const profileHeads: readonly ProfileHead[] = ['genre', 'priceBand'];

/**
 * One head's term of the loss, its weight (α or β) times its loss over the batch's target cells; a
 * zero that still touches its parameters when the weight is 0 or no cell has a target for it.
 */
function headTerm(
  head: ProfileHead,
  cellHidden: tf.Tensor2D,
  params: StepParams,
  batch: ProfileBatch,
  config: ProfileEncoderConfig,
): tf.Scalar {
  const weights = params[`${head}Weights`];
  const bias = params[`${head}Bias`];
  const cellWeights = batch[`${head}Weights`];
  const lossWeight = config[`${head}LossWeight`];
  if (!(lossWeight > 0 && hasWeight(cellWeights))) return unusedHead(weights, bias);
  const logits = headLogits(cellHidden, weights, bias);
  const targets = tf.tensor2d(batch[`${head}Targets`], [cellHidden.shape[0], config[`${head}Count`]]);
  return tf.mul(headLosses[head](logits, targets, cellWeights), lossWeight);
}

export class ProfileEncoder extends SequentialRecommender<ProfileEncoderConfig> {
  constructor(config: Partial<ProfileEncoderConfig> = {}) {
    super('profileEncoder', defaultProfileEncoderConfig, config);
  }

  paramSpecs(itemCount: number): ParamSpecs {
    const { hidden, initStd } = this.config;
    const specs = gruParamSpecs(itemCount, hidden, initStd);
    for (const head of profileHeads) {
      const count = this.config[`${head}Count`];
      if (count === 0) continue;
      specs[`${head}Weights`] = { shape: [hidden, count], init: 'glorot' };
      specs[`${head}Bias`] = { shape: [count], init: 'zeros' };
    }
    return specs;
  }

  protected encodeSequence(...args: Parameters<SequenceEncoder>): tf.Tensor3D {
    return encodeGru(...args);
  }

  protected override prepareBatch(batch: SequenceBatch, itemCount: number, rng: Rng): ProfileBatch {
    const sampling = { count: this.config.sampledNegatives, rng };
    return profileBatch(prepareSequenceBatch(batch, this.config.loss, itemCount, sampling), this.config);
  }

  /** next-item loss + α · genre-mix loss + β · price-band loss (a head without targets adds 0). */
  override batchLoss(params: StepParams, batch: ProfileBatch, dropout: DropoutPlan | null): tf.Scalar {
    const { batchSize, columns } = batch;
    const hidden = encodeBatch(encodeGru, params, batch, dropout);
    let loss = nextItemLoss(hidden, params, batch, this.config);
    const hiddenSize = hidden.shape[2];
    const cellHidden = tf.gather(
      tf.reshape(hidden, [batchSize * columns, hiddenSize]),
      batch.targetCells,
    ) as tf.Tensor2D;
    for (const head of profileHeads) {
      if (this.config[`${head}Count`] > 0)
        loss = tf.add(loss, headTerm(head, cellHidden, params, batch, this.config));
    }
    return loss;
  }

  override async fit(data: InteractionMatrix, options: TrainOptions = {}): Promise<void> {
    this.checkAttributes(data.itemCount);
    await super.fit(data, options);
  }

  /**
   * The shopper's profile: the hidden state after their history (the embedding, what the
   * next-item scores are dot products with), the predicted probability of each genre in what
   * they do next, and the predicted distribution of its price band. An empty history gives the
   * zero state, whose heads read as what the model expects of anyone (their biases).
   */
  encode(history: readonly number[]): ProfileEncoding {
    const embedding = this.finalHiddenState(history); // throws before fit/load
    return readProfileHeads(this.trainedParams()!, this.config, embedding);
  }

  override save(): ModelSnapshot {
    const snapshot = super.save();
    for (const name of attributeArrayNames) delete snapshot.config[name];
    return snapshot;
  }

  /** A snapshot holds no item attributes: the ones this model was made with are kept, for a later fit. */
  override load(snapshot: ModelSnapshot): void {
    const kept = Object.fromEntries(attributeArrayNames.map((name) => [name, this.config[name]]));
    super.load(snapshot);
    Object.assign(this.config, kept);
  }

  private checkAttributes(itemCount: number): void {
    const { genreCount, itemGenreOffsets: offsets, itemGenreIds: ids } = this.config;
    if (genreCount > 0) {
      if (!offsets || !ids || offsets.length !== itemCount + 1 || offsets[itemCount] !== ids.length)
        throw new Error(
          'profileEncoder: itemGenreOffsets must have itemCount + 1 entries ending at itemGenreIds.length',
        );
      if (ids.some((genre) => genre < 0 || genre >= genreCount))
        throw new Error('profileEncoder: itemGenreIds must lie in [0, genreCount)');
    }
    const { priceBandCount, itemPriceBands: bands } = this.config;
    if (priceBandCount > 0) {
      if (!bands || bands.length !== itemCount)
        throw new Error('profileEncoder: itemPriceBands must have one entry per item');
      if (bands.some((band) => band < -1 || band >= priceBandCount))
        throw new Error('profileEncoder: itemPriceBands must lie in [0, priceBandCount) or be −1');
    }
  }
}

export function createProfileEncoder(config: Partial<ProfileEncoderConfig> = {}): ProfileEncoder {
  return new ProfileEncoder(config);
}
