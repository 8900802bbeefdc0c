// Hybrid matrix factorisation (BPR, or sampled softmax). An item's vector is its id
// embedding plus the mean of its feature embeddings (genres, tags, developer, price band),
// so an item nobody has interacted with still lands near items that share its features.
// Shoppers are not part of the shipped model: scoreAll folds the current shopper in from
// their history by a ridge solve on the trained item vectors, on the device, in plain JS.
import * as tf from '../tf';
import type { InteractionMatrix } from '../interactions';
import type { ModelSnapshot, ShopperState, TrainOptions } from '../recommender';
import { fitEpochs, type EpochSchedule } from '../train/loop';
import type { ParamSpecs } from '../train/params';
import { shuffleInPlace, type Rng } from '../random';
import { RowIndexer } from '../train/rows';
import { createPositiveLookup, interactionOwners, samplePairBatch, type PairBatch } from '../train/sampling';
import { sparseTrainStep, type StepParams } from '../train/step';
import { LearnedRecommender } from './learnedRecommender';
import { ridgeFit, scoreRows } from './linalg';

export type MfLoss = 'bpr' | 'sampledSoftmax';

export interface MfConfig {
  /** embedding size */
  dim: number;
  epochs: number;
  /** interactions per step */
  batchSize: number;
  /** Adam step size */
  learningRate: number;
  /** L2 penalty on the embedding rows each batch touches */
  l2: number;
  loss: MfLoss;
  /** negatives shared by the batch under 'sampledSoftmax' */
  sampledNegatives: number;
  /** standard deviation of the initial embeddings */
  initStd: number;
  /** ridge penalty when folding a shopper in; larger keeps short histories near the average taste */
  foldInL2: number;
  seed: number;
  /** CSR of item features: item i has featureIds[offsets[i] .. offsets[i+1]) */
  itemFeatureOffsets?: Uint32Array | Int32Array;
  itemFeatureIds?: Int32Array;
  featureCount: number;
}

export const defaultMfConfig: MfConfig = {
  dim: 64,
  epochs: 20,
  batchSize: 1024,
  learningRate: 0.005,
  l2: 1e-4,
  loss: 'bpr',
  sampledNegatives: 64,
  initStd: 0.05,
  foldInL2: 1,
  seed: 42,
  featureCount: 0,
};

/** Everything one step needs, indexed locally into the gathered rows. */
export interface MfBatch {
  rows: {
    userEmbedding: Int32Array;
    itemEmbedding: Int32Array;
    itemBias: Int32Array;
    featureEmbedding: Int32Array;
  };
  users: Int32Array;
  positives: Int32Array;
  /** one per positive for BPR; the shared negatives for sampled softmax */
  negatives: Int32Array;
  weights: Float32Array;
  /** features of the gathered items: featureLocal[j] belongs to gathered item featureOwner[j] */
  featureLocal: Int32Array;
  featureOwner: Int32Array;
  /** 1 / feature count per gathered item (0 for items without features) */
  inverseFeatureCounts: Float32Array;
  /** sampled softmax only: [batch × negatives], −1e9 where a negative is the row's own positive */
  accidentalHitMask?: Float32Array;
}

export function mfParamSpecs(config: MfConfig, userCount: number, itemCount: number): ParamSpecs {
  const specs: ParamSpecs = {
    userEmbedding: { shape: [userCount, config.dim], init: 'normal', std: config.initStd, sparse: true },
    itemEmbedding: { shape: [itemCount, config.dim], init: 'normal', std: config.initStd, sparse: true },
    itemBias: { shape: [itemCount, 1], init: 'zeros', sparse: true },
  };
  if (config.featureCount > 0) {
    specs.featureEmbedding = {
      shape: [config.featureCount, config.dim],
      init: 'normal',
      std: config.initStd,
      sparse: true,
    };
  }
  return specs;
}

