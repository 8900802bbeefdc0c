// One lab run from start to finish: split the dataset, optionally tune each model on the
// validation fold, train, evaluate on the test fold under the chosen protocol, and collect what
// the page and the runner report. Pure apart from the models' own tfjs use: no worker, no
// database, so the whole pipeline is tested in Node with the real baselines.
import {
  alignItemAttributes,
  alignNegatives,
  type ImportedDataset,
  type ItemAttributesFile,
  type NegativesFile,
} from '../../ml/io';
import { throwIfAborted } from '../../ml/io/errors';
import {
  EarlyStopping,
  bootstrapConfidenceInterval,
  combineFolds,
  evaluateRecommender,
  evaluatedUsers,
  gridSearch,
  leaveOneOutSplit,
  mean,
  randomSearch,
  randomSplit,
  temporalSplit,
  userFoldSplits,
  type DataSplit,
  type EvalFold,
  type EvaluationResult,
  type RankingProtocol,
  type SearchSpace,
} from '../../ml/eval';
import type { InteractionMatrix } from '../../ml/interactions';
import type { Recommender } from '../../ml/recommender';
import { LabHybrid } from '../../recs/labHybrid';
import {
  assertModelName,
  composedModels,
  defaultModelConfigs,
  defaultSearchSpace,
  iterativeModels,
  resolveModelConfig,
  type RegisteredModelName,
  type ModelConfig,
} from '../../ml/registry';
import type { BackendReport } from '../backend/types';
import type {
  LabDatasetInfo,
  LabEpochPoint,
  LabInterval,
  LabModelResult,
  LabModelSpec,
  LabProgress,
  LabRunResult,
  LabRunSpec,
  LabSplitSpec,
  LabTrialFold,
  LabTrialResult,
  LabTuningSpec,
} from './protocol';
import { defaultMaxHistory, describeSplit } from './describe';
import { fitWithValidation, type EpochFitResult } from './epochFit';
import { createLabModel } from './labModels';

/** Temporal and random splits hold this share out for validation when a model is tuned. */
const tuningValidationFraction = 0.1;

/** Cross-validated tuning deals the training part's users into this many folds unless told. */
const defaultTuningFolds = 3;

export interface LabRunContext {
  dataset: ImportedDataset;
  info: LabDatasetInfo;
  /** the parsed negatives file, for the fixed protocol */
  negatives?: NegativesFile;
  /** the parsed item attributes file, when the run names one */
  itemAttributes?: ItemAttributesFile;
  backend: BackendReport;
  signal?: AbortSignal;
  onProgress?: (progress: LabProgress) => void;
  /** a clock in milliseconds (performance.now by default) */
  now?: () => number;
  /** how models are made (the registry's, and the lab's hybrid, by default; tests pass fakes) */
  createModel?: (name: string, config: ModelConfig) => Recommender;
}

/**
 * A lab setting that may sit among a learned model's config overrides (so the page's JSON box and
 * `npm run eval --config` can set it): stop training once this many epochs in a row did not
 * improve validation NDCG@10, and keep the best epoch's weights. It never reaches the model.
 */
export const earlyStoppingKey = 'earlyStoppingPatience';

/** The model's own overrides, and the early-stopping patience if one was given. */
export function splitLabSettings(model: LabModelSpec): {
  overrides: Record<string, unknown>;
  patience?: number;
} {
  const { [earlyStoppingKey]: patience, ...overrides } = model.config ?? {};
  if (patience === undefined) return { overrides };
  if (!iterativeModels.has(model.name as RegisteredModelName)) {
    throw new RangeError(
      `${model.name} does not train in epochs: ${earlyStoppingKey} applies to mf, sasrec, gru`,
    );
  }
  if (!(typeof patience === 'number' && Number.isInteger(patience) && patience >= 1)) {
    throw new RangeError(
      `${earlyStoppingKey} must be a whole number of epochs ≥ 1, got ${JSON.stringify(patience)}`,
    );
  }
  return { overrides, patience };
}

const isIterative = (model: LabModelSpec) => iterativeModels.has(model.name as RegisteredModelName);

