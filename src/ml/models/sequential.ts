// Shared machinery of the next-item models (SASRec, GRU4Rec): batching of left-padded
// windows, the two training losses, the train/score/save cycle. A concrete model only
// declares its parameters and how it encodes a token sequence into one vector per position.
import * as tf from '../tf';
import type { InteractionMatrix } from '../interactions';
import type { ModelName, ModelSnapshot, ShopperState, TrainOptions } from '../recommender';
import { fitEpochs, type EpochSchedule } from '../train/loop';
import { canReadSynchronously, onCpuBackend } from '../train/hostBackend';
import { checkParamArrays, type ParamSpecs } from '../train/params';
import type { Rng } from '../random';
import { RowIndexer } from '../train/rows';
import {
  createPositiveLookup,
  historyTokens,
  planSequenceBatches,
  sampleSequenceBatch,
  sequenceSteps,
  sequenceTrainableUsers,
  trimmedColumns,
  type SequenceBatch,
} from '../train/sampling';
import { sparseTrainStep, type StepParams } from '../train/step';
import { LearnedRecommender } from './learnedRecommender';
import { scoreRows } from './linalg';
import { fullSoftmaxCrossEntropy, scoreAgainstTable } from './chunkedSoftmax';
import { accidentalHitMask, drawSharedNegatives, sampledSoftmaxCrossEntropy } from './sampledSoftmax';
import { fusedLayerNorm } from '../kernels/layerNorm';
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
  const fused = fusedDropout(x, dropout.rate, nextSeed, residual, rowScale);
  if (fused) return fused;
  const dropped = maskedDropout(x, dropout.rate, nextSeed());
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

/** Parameters as tensors on the backend scoring runs on, built from the host copy. */
interface ScoringTensors {
  backend: string;
  params: StepParams;
}

export abstract class SequentialRecommender<C extends SequentialConfig> extends LearnedRecommender {
  protected config: C;
  /**
   * The trained parameters on the host: what save() returns and what scoring tensors are built
   * from. Reading them back once, asynchronously, is what makes the model correct on webgpu.
   */
  private hostParams: Record<string, Float32Array> | null = null;
  private scoringTensors: ScoringTensors | null = null;

  protected constructor(
    readonly name: ModelName,
    private readonly defaultConfig: C,
    config: Partial<C>,
  ) {
    super();
    this.config = { ...defaultConfig, ...config };
    checkSequenceLoss(name, this.config.loss);
  }

  /**
   * The parameters this model trains for a catalogue of itemCount items, by name: what fit()
   * initialises, a snapshot restores and a gradient check perturbs. Must include
   * itemEmbedding [itemCount + 1, hidden].
   */
  abstract paramSpecs(itemCount: number): ParamSpecs;
  /** See SequenceEncoder. */
  protected abstract encodeSequence(
    params: StepParams,
    tokens: tf.Tensor2D,
    mask: tf.Tensor2D,
    dropout: DropoutPlan | null,
  ): tf.Tensor3D;

  /**
   * A sampled batch in the form batchLoss reads (a model with more targets adds them here); the
   * sampled softmax draws its shared negatives from `rng`, the step's generator.
   */
  protected prepareBatch(batch: SequenceBatch, itemCount: number, rng: Rng): PreparedSequenceBatch {
    return prepareSequenceBatch(batch, this.config.loss, itemCount, {
      count: this.config.sampledNegatives,
      rng,
    });
  }

  /** Loss of one prepared batch; also what the gradient checks differentiate. */
  batchLoss(params: StepParams, batch: PreparedSequenceBatch, dropout: DropoutPlan | null): tf.Scalar {
    return sequenceBatchLoss((...args) => this.encodeSequence(...args), params, batch, this.config, dropout);
  }

  /**
   * The training schedule over one dataset: a shuffled user order each epoch, then one sparse
   * step per batch of user windows, dropout masks drawn from the epoch's generator. fit() drives
   * it (through fitEpochs). interactionsPerEpoch counts target positions: each user's items after
   * the first.
   */
  stepper(data: InteractionMatrix): EpochSchedule {
    const config = this.config;
    const users = sequenceTrainableUsers(data);
    const isPositive = createPositiveLookup(data);
    const stepsOf = (user: number) => sequenceSteps(data, user, config.maxLen);
    let batches: Int32Array[] = [];
    return {
      stepsPerEpoch: Math.ceil(users.length / config.batchSize),
      interactionsPerEpoch: users.reduce(
        (sum, u) => sum + data.userOffsets[u + 1] - data.userOffsets[u] - 1,
        0,
      ),
      startEpoch: (rng) => {
        batches = planSequenceBatches(users, stepsOf, config.batchSize, rng, config.batchByLength);
      },
      step: (store, optimizer, rng, stepIndex) => {
        const batchUsers = batches[stepIndex];
        if (!batchUsers) throw new RangeError(`step ${stepIndex} before startEpoch or past the epoch's end`);
        const batch = this.prepareBatch(
          sampleSequenceBatch(data, batchUsers, config.maxLen, rng, isPositive, {
            trimPadding: config.batchByLength,
          }),
          data.itemCount,
          rng,
        );
        return sparseTrainStep(store, optimizer, batch.rows, (params) =>
          this.batchLoss(params, batch, { rate: config.dropout, rng }),
        );
      },
    };
  }