export function prepareMfBatch(pairs: PairBatch, config: MfConfig, itemCount: number, rng: Rng): MfBatch {
  const userRows = new RowIndexer();
  const itemRows = new RowIndexer();
  const users = userRows.map(pairs.users);
  const positives = itemRows.map(pairs.positives);
  let negatives: Int32Array;
  let accidentalHitMask: Float32Array | undefined;
  if (config.loss === 'bpr') {
    negatives = itemRows.map(pairs.negatives);
  } else {
    const shared = Int32Array.from({ length: config.sampledNegatives }, () => rng.nextInt(itemCount));
    negatives = itemRows.map(shared);
    accidentalHitMask = new Float32Array(pairs.positives.length * shared.length);
    pairs.positives.forEach((positive, b) =>
      shared.forEach((negative, k) => {
        if (negative === positive) accidentalHitMask![b * shared.length + k] = -1e9;
      }),
    );
  }
  const gatheredItems = itemRows.rows();
  const featureRows = new RowIndexer();
  const featureLocal: number[] = [];
  const featureOwner: number[] = [];
  const inverseFeatureCounts = new Float32Array(gatheredItems.length);
  const offsets = config.itemFeatureOffsets;
  const ids = config.itemFeatureIds;
  if (config.featureCount > 0 && offsets && ids) {
    gatheredItems.forEach((item, local) => {
      const count = offsets[item + 1] - offsets[item];
      if (count > 0) inverseFeatureCounts[local] = 1 / count;
      for (let j = offsets[item]; j < offsets[item + 1]; j++) {
        featureLocal.push(featureRows.localOf(ids[j]));
        featureOwner.push(local);
      }
    });
  }
  return {
    rows: {
      userEmbedding: userRows.rows(),
      itemEmbedding: gatheredItems,
      itemBias: gatheredItems,
      featureEmbedding: featureRows.rows(),
    },
    users,
    positives,
    negatives,
    weights: pairs.weights,
    featureLocal: Int32Array.from(featureLocal),
    featureOwner: Int32Array.from(featureOwner),
    inverseFeatureCounts,
    accidentalHitMask,
  };
}

/** Mean batch loss (+ L2 on the gathered rows), with params holding gathered rows. */
export function mfBatchLoss(params: StepParams, batch: MfBatch, config: MfConfig): tf.Scalar {
  const gatheredItemCount = batch.rows.itemEmbedding.length;
  const userVectors = tf.gather(params.userEmbedding, batch.users);
  let itemVectors: tf.Tensor = params.itemEmbedding;
  if (params.featureEmbedding && batch.featureLocal.length > 0) {
    const featureSums = tf.unsortedSegmentSum(
      tf.gather(params.featureEmbedding, batch.featureLocal),
      tf.tensor1d(batch.featureOwner, 'int32'),
      gatheredItemCount,
    );
    itemVectors = tf.add(
      itemVectors,
      tf.mul(featureSums, tf.tensor2d(batch.inverseFeatureCounts, [gatheredItemCount, 1])),
    );
  }
  const bias = tf.reshape(params.itemBias, [-1]);
  const weights = tf.tensor1d(batch.weights);
  const positiveScores = tf.add(
    tf.sum(tf.mul(userVectors, tf.gather(itemVectors, batch.positives)), 1),
    tf.gather(bias, batch.positives),
  );
  let perExample: tf.Tensor;
  if (config.loss === 'bpr') {
    const negativeScores = tf.add(
      tf.sum(tf.mul(userVectors, tf.gather(itemVectors, batch.negatives)), 1),
      tf.gather(bias, batch.negatives),
    );
    perExample = tf.softplus(tf.sub(negativeScores, positiveScores)); // −log σ(pos − neg)
  } else {
    const negativeLogits = tf.add(
      tf.add(
        tf.matMul(userVectors, tf.gather(itemVectors, batch.negatives), false, true),
        tf.gather(bias, batch.negatives),
      ),
      tf.tensor2d(batch.accidentalHitMask!, [batch.users.length, batch.negatives.length]),
    );
    const logits = tf.concat([tf.expandDims(positiveScores, 1), negativeLogits], 1);
    perExample = tf.neg(tf.squeeze(tf.slice(tf.logSoftmax(logits), [0, 0], [-1, 1]), [1]));
  }
  const dataLoss = tf.div(tf.sum(tf.mul(perExample, weights)), tf.sum(weights));
  const squaredRows = Object.values(params).map((rows) => tf.sum(tf.square(rows)));
  const penalty = tf.mul(tf.addN(squaredRows), config.l2 / batch.users.length);
  return tf.add(dataLoss, penalty);
}