const checkPatience = (value: unknown, what: string) => {
  if (!(typeof value === 'number' && Number.isInteger(value) && value >= 1)) {
    throw new RangeError(`${what} must be a whole number ≥ 1, got ${JSON.stringify(value)}`);
  }
};

/** A blend of other models, whose weights are fitted on the split's validation fold. */
const isComposed = (model: LabModelSpec) => composedModels.has(model.name as RegisteredModelName);

/** Tuning scores trials on the split's validation fold unless it asks for cross-validation. */
const crossValidates = (tuning: LabTuningSpec | undefined) => tuning?.scoring === 'cross-validation';

/**
 * The epoch patience of a tuning trial: the tuning spec's, else the model config's own early
 * stopping, else none (every trial trains all its epochs; its score is still its best epoch's).
 */
function trialPatience(model: LabModelSpec): number | undefined {
  if (!isIterative(model)) return undefined;
  return model.tuning?.earlyStoppingPatience ?? splitLabSettings(model).patience;
}

/** Checks a spec before any work, so a typo fails in milliseconds rather than after training. */
export function validateRunSpec(spec: LabRunSpec): void {
  if (spec.models.length === 0) throw new RangeError('choose at least one model');
  for (const model of spec.models) {
    assertModelName(model.name);
    const { overrides, patience } = splitLabSettings(model);
    resolveModelConfig(model.name, overrides);
    const { tuning } = model;
    if (tuning) validateTuning(tuning);
    if (isComposed(model)) {
      if (tuning) {
        throw new RangeError(
          `${model.name} is not tuned itself: tune its components, then set them in its config ("mf.dim": 32)`,
        );
      }
      if (spec.split.kind === 'k-fold') {
        throw new RangeError(
          `${model.name} fits its blend on a validation fold; k-fold has none (use leave-one-out, temporal or random)`,
        );
      }
    }
    if ((tuning || patience) && spec.split.kind === 'k-fold') {
      throw new RangeError(
        crossValidates(tuning)
          ? 'tuning on a k-fold split would pick one configuration on users that other folds test on; use leave-one-out, temporal or random (cross-validation then deals their training part into folds)'
          : `${tuning ? 'tuning' : 'early stopping'} needs a validation fold; k-fold has none (use leave-one-out, temporal or random)`,
      );
    }
  }
  if (spec.ks.length === 0 || spec.ks.some((k) => !Number.isInteger(k) || k < 1)) {
    throw new RangeError(`cut-offs must be positive whole numbers, got ${JSON.stringify(spec.ks)}`);
  }
  if (!Number.isInteger(spec.seed)) throw new RangeError(`the seed must be a whole number, got ${spec.seed}`);
  const { split, protocol } = spec;
  if (
    (split.kind === 'temporal' || split.kind === 'random') &&
    !(split.testFraction > 0 && split.testFraction < 1)
  ) {
    throw new RangeError(`the test fraction must be between 0 and 1, got ${split.testFraction}`);
  }
  if (split.kind === 'k-fold' && !(Number.isInteger(split.folds) && split.folds >= 2)) {
    throw new RangeError(`k-fold needs at least 2 folds, got ${split.folds}`);
  }
  if (split.kind === 'leave-one-out' && split.maxHistory !== undefined && !(split.maxHistory >= 1)) {
    throw new RangeError(`the maximum history must be at least 1, got ${split.maxHistory}`);
  }
  if (protocol.kind === 'sampled' && !(Number.isInteger(protocol.negatives) && protocol.negatives >= 1)) {
    throw new RangeError(`sampled ranking needs a positive number of negatives, got ${protocol.negatives}`);
  }
}