  /**
   * See TrainOptions: resumeFrom / onCheckpoint make the run resumable after any epoch. Each
   * epoch's batches and dropout masks come from that epoch's own seeded generator.
   */
  async fit(data: InteractionMatrix, options: TrainOptions = {}): Promise<void> {
    const config = this.config;
    await fitEpochs(
      {
        specs: this.paramSpecs(data.itemCount),
        epochs: config.epochs,
        seed: config.seed,
        learningRate: config.learningRate,
        schedule: this.stepper(data),
        adopt: (params) => this.adopt(params, data.itemCount),
      },
      this,
      options,
    );
  }

  private adopt(arrays: Record<string, Float32Array>, itemCount: number): void {
    checkParamArrays(this.paramSpecs(itemCount), arrays);
    this.releaseScoringTensors();
    this.hostParams = arrays;
    // row 0 is padding; item i is row i + 1
    this.setItemVectors(
      Float32Array.from(
        arrays.itemEmbedding.subarray(this.config.hidden, (itemCount + 1) * this.config.hidden),
      ),
      this.config.hidden,
    );
    this.scoringParams(); // now, so scoring itself allocates nothing that outlives it
  }

  /** The backend one-sequence scoring runs on: the active one, unless it cannot read synchronously. */
  private static scoringBackend(): string {
    return canReadSynchronously() ? tf.getBackend() : 'cpu';
  }

  /** Scoring tensors made from the host copy on the scoring backend (at adopt; again if it changed). */
  private scoringParams(): StepParams {
    const backend = SequentialRecommender.scoringBackend();
    if (this.scoringTensors?.backend !== backend) {
      this.releaseScoringTensors();
      const specs = this.paramSpecs(this.itemCount);
      const make = (): StepParams => {
        const params: StepParams = {};
        for (const [name, values] of Object.entries(this.hostParams!)) {
          params[name] = tf.tensor(values, specs[name].shape, 'float32');
        }
        return params;
      };
      this.scoringTensors = { backend, params: backend === tf.getBackend() ? make() : onCpuBackend(make) };
    }
    return this.scoringTensors.params;
  }

  private releaseScoringTensors(): void {
    if (this.scoringTensors) tf.dispose(Object.values(this.scoringTensors.params));
    this.scoringTensors = null;
  }

  /** Hidden state after the last maxLen items of the history, scored against every item.
   * History weights are not used: order is the signal here. An empty history scores all items 0.
   * Where the backend cannot read back synchronously (webgpu), the one-sequence forward pass
   * runs on the cpu backend instead: it is small, and scoreAll must return synchronously. */
  scoreAll(state: ShopperState): Float32Array {
    const vectors = this.requireItemVectors();
    const { maxLen, hidden } = this.config;
    const tokens = historyTokens(state.history, maxLen, this.itemCount);
    if (tokens[maxLen - 1] === 0) return new Float32Array(this.itemCount);
    return scoreRows(vectors, hidden, this.finalHiddenState(state.history));
  }

  /**
   * The hidden state after the last maxLen items of the history, [hidden] (zeros when no item is
   * known: the state before any input). Runs on the scoring backend, like scoreAll.
   */
  protected finalHiddenState(history: readonly number[]): Float32Array {
    this.requireItemVectors();
    const { maxLen, hidden } = this.config;
    const tokens = historyTokens(history, maxLen, this.itemCount);
    if (tokens[maxLen - 1] === 0) return new Float32Array(hidden);
    return this.readOnScoringBackend((params) => this.lastHiddenStates(params, tokens, 1, maxLen));
  }

  /** The host copy of the trained parameters (null before fit/load); not to be modified. */
  protected trainedParams(): Readonly<Record<string, Float32Array>> | null {
    return this.hostParams;
  }