/** Item vectors on the host: id embedding + mean of feature embeddings. */
export function composeItemVectors(
  itemEmbedding: Float32Array,
  featureEmbedding: Float32Array | undefined,
  offsets: ArrayLike<number> | undefined,
  ids: ArrayLike<number> | undefined,
  dim: number,
): Float32Array {
  const vectors = Float32Array.from(itemEmbedding);
  if (!featureEmbedding || !offsets || !ids) return vectors;
  const itemCount = vectors.length / dim;
  for (let item = 0; item < itemCount; item++) {
    const count = offsets[item + 1] - offsets[item];
    for (let j = offsets[item]; j < offsets[item + 1]; j++) {
      const feature = ids[j];
      for (let k = 0; k < dim; k++) vectors[item * dim + k] += featureEmbedding[feature * dim + k] / count;
    }
  }
  return vectors;
}

interface MfWeights {
  itemEmbedding: Float32Array;
  itemBias: Float32Array;
  featureEmbedding?: Float32Array;
  /** average trained score of an observed interaction: the fold-in regression target */
  foldInTarget: number;
}

/**
 * MF's training schedule over one dataset: a fresh shuffle of the interactions each epoch (drawn
 * from that epoch's generator alone, so a resumed run sees the same order), then one sparse
 * BPR/softmax step per batch.
 */
export function mfStepper(data: InteractionMatrix, config: MfConfig): EpochSchedule {
  const owners = interactionOwners(data);
  const isPositive = createPositiveLookup(data);
  const order = new Uint32Array(data.items.length);
  return {
    stepsPerEpoch: Math.ceil(data.items.length / config.batchSize),
    interactionsPerEpoch: data.items.length,
    startEpoch: (rng) => {
      // from the identity, not from last epoch's order: an epoch must not depend on the one before
      for (let i = 0; i < order.length; i++) order[i] = i;
      shuffleInPlace(order, rng);
    },
    step(store, optimizer, rng, stepIndex) {
      const pairs = samplePairBatch(
        data,
        owners,
        order,
        stepIndex * config.batchSize,
        config.batchSize,
        rng,
        isPositive,
      );
      const batch = prepareMfBatch(pairs, config, data.itemCount, rng);
      return sparseTrainStep(store, optimizer, batch.rows, (params) => mfBatchLoss(params, batch, config));
    },
  };
}

export class MfRecommender extends LearnedRecommender {
  readonly name = 'mf' as const;
  private config: MfConfig;
  private weights: MfWeights | null = null;

  constructor(config: Partial<MfConfig> = {}) {
    super();
    this.config = { ...defaultMfConfig, ...config };
  }

  private validateFeatures(itemCount: number): void {
    const { itemFeatureOffsets: offsets, itemFeatureIds: ids, featureCount } = this.config;
    if (featureCount <= 0) return;
    if (!offsets || !ids || offsets.length !== itemCount + 1 || offsets[itemCount] !== ids.length) {
      throw new Error(
        'mf: itemFeatureOffsets must have itemCount + 1 entries ending at itemFeatureIds.length',
      );
    }
    if (ids.some((feature) => feature < 0 || feature >= featureCount)) {
      throw new Error('mf: itemFeatureIds must lie in [0, featureCount)');
    }
  }

  /** See TrainOptions: resumeFrom / onCheckpoint make the run resumable after any epoch. */
  async fit(data: InteractionMatrix, options: TrainOptions = {}): Promise<void> {
    const config = this.config;
    this.validateFeatures(data.itemCount);
    await fitEpochs(
      {
        specs: mfParamSpecs(config, data.userCount, data.itemCount),
        epochs: config.epochs,
        seed: config.seed,
        learningRate: config.learningRate,
        schedule: mfStepper(data, config),
        adopt: (trained) => {
          this.adopt({
            itemEmbedding: trained.itemEmbedding,
            itemBias: trained.itemBias,
            featureEmbedding: trained.featureEmbedding,
            foldInTarget: 0,
          });
          this.weights!.foldInTarget = this.meanObservedScore(data, trained.userEmbedding);
        },
      },
      this,
      options,
    );
  }