function validateTuning(tuning: LabTuningSpec): void {
  if (tuning.strategy !== 'grid' && tuning.strategy !== 'random') {
    throw new RangeError(`unknown search strategy ${JSON.stringify(tuning.strategy)} (grid, random)`);
  }
  if (tuning.trials !== undefined) checkPatience(tuning.trials, 'the number of trials');
  if (tuning.patience !== undefined) checkPatience(tuning.patience, 'the search patience (trials)');
  if (tuning.earlyStoppingPatience !== undefined) {
    checkPatience(tuning.earlyStoppingPatience, "the trials' early-stopping patience (epochs)");
  }
  if (tuning.scoring !== undefined && tuning.scoring !== 'validation' && !crossValidates(tuning)) {
    throw new RangeError(
      `unknown tuning score ${JSON.stringify(tuning.scoring)} (validation, cross-validation)`,
    );
  }
  if (tuning.folds !== undefined) {
    if (!crossValidates(tuning)) throw new RangeError('tuning folds need scoring "cross-validation"');
    if (!(Number.isInteger(tuning.folds) && tuning.folds >= 2)) {
      throw new RangeError(`cross-validation needs at least 2 folds, got ${tuning.folds}`);
    }
  }
}

export function buildSplits(
  dataset: ImportedDataset,
  split: LabSplitSpec,
  seed: number,
  needsValidation: boolean,
): DataSplit[] {
  const validationFraction = needsValidation ? tuningValidationFraction : 0;
  switch (split.kind) {
    case 'leave-one-out':
      return [leaveOneOutSplit(dataset.matrix, { maxHistoryLength: split.maxHistory ?? defaultMaxHistory })];
    case 'temporal':
      if (!dataset.timestamps) {
        throw new RangeError(
          'a temporal split needs timestamps: import a .inter file with a timestamp field, a CSV with a time column, or sessions',
        );
      }
      return [
        temporalSplit(dataset.matrix, dataset.timestamps, {
          testFraction: split.testFraction,
          validationFraction,
        }),
      ];
    case 'random':
      return [randomSplit(dataset.matrix, { testFraction: split.testFraction, validationFraction, seed })];
    case 'k-fold':
      return userFoldSplits(dataset.matrix, { folds: split.folds, seed });
  }
}

/** Every evaluated user of the fold must have a negatives line, or the file is for other data. */
function checkNegativesCover(
  fold: EvalFold,
  negativesByUser: readonly (ArrayLike<number> | undefined)[],
  userIds: string[],
) {
  const missing = Array.from(evaluatedUsers(fold)).filter((user) => !negativesByUser[user]);
  if (missing.length > 0) {
    const examples = missing.slice(0, 3).map((user) => `"${userIds[user]}"`);
    throw new RangeError(
      `the negatives file has no line for ${missing.length} evaluated user(s), e.g. ${examples.join(', ')}`,
    );
  }
}

function toInterval(summary: EvaluationResult['summary']): Record<string, LabInterval> {
  const out: Record<string, LabInterval> = {};
  for (const [name, { mean, lower, upper }] of Object.entries(summary)) out[name] = { mean, lower, upper };
  return out;
}

/** The model's config for this run: the run's seed unless the user set the model's own. */
function configFor(model: LabModelSpec, seed: number, params: Record<string, number> = {}): ModelConfig {
  const overrides: Record<string, unknown> = { ...splitLabSettings(model).overrides, ...params };
  if (
    'seed' in defaultModelConfigs[model.name as keyof typeof defaultModelConfigs] &&
    !('seed' in overrides)
  ) {
    overrides.seed = seed;
  }
  return resolveModelConfig(model.name, overrides);
}

