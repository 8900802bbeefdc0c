// Shared machinery of the next-item models (SASRec, GRU4Rec): the train/score/save cycle over
// left-padded windows (what one step computes, losses included, is sequenceStep.ts). A concrete model only
// declares its parameters and how it encodes a token sequence into one vector per position.
import * as tf from '../tf';
import type { InteractionMatrix } from '../interactions';
import type { ModelName, ModelSnapshot, ShopperState, TrainOptions } from '../recommender';
import { fitEpochs, type EpochSchedule } from '../train/loop';
import { canReadSynchronously, onCpuBackend } from '../train/hostBackend';
import { checkParamArrays, type ParamSpecs, type ParamStore } from '../train/params';
import type { Rng } from '../random';
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
import { applyStepGradients, readStepGradients, sparseTrainStep, type StepParams } from '../train/step';
import { seedListRng, type BatchPart, type PartGradients } from '../train/dataParallel';
import { ReplicaLink } from '../train/dataParallelStep';
import { LearnedRecommender } from './learnedRecommender';
import { scoreRows } from './linalg';
import { scoreAgainstTable } from './chunkedSoftmax';
import {
  checkSequenceLoss,
  prepareSequenceBatch,
  sequenceBatchLoss,
  type DropoutPlan,
  type PreparedSequenceBatch,
  type SequentialConfig,
} from './sequenceStep';
// the position-wise layers the encoders are built of live in positionLayers.ts; re-exported for
// the callers that found them here
export { denseOverPositions, layerNorm } from './positionLayers';

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

  /** What every step of one epoch draws its batch from: the epoch's plan of users, then the sample. */
  private batchSource(data: InteractionMatrix) {
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
      startEpoch: (rng: Rng) => {
        batches = planSequenceBatches(users, stepsOf, config.batchSize, rng, config.batchByLength);
      },
      sample: (stepIndex: number, rng: Rng): SequenceBatch => {
        const batchUsers = batches[stepIndex];
        if (!batchUsers) throw new RangeError(`step ${stepIndex} before startEpoch or past the epoch's end`);
        return sampleSequenceBatch(data, batchUsers, config.maxLen, rng, isPositive, {
          trimPadding: config.batchByLength,
        });
      },
    };
  }

  /**
   * The training schedule over one dataset: a shuffled user order each epoch, then one sparse
   * step per batch of user windows, dropout masks drawn from the epoch's generator. fit() drives
   * it (through fitEpochs). interactionsPerEpoch counts target positions: each user's items after
   * the first.
   */
  stepper(data: InteractionMatrix): EpochSchedule {
    const config = this.config;
    const { sample, ...plan } = this.batchSource(data);
    return {
      ...plan,
      step: (store, optimizer, rng, stepIndex) => {
        const batch = this.prepareBatch(sample(stepIndex, rng), data.itemCount, rng);
        return sparseTrainStep(store, optimizer, batch.rows, (params) =>
          this.batchLoss(params, batch, { rate: config.dropout, rng }),
        );
      },
    };
  }

  /**
   * How many dropout seeds one training step draws (every dropout call draws one), so a
   * data-parallel step can draw them first and hand the same ones to both halves; null for a
   * model whose step is more than the shared next-item loss (it then trains on one replica).
   */
  protected dropoutSeedsPerStep(): number | null {
    return null;
  }

  /**
   * Whether this model and config can train data-parallel (dataParallel.ts): a model that says its
   * seeds per step, the BCE loss (the others draw per-batch negatives or score every item), no L2
   * (its term is per batch, not per target), a backend that reads back synchronously.
   */
  canTrainDataParallel(): boolean {
    return (
      this.dropoutSeedsPerStep() !== null &&
      this.config.loss === 'bce' &&
      this.config.l2 === 0 &&
      canReadSynchronously()
    );
  }

  /**
   * A part of a step's batch: its mean loss, weight and gradients, nothing updated. Its dropout
   * masks are the whole batch's rows of them, from the step's `seeds`.
   */
  partGradients(store: ParamStore, part: BatchPart, seeds: number[], itemCount: number): PartGradients {
    const batch = prepareSequenceBatch(part.batch, this.config.loss, itemCount);
    const rng = seedListRng(seeds);
    const { loss, gradients } = readStepGradients(store, batch.rows, (params) =>
      this.batchLoss(params, batch, { rate: this.config.dropout, rng, firstRow: part.firstRow }),
    );
    if (rng.used !== seeds.length) {
      throw new Error(
        `${this.name}: a step drew ${rng.used} dropout seeds, not the ${seeds.length} expected`,
      );
    }
    const weight = part.batch.targetWeights.reduce((sum, w) => sum + w, 0);
    return { loss, weight, rows: batch.rows, gradients };
  }

  /**
   * stepper() with half of every batch computed by a second replica (dataParallel.ts): the same
   * batches, masks and updates, up to float summation order. A batch of one row stays here.
   */
  parallelStepper(data: InteractionMatrix, link: ReplicaLink): EpochSchedule<Promise<tf.Scalar>> {
    const config = this.config;
    const { sample, ...plan } = this.batchSource(data);
    const seedsPerStep = config.dropout > 0 ? (this.dropoutSeedsPerStep() ?? 0) : 0;
    return {
      ...plan,
      step: async (store, optimizer, rng, stepIndex) => {
        const batch = sample(stepIndex, rng);
        const seeds = Array.from({ length: seedsPerStep }, () => rng.nextSeed());
        const computePart = (part: BatchPart, partSeeds: number[]) =>
          this.partGradients(store, part, partSeeds, data.itemCount);
        if (batch.batchSize < 2) {
          const whole = computePart({ batch, firstRow: 0 }, seeds);
          applyStepGradients(store, optimizer, whole.rows, whole.gradients);
          link.markStale();
          return tf.scalar(whole.loss);
        }
        return link.step(store, optimizer, batch, seeds, computePart);
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
        schedule: this.scheduleFor(data, options),
        adopt: (params) => this.adopt(params, data.itemCount),
      },
      this,
      options,
    );
  }

  /** One replica's schedule, or two when a replica is given and this config can use it. */
  private scheduleFor(
    data: InteractionMatrix,
    options: TrainOptions,
  ): EpochSchedule<tf.Scalar | Promise<tf.Scalar>> {
    const replica = options.gradientReplica;
    if (!replica || !this.canTrainDataParallel()) return this.stepper(data);
    const setup = {
      model: this.name,
      config: { ...(this.config as SequentialConfig) } as unknown as Record<string, unknown>,
      itemCount: data.itemCount,
    };
    return this.parallelStepper(data, new ReplicaLink(replica, setup, options.onReplicaFallback));
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
