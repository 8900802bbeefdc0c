// One fit of a model with per-epoch validation and optional early stopping: the mechanism a normal
// lab run and every tuning trial share. A learned model calls TrainOptions.onEpochEnd after each
// epoch with itself scorable; we score validation NDCG@10 there, remember the best epoch
// (EarlyStopping, which counts epochs here and trials in the search around it), and answer 'stop'
// once `patience` epochs in a row brought no improvement.
import { throwIfAborted } from '../../ml/io/errors';
import type { InteractionMatrix } from '../../ml/interactions';
import { EarlyStopping, type EvalFold } from '../../ml/eval';
import type { ModelSnapshot, Recommender, TrainOptions, TrainProgress } from '../../ml/recommender';
import type { LabEpochOutcome, LabEpochPoint } from './protocol';

export interface EpochFitOptions {
  /** score this fold after every epoch (learned models only: others have no epoch hook) */
  validation?: EvalFold;
  /** validation NDCG@10 of the model as it stands */
  validate: (model: Recommender, fold: EvalFold) => Promise<number>;
  /** stop once this many epochs in a row brought no better validation NDCG@10 (default: never) */
  patience?: number;
  /**
   * When early stopping leaves a later epoch than the best one, load the best epoch's snapshot
   * (the final fit: its weights are evaluated). A trial's model is thrown away, so a trial skips
   * the snapshots and only records the best epoch.
   */
  restoreBest: boolean;
  signal?: AbortSignal;
  /** every epoch's training progress (loss, ETA) as it ends */
  onEpoch?: (progress: TrainProgress) => void;
  /** every epoch's validation score as soon as it is known */
  onValidated?: (epoch: number, epochs: number, score: number) => void;
  /** a composite model's components' training progress (TrainOptions.onComponentProgress) */
  onComponentProgress?: TrainOptions['onComponentProgress'];
  /** a composite model's cache of trained components, and its lines about it */
  modelCache?: TrainOptions['modelCache'];
  /** a composite model's validation fold for its learned components' per-epoch validation */
  componentValidation?: TrainOptions['componentValidation'];
  onMessage?: TrainOptions['onMessage'];
}

export interface EpochFitResult {
  /** loss per epoch, with validation NDCG@10 where it was scored (1-based epochs) */
  points: LabEpochPoint[];
  /** epochs trained, best and stopped early; undefined when nothing was validated per epoch */
  outcome?: LabEpochOutcome & {
    /** the epoch whose weights the model now has: the best one if restored, else the last */
    keptEpoch: number;
    /** the best epoch's validation NDCG@10 */
    bestScore: number;
  };
  /** validation NDCG@10 of the weights the model is left with, when validated */
  validationNdcg10?: number;
}

export async function fitWithValidation(
  recommender: Recommender,
  train: InteractionMatrix,
  options: EpochFitOptions,
): Promise<EpochFitResult> {
  const { validation, patience } = options;
  const points: LabEpochPoint[] = [];
  // without patience the best epoch is still tracked (a trial's score is its best epoch's)
  const stopping = validation
    ? new EarlyStopping<ModelSnapshot>({ patience: patience ?? Number.POSITIVE_INFINITY })
    : undefined;
  // a snapshot is needed only where it may be restored: stopping early in a final fit
  const snapshots = options.restoreBest && patience !== undefined;
  let configuredEpochs = 0;
  await recommender.fit(train, {
    signal: options.signal,
    onComponentProgress: options.onComponentProgress,
    modelCache: options.modelCache,
    componentValidation: options.componentValidation,
    onMessage: options.onMessage,
    onProgress: (progress) => {
      configuredEpochs = progress.epochs;
      points.push({ epoch: progress.epoch, loss: progress.loss });
      options.onEpoch?.(progress);
    },
    onEpochEnd:
      validation && stopping
        ? async (epoch, trained) => {
            const score = await options.validate(trained, validation);
            const point = points.find((candidate) => candidate.epoch === epoch);
            if (point) point.validationNdcg10 = score;
            options.onValidated?.(epoch, configuredEpochs, score);
            // the snapshot is taken only when this epoch is the best so far
            const decision = stopping.report(epoch, score, snapshots ? () => trained.save() : undefined);
            return decision.shouldStop ? 'stop' : 'continue';
          }
        : undefined,
  });
  throwIfAborted(options.signal);
  const last = points[points.length - 1];
  if (!stopping || !last || stopping.bestEpoch < 0) return { points };
  const base = {
    epochsTrained: last.epoch,
    bestEpoch: stopping.bestEpoch,
    bestScore: stopping.bestScore,
    stoppedEarly: last.epoch < configuredEpochs,
  };
  if (stopping.bestSnapshot && stopping.bestEpoch !== last.epoch) {
    recommender.load(stopping.bestSnapshot);
    return {
      points,
      outcome: { ...base, keptEpoch: stopping.bestEpoch },
      validationNdcg10: stopping.bestScore,
    };
  }
  return { points, outcome: { ...base, keptEpoch: last.epoch }, validationNdcg10: last.validationNdcg10 };
}