export async function runLab(spec: LabRunSpec, context: LabRunContext): Promise<LabRunResult> {
  validateRunSpec(spec);
  const now = context.now ?? (() => performance.now());
  const startedAt = Date.now();
  const started = now();
  const report = (progress: LabProgress) => context.onProgress?.(progress);
  const { dataset, signal } = context;
  const itemAttributes = context.itemAttributes
    ? alignItemAttributes(context.itemAttributes, dataset)
    : undefined;
  const makeModel =
    context.createModel ??
    ((name: string, config: ModelConfig) => createLabModel(name, config, { itemAttributes }));

  report({ stage: 'split', message: `Splitting: ${describeSplit(spec.split)}`, fraction: 0 });
  // cross-validated tuning deals folds from the training part and needs no validation fold
  const needsValidation = spec.models.some(
    (model) =>
      (model.tuning && !crossValidates(model.tuning)) ||
      splitLabSettings(model).patience !== undefined ||
      isComposed(model),
  );
  const splits = buildSplits(dataset, spec.split, spec.seed, needsValidation);

  let protocol: RankingProtocol;
  if (spec.protocol.kind === 'fixed') {
    if (!context.negatives) throw new RangeError('the fixed protocol needs a negatives file');
    const negativesByUser = alignNegatives(context.negatives, dataset);
    for (const split of splits) {
      checkNegativesCover(split.test, negativesByUser, dataset.userIds);
      if (needsValidation && split.validation)
        checkNegativesCover(split.validation, negativesByUser, dataset.userIds);
    }
    protocol = { kind: 'fixed', negativesByUser };
  } else {
    protocol = spec.protocol;
  }

  const models: LabModelResult[] = [];
  let description = '';
  for (let index = 0; index < spec.models.length; index++) {
    const modelSpec = spec.models[index];
    const share = (within: number) => (index + within) / spec.models.length;
    const run = new ModelRun(modelSpec, spec, splits, protocol, dataset, {
      report,
      share,
      now,
      signal,
      makeModel,
      hasItemAttributes: itemAttributes !== undefined,
    });
    const result = await run.execute();
    description = run.protocolDescription;
    models.push(result);
  }
  report({ stage: 'evaluation', message: 'Done', fraction: 1 });
  return {
    dataset: context.info,
    split: spec.split,
    protocol: description,
    protocolSpec: spec.protocol.kind === 'fixed' ? { kind: 'fixed' } : spec.protocol,
    negativesHash: spec.protocol.kind === 'fixed' ? context.negatives?.contentHash : undefined,
    itemAttributes:
      itemAttributes && context.itemAttributes
        ? {
            hash: context.itemAttributes.contentHash,
            itemsCovered: itemAttributes.itemsCovered,
            attributes: itemAttributes.attributeNames.length,
            itemsUnknown: itemAttributes.itemsUnknown,
          }
        : undefined,
    ks: [...spec.ks].sort((a, b) => a - b),
    seed: spec.seed,
    backend: context.backend,
    models,
    startedAt,
    totalMs: now() - started,
  };
}

interface ModelRunTools {
  report: (progress: LabProgress) => void;
  /** fraction of the whole run once this model is `within` (0..1) done */
  share: (within: number) => number;
  now: () => number;
  signal?: AbortSignal;
  makeModel: (name: string, config: ModelConfig) => Recommender;
  /** the run has item attributes (the default search space then includes ease's attributeWeight) */
  hasItemAttributes: boolean;
}

/** Tuning, training and evaluation of one model over every fold of the split. */
class ModelRun {
  protocolDescription = '';

  constructor(
    private readonly model: LabModelSpec,
    private readonly spec: LabRunSpec,
    private readonly splits: DataSplit[],
    private readonly protocol: RankingProtocol,
    private readonly dataset: ImportedDataset,
    private readonly tools: ModelRunTools,
  ) {}