  /**
   * scoreAll for many histories as one batched pass: the last hidden state of every history
   * (padding-only columns trimmed, as in training), times the item table. Runs on the scoring
   * backend, like scoreAll.
   */
  async scoreMany(states: readonly ShopperState[]): Promise<Float32Array> {
    this.requireItemVectors();
    const { maxLen, hidden } = this.config;
    const itemCount = this.itemCount;
    const count = states.length;
    const histories = states.map((state) => historyTokens(state.history, maxLen, itemCount));
    let longest = 0;
    for (const tokens of histories) {
      const first = tokens.findIndex((token) => token > 0);
      if (first >= 0) longest = Math.max(longest, maxLen - first);
    }
    if (count === 0 || longest === 0) return new Float32Array(count * itemCount);
    const columns = trimmedColumns(longest, maxLen);
    const tokens = new Int32Array(count * columns);
    histories.forEach((row, i) => tokens.set(row.subarray(maxLen - columns), i * columns));
    // a history with no known item scores 0 everywhere, as in scoreAll
    const known = Float32Array.from(histories, (row) => (row[maxLen - 1] > 0 ? 1 : 0));
    return this.onScoringBackend((params) => {
      const last = tf.tidy(() => this.lastHiddenStates(params, tokens, count, columns));
      const itemTable = tf.slice(params.itemEmbedding, [1, 0], [itemCount, hidden]) as tf.Tensor2D;
      const scores = scoreAgainstTable(last, itemTable, known);
      tf.dispose([last, itemTable]);
      return scores;
    });
  }

  /** tokens [count, columns] (left-padded, latest item last) -> the hidden state after the last column, [count, hidden]. */
  private lastHiddenStates(
    params: StepParams,
    tokens: Int32Array,
    count: number,
    columns: number,
  ): tf.Tensor2D {
    const { hidden } = this.config;
    const states = this.encodeSequence(
      params,
      tf.tensor2d(tokens, [count, columns], 'int32'),
      tf.tensor2d(
        Float32Array.from(tokens, (token) => (token > 0 ? 1 : 0)),
        [count, columns],
      ),
      null,
    );
    return tf.reshape(tf.slice(states, [0, columns - 1, 0], [count, 1, hidden]), [count, hidden]);
  }

  /**
   * Runs a scoring computation on the scoring backend (the active one, or cpu where the active one
   * cannot read back synchronously) with the cached scoring parameters, and reads it back.
   */
  private readOnScoringBackend(compute: (params: StepParams) => tf.Tensor): Float32Array {
    return this.onScoringBackend((params) => {
      const result = tf.tidy(() => compute(params));
      const values = Float32Array.from(result.dataSync() as Float32Array);
      result.dispose();
      return values;
    });
  }

  /** Runs `read` on the scoring backend with the cached scoring parameters (made outside any tidy). */
  private onScoringBackend(read: (params: StepParams) => Float32Array): Float32Array {
    const run = () => read(this.scoringParams());
    return canReadSynchronously() ? run() : onCpuBackend(run);
  }

  save(): ModelSnapshot {
    if (!this.hostParams) throw new Error(`${this.name}: nothing to save before fit/load`);
    const arrays: ModelSnapshot['arrays'] = {};
    for (const [name, values] of Object.entries(this.hostParams)) arrays[name] = Float32Array.from(values);
    return {
      name: this.name,
      config: { ...(this.config as SequentialConfig), itemCount: this.itemCount } as Record<string, unknown>,
      arrays,
    };
  }

  load(snapshot: ModelSnapshot): void {
    if (snapshot.name !== this.name)
      throw new Error(`${this.name}: cannot load a "${snapshot.name}" snapshot`);
    const { itemCount, ...config } = snapshot.config as Partial<C> & { itemCount: number };
    this.config = { ...this.defaultConfig, ...config };
    checkSequenceLoss(this.name, this.config.loss);
    const arrays: Record<string, Float32Array> = {};
    for (const [name, values] of Object.entries(snapshot.arrays)) arrays[name] = Float32Array.from(values);
    this.adopt(arrays, itemCount);
  }

  override dispose(): void {
    super.dispose();
    this.releaseScoringTensors();
    this.hostParams = null;
  }
}

/** x [..., d] -> normalised over the last axis, then scaled and shifted. */
export function layerNorm(x: tf.Tensor, gain: tf.Tensor, shift: tf.Tensor, epsilon = 1e-6): tf.Tensor {
  const fused = fusedLayerNorm(x, gain, shift, epsilon);
  if (fused) return fused;
  const { mean, variance } = tf.moments(x, -1, true);
  return tf.add(tf.mul(tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, epsilon))), gain), shift);
}

/** x [B, L, dIn] · weight [dIn, dOut] + bias, as one 2-D matMul. */
export function denseOverPositions(x: tf.Tensor3D, weight: tf.Tensor, bias?: tf.Tensor): tf.Tensor3D {
  const [batch, length, inSize] = x.shape;
  const outSize = weight.shape[1]!;
  let y = tf.matMul(tf.reshape(x, [batch * length, inSize]), weight as tf.Tensor2D);
  if (bias) y = tf.add(y, bias);
  return tf.reshape(y, [batch, length, outSize]);
}