  private adopt(weights: MfWeights): void {
    const { dim, itemFeatureOffsets, itemFeatureIds } = this.config;
    this.weights = weights;
    this.setItemVectors(
      composeItemVectors(
        weights.itemEmbedding,
        weights.featureEmbedding,
        itemFeatureOffsets,
        itemFeatureIds,
        dim,
      ),
      dim,
    );
  }

  private meanObservedScore(data: InteractionMatrix, userEmbedding: Float32Array): number {
    const vectors = this.requireItemVectors();
    const bias = this.weights!.itemBias;
    const dim = this.config.dim;
    let total = 0;
    for (let user = 0; user < data.userCount; user++) {
      for (let j = data.userOffsets[user]; j < data.userOffsets[user + 1]; j++) {
        const item = data.items[j];
        let score = bias[item];
        for (let k = 0; k < dim; k++) score += userEmbedding[user * dim + k] * vectors[item * dim + k];
        total += score;
      }
    }
    return data.items.length > 0 ? total / data.items.length : 1;
  }

  /**
   * Fold the shopper in: the user vector u that best reproduces the typical trained score on
   * their history, argmin Σ w (u·v_h + b_h − τ)² + λ‖u‖²; then score every item. With no
   * history this is the item biases (a popularity prior).
   */
  scoreAll(state: ShopperState): Float32Array {
    const vectors = this.requireItemVectors();
    const { itemBias: bias, foldInTarget } = this.weights!;
    const rows: number[] = [];
    const targets: number[] = [];
    const weights: number[] = [];
    state.history.forEach((item, i) => {
      if (!(Number.isInteger(item) && item >= 0 && item < this.itemCount)) return;
      rows.push(item);
      targets.push(foldInTarget - bias[item]);
      weights.push(state.weights?.[i] ?? 1);
    });
    if (rows.length === 0) return Float32Array.from(bias);
    const user = ridgeFit(vectors, this.vectorDim, rows, targets, weights, this.config.foldInL2);
    return scoreRows(vectors, this.vectorDim, user, bias);
  }

  save(): ModelSnapshot {
    const weights = this.weights;
    if (!weights) throw new Error('mf: nothing to save before fit/load');
    const { itemFeatureOffsets, itemFeatureIds, ...plainConfig } = this.config;
    const arrays: ModelSnapshot['arrays'] = {
      itemEmbedding: Float32Array.from(weights.itemEmbedding),
      itemBias: Float32Array.from(weights.itemBias),
    };
    if (weights.featureEmbedding) arrays.featureEmbedding = Float32Array.from(weights.featureEmbedding);
    if (itemFeatureOffsets) arrays.itemFeatureOffsets = Uint32Array.from(itemFeatureOffsets);
    if (itemFeatureIds) arrays.itemFeatureIds = Int32Array.from(itemFeatureIds);
    return { name: 'mf', config: { ...plainConfig, foldInTarget: weights.foldInTarget }, arrays };
  }

  load(snapshot: ModelSnapshot): void {
    if (snapshot.name !== 'mf') throw new Error(`mf: cannot load a "${snapshot.name}" snapshot`);
    const { foldInTarget, ...plainConfig } = snapshot.config as Partial<MfConfig> & { foldInTarget: number };
    const { arrays } = snapshot;
    this.config = {
      ...defaultMfConfig,
      ...plainConfig,
      itemFeatureOffsets: arrays.itemFeatureOffsets as Uint32Array | undefined,
      itemFeatureIds: arrays.itemFeatureIds as Int32Array | undefined,
    };
    this.adopt({
      itemEmbedding: Float32Array.from(arrays.itemEmbedding),
      itemBias: Float32Array.from(arrays.itemBias),
      featureEmbedding: arrays.featureEmbedding ? Float32Array.from(arrays.featureEmbedding) : undefined,
      foldInTarget,
    });
  }

  override dispose(): void {
    super.dispose();
    this.weights = null;
  }
}

export function createMf(config: Partial<MfConfig> = {}): MfRecommender {
  return new MfRecommender(config);
}