  async execute(): Promise<LabModelResult> {
    const { model, tools } = this;
    let trials: LabTrialResult[] | undefined;
    let params: Record<string, number> = {};
    // tuning takes the first half of this model's share of the progress bar
    const tuningShare = model.tuning ? 0.5 : 0;
    if (model.tuning) ({ trials, params } = await this.tune());
    const config = configFor(model, this.spec.seed, params);

    const curve: LabEpochPoint[] = [];
    const folds: EvaluationResult[] = [];
    let trainMs = 0;
    let evalMs = 0;
    let validationNdcg10: number | undefined;
    let epochs: Pick<LabModelResult, 'epochsTrained' | 'keptEpoch' | 'stoppedEarly'> = {};
    let blend: LabModelResult['blend'];
    for (let f = 0; f < this.splits.length; f++) {
      const split = this.splits[f];
      const foldShare = (within: number) =>
        tools.share(tuningShare + ((1 - tuningShare) * (f + within)) / this.splits.length);
      const recommender = tools.makeModel(model.name, config);
      try {
        const trainStart = tools.now();
        const fitted = await this.fit(recommender, split, f, foldShare);
        // a hybrid's blend is fitted on the validation fold (never the test fold) after its components
        if (recommender instanceof LabHybrid) blend = await this.fitBlend(recommender, split, f, foldShare);
        // validation time (per epoch) counts as training: it is what early stopping trains with
        trainMs += tools.now() - trainStart;
        validationNdcg10 = fitted.validationNdcg10;
        // k-fold has no validation fold, hence no early stopping: every fold trains the same epochs
        if (f === 0) epochs = this.epochSummary(fitted);
        curve.push(...fitted.points.map((point) => ({ ...point, epoch: curve.length + point.epoch })));
        const evalStart = tools.now();
        folds.push(await this.evaluate(recommender, split.test, f, foldShare));
        evalMs += tools.now() - evalStart;
      } finally {
        recommender.dispose();
      }
    }
    return {
      model: model.name,
      config,
      ...this.merge(folds),
      trainMs,
      evalMs,
      curve,
      validationNdcg10: this.splits.length === 1 ? validationNdcg10 : undefined,
      ...epochs,
      trials,
      ...(blend ? { blend } : {}),
    };
  }

  /** The hybrid's weights, fitted on the split's validation targets once its components are trained. */
  private async fitBlend(
    hybrid: LabHybrid,
    split: DataSplit,
    fold: number,
    foldShare: (within: number) => number,
  ): Promise<NonNullable<LabModelResult['blend']>> {
    if (!split.validation) throw new RangeError(`${this.model.name} needs a validation fold for its blend`);
    this.tools.report(
      this.progress('validation', 'fitting the blend on the validation fold', foldShare(0.5), fold),
    );
    await hybrid.fitBlend(split.validation, this.tools.signal);
    const summary = hybrid.summary()!;
    const weights = summary.components.map((c) => `${c.name} ${c.weight.toFixed(3)}`).join(', ');
    this.tools.report(this.progress('validation', `blend weights: ${weights}`, foldShare(0.5), fold));
    return summary;
  }

  /** Epochs trained, kept and stopped early, for a learned model (the others have no epochs). */
  private epochSummary(
    fitted: EpochFitResult,
  ): Pick<LabModelResult, 'epochsTrained' | 'keptEpoch' | 'stoppedEarly'> {
    if (!isIterative(this.model)) return {};
    if (fitted.outcome) {
      const { epochsTrained, keptEpoch, stoppedEarly } = fitted.outcome;
      return { epochsTrained, keptEpoch, stoppedEarly };
    }
    // not validated per epoch (no validation fold): the last epoch is the one evaluated
    const last = fitted.points[fitted.points.length - 1]?.epoch;
    return last === undefined ? {} : { epochsTrained: last, keptEpoch: last, stoppedEarly: false };
  }

  private progress(
    stage: LabProgress['stage'],
    message: string,
    fraction: number,
    fold?: number,
  ): LabProgress {
    const progress: LabProgress = {
      stage,
      message: `${this.model.name}: ${message}`,
      fraction,
      model: this.model.name,
    };
    if (fold !== undefined && this.splits.length > 1) {
      progress.fold = fold + 1;
      progress.folds = this.splits.length;
    }
    return progress;
  }

  /**
   * Trains and returns the loss per epoch, reporting each epoch as it ends. A learned model with a
   * validation fold is scored on it after every epoch (validation NDCG@10: the live curve); with
   * earlyStoppingPatience it stops once that many epochs in a row brought no improvement, and the
   * best epoch's weights are restored (fitWithValidation, which tuning trials use too).
   */
  private async fit(
    recommender: Recommender,
    split: DataSplit,
    fold: number,
    foldShare: (within: number) => number,
  ): Promise<EpochFitResult> {
    this.tools.report(this.progress('training', 'training', foldShare(0), fold));
    if (recommender instanceof LabHybrid) {
      recommender.onComponentProgress = (component, p) =>
        this.tools.report(
          this.progress(
            'training',
            `${component} epoch ${p.epoch}/${p.epochs}, loss ${p.loss.toFixed(4)}`,
            foldShare(0),
            fold,
          ),
        );
    }
    const fitted = await fitWithValidation(recommender, split.train, {
      validation: isIterative(this.model) ? split.validation : undefined,
      validate: (trained, validation) => this.validationNdcg(trained, validation),
      patience: splitLabSettings(this.model).patience,
      restoreBest: true,
      signal: this.tools.signal,
      onEpoch: (p) =>
        this.tools.report({
          ...this.progress(
            'training',
            `epoch ${p.epoch}/${p.epochs}, loss ${p.loss.toFixed(4)}`,
            foldShare((0.5 * p.epoch) / p.epochs),
            fold,
          ),
          epoch: p.epoch,
          epochs: p.epochs,
          loss: p.loss,
          etaSec: p.etaSec,
        }),
      onValidated: (epoch, epochs, score) =>
        this.tools.report({
          ...this.progress(
            'validation',
            `epoch ${epoch}: validation NDCG@10 ${score.toFixed(4)}`,
            foldShare((0.5 * epoch) / Math.max(1, epochs)),
            fold,
          ),
          epoch,
          epochs,
          validationNdcg10: score,
        }),
    });
    const { outcome } = fitted;
    if (outcome && outcome.keptEpoch !== outcome.epochsTrained) {
      this.tools.report(
        this.progress(
          'validation',
          `kept epoch ${outcome.keptEpoch} (validation NDCG@10 ${outcome.bestScore.toFixed(4)})`,
          foldShare(0.5),
          fold,
        ),
      );
    }
    return fitted;
  }

  private async validationNdcg(recommender: Recommender, fold: EvalFold): Promise<number> {
    const result = await evaluateRecommender(recommender, fold, this.protocol, {
      ks: [10],
      seed: this.spec.seed,
      signal: this.tools.signal,
      bootstrapResamples: 1, // only the mean is used
    });
    return mean(result.perUser['NDCG@10']);
  }

  private async evaluate(
    recommender: Recommender,
    fold: EvalFold,
    foldIndex: number,
    foldShare: (within: number) => number,
  ): Promise<EvaluationResult> {
    const start = this.tools.now();
    const result = await evaluateRecommender(recommender, fold, this.protocol, {
      ks: this.spec.ks,
      seed: this.spec.seed,
      signal: this.tools.signal,
      topKOut: this.spec.topK,
      beyondAccuracy: true,
      bootstrapResamples: this.spec.bootstrapResamples,
      onProgress: ({ done, total }) => {
        const elapsed = (this.tools.now() - start) / 1000;
        this.tools.report({
          ...this.progress(
            'evaluation',
            `ranking for ${done}/${total} users`,
            foldShare(0.5 + (0.5 * done) / Math.max(1, total)),
            foldIndex,
          ),
          usersDone: done,
          usersTotal: total,
          etaSec: done > 0 ? (elapsed / done) * (total - done) : undefined,
        });
      },
    });
    this.protocolDescription = result.protocol;
    return result;
  }

  /** One result from every fold: per-user arrays concatenated (folds hold disjoint users). */
  private merge(
    folds: EvaluationResult[],
  ): Pick<LabModelResult, 'metrics' | 'beyondAccuracy' | 'users' | 'perUser' | 'topLists'> {
    const { userIds, itemIds } = this.dataset;
    const topLists = this.spec.topK
      ? folds.flatMap((fold) =>
          (fold.topLists ?? []).map((line) => ({
            user: userIds[line.user],
            targets: line.targets.map((item) => itemIds[item]),
            items: line.items.map((item) => itemIds[item]),
          })),
        )
      : undefined;
    if (folds.length === 1) {
      const [only] = folds;
      return {
        metrics: toInterval(only.summary),
        beyondAccuracy: only.beyondAccuracy ?? {},
        users: only.users,
        perUser: only.perUser,
        topLists,
      };
    }
    const users = Int32Array.from(folds.flatMap((fold) => Array.from(fold.users)));
    const perUser: Record<string, Float64Array> = {};
    const metrics: Record<string, LabInterval> = {};
    for (const name of Object.keys(folds[0].perUser)) {
      perUser[name] = Float64Array.from(folds.flatMap((fold) => Array.from(fold.perUser[name])));
      const { mean, lower, upper } = bootstrapConfidenceInterval(perUser[name], {
        seed: this.spec.seed,
        resamples: this.spec.bootstrapResamples,
      });
      metrics[name] = { mean, lower, upper };
    }
    // catalogue-level metrics are per fold; their mean over folds is what is reported
    const beyondAccuracy: Record<string, number> = {};
    for (const name of Object.keys(folds[0].beyondAccuracy ?? {})) {
      beyondAccuracy[name] = mean(folds.map((fold) => fold.beyondAccuracy?.[name] ?? NaN));
    }
    return { metrics, beyondAccuracy, users, perUser, topLists };
  }

  /**
   * Grid or random search, every trial scored by validation NDCG@10:
   * - scoring 'validation' (default): trained on the first split's training part, scored on its
   *   validation fold;
   * - scoring 'cross-validation': the first split's training part is dealt into `folds` user folds
   *   (userFoldSplits, seeded by the run); each fold trains on the other users and is scored on its
   *   own users' latest items, so the test fold is never seen. A trial's score is the mean over
   *   folds of each fold's best-epoch score, and its epoch the lower median of the folds' best
   *   epochs (combineFolds). Each fold stops early on its own held-out users.
   * Learned models are validated after every epoch of every trial and stop early with the trial's
   * patience (fitWithValidation, as in a normal run, without snapshots: a trial's model is thrown
   * away). A trial scores its best epoch and records it; the winning trial's best epoch becomes the
   * final fit's `epochs`, so the configuration kept, reported and reusable (the page's JSON box,
   * `--config`) trains exactly that many epochs. With `patience`, the search itself stops once that
   * many trials in a row brought no improvement (EarlyStopping counts trials there).
   */
  private async tune(): Promise<{ trials: LabTrialResult[]; params: Record<string, number> }> {
    const { model, tools } = this;
    const tuning = model.tuning!;
    const space = (tuning.space ?? defaultSearchSpace(model.name, tools.hasItemAttributes)) as SearchSpace;
    if (Object.keys(space).length === 0) return { trials: [], params: {} };
    const tuningFolds = this.tuningFolds(tuning);
    const epochPatience = trialPatience(model);
    const trialCount = tuning.strategy === 'random' ? (tuning.trials ?? 8) : undefined;
    const stopping = tuning.patience ? new EarlyStopping({ patience: tuning.patience }) : undefined;
    const patienceStop = new AbortController();
    const searchSignal = tools.signal
      ? AbortSignal.any([tools.signal, patienceStop.signal])
      : patienceStop.signal;
    const details = new Map<number, Omit<LabTrialResult, 'params' | 'validationNdcg10'>>();
    const objective = async (params: Record<string, number>, { trial }: { trial: number }) => {
      const total = trialCount ?? '…';
      const fraction = (within: number) =>
        tools.share(0.5 * (trialCount ? (trial + within) / trialCount : 0));
      const tuningProgress = (message: string, within: number) => ({
        ...this.progress('tuning', `trial ${trial + 1}/${total}${message}`, fraction(within)),
        trial: trial + 1,
        trials: trialCount,
      });
      tools.report(tuningProgress(` ${JSON.stringify(params)}`, 0));
      const config = configFor(model, this.spec.seed, params);
      const folds: LabTrialFold[] = [];
      for (let f = 0; f < tuningFolds.length; f++) {
        const { train, validation } = tuningFolds[f];
        const where = tuningFolds.length > 1 ? ` fold ${f + 1}/${tuningFolds.length}` : '';
        const recommender = tools.makeModel(model.name, config);
        try {
          const fitted = await fitWithValidation(recommender, train, {
            validation: isIterative(model) ? validation : undefined,
            validate: (trained, fold) => this.validationNdcg(trained, fold),
            patience: epochPatience,
            restoreBest: false,
            signal: tools.signal,
            // per-epoch trial progress stays off the live curves: they show trials, then the final fit
            onEpoch: (p) =>
              tools.report({
                ...tuningProgress(`${where}: epoch ${p.epoch}/${p.epochs}, loss ${p.loss.toFixed(4)}`, 0),
                epoch: p.epoch,
                epochs: p.epochs,
                etaSec: p.etaSec,
              }),
            onValidated: (epoch, epochs, score) =>
              tools.report({
                ...tuningProgress(`${where}: epoch ${epoch} validation NDCG@10 ${score.toFixed(4)}`, 0),
                epoch,
                epochs,
              }),
          });
          const { outcome } = fitted;
          const score = outcome ? outcome.bestScore : await this.validationNdcg(recommender, validation);
          if (outcome) {
            const { epochsTrained, bestEpoch, stoppedEarly } = outcome;
            folds.push({ validationNdcg10: score, epochsTrained, bestEpoch, stoppedEarly });
          } else folds.push({ validationNdcg10: score });
        } finally {
          recommender.dispose();
        }
      }
      const combined = combineFolds(
        folds.map((fold) => ({ score: fold.validationNdcg10, bestEpoch: fold.bestEpoch })),
      );
      if (tuningFolds.length > 1) {
        const { bestEpoch } = combined;
        details.set(trial, bestEpoch === undefined ? { folds } : { bestEpoch, folds });
      }
      // (else) one validation fold: a learned model's epochs; a baseline's score says it all
      else if (folds[0].bestEpoch !== undefined) {
        const { epochsTrained, bestEpoch, stoppedEarly } = folds[0];
        details.set(trial, { bestEpoch, epochsTrained, stoppedEarly });
      }
      const at = combined.bestEpoch === undefined ? '' : ` (epoch ${combined.bestEpoch})`;
      tools.report({
        ...tuningProgress(`: validation NDCG@10 ${combined.score.toFixed(4)}${at}`, 1),
        validationNdcg10: combined.score,
      });
      if (stopping?.report(trial, combined.score).shouldStop) patienceStop.abort();
      return combined.score;
    };
    const search =
      tuning.strategy === 'grid'
        ? await gridSearch(space, objective, { signal: searchSignal })
        : await randomSearch(space, objective, {
            signal: searchSignal,
            trials: trialCount!,
            seed: this.spec.seed,
          });
    throwIfAborted(tools.signal); // a user's cancel ends the run; patience only ends the search
    if (!search.best) throw new Error(`${model.name}: tuning finished no trial`);
    const trials = search.trials
      .slice()
      .sort((a, b) => a.index - b.index)
      .map((trial) => ({ params: trial.params, validationNdcg10: trial.score, ...details.get(trial.index) }));
    const bestEpoch = details.get(search.best.index)?.bestEpoch;
    // the best trial's best epoch is part of the configuration kept: the final fit trains that many
    const params =
      bestEpoch === undefined ? search.best.params : { ...search.best.params, epochs: bestEpoch };
    return { trials, params };
  }

  /** What tuning trains and scores on: one validation fold, or user folds of the training part. */
  private tuningFolds(tuning: LabTuningSpec): { train: InteractionMatrix; validation: EvalFold }[] {
    const split = this.splits[0];
    if (!crossValidates(tuning)) {
      if (!split.validation) throw new RangeError('tuning needs a validation fold');
      return [{ train: split.train, validation: split.validation }];
    }
    const folds = userFoldSplits(split.train, {
      folds: tuning.folds ?? defaultTuningFolds,
      seed: this.spec.seed,
    }).map((inner) => ({ train: inner.train, validation: inner.test }));
    if (this.protocol.kind === 'fixed') {
      for (const fold of folds) {
        checkNegativesCover(fold.validation, this.protocol.negativesByUser, this.dataset.userIds);
      }
    }
    return folds;
  }
}
