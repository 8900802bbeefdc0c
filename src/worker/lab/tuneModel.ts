// Tuning one model of a lab run: a grid or random search whose every trial is scored by
// validation NDCG@10 (scoreTrial), and the configuration it keeps.
import {
  EarlyStopping,
  combineFolds,
  gridSearch,
  randomSearch,
  type EvalFold,
  type SearchSpace,
} from '../../ml/eval';
import { throwIfAborted } from '../../ml/io/errors';
import type { InteractionMatrix } from '../../ml/interactions';
import type { Recommender } from '../../ml/recommender';
import { defaultSearchSpace, isIterative, type ModelConfig } from '../../ml/registry';
import type { LabModelSpec, LabProgress, LabTrialFold, LabTrialResult } from './protocol';
import { fitWithValidation } from './epochFit';
import { configFor, trialPatience } from './runSpec';

/** One fold a trial trains on and is scored on. */
export interface TuningFold {
  train: InteractionMatrix;
  validation: EvalFold;
}

/** What tuning needs of the model's run. */
export interface TuningScope {
  model: LabModelSpec;
  /** the run's seed: the models' seed and the random search's */
  seed: number;
  /** the split's validation fold, or user folds of its training part (labSplits.tuningFolds) */
  folds: TuningFold[];
  hasItemAttributes: boolean;
  signal?: AbortSignal;
  report: (progress: LabProgress) => void;
  /** fraction of the whole run once this model is `within` (0..1) done */
  share: (within: number) => number;
  makeModel: (name: string, config: ModelConfig) => Recommender;
  progress: (stage: LabProgress['stage'], message: string, fraction: number) => LabProgress;
  validationNdcg: (model: Recommender, fold: EvalFold) => Promise<number>;
}

/** A trial's epochs and folds, beyond its params and score. */
export type TrialDetails = Omit<LabTrialResult, 'params' | 'validationNdcg10'>;

export interface ScoredTrial {
  score: number;
  details?: TrialDetails;
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
 * The winning trial's best epoch becomes the final fit's `epochs`, so the configuration kept,
 * reported and reusable (the page's JSON box, `--config`) trains exactly that many epochs. With
 * `patience`, the search itself stops once that many trials in a row brought no improvement
 * (EarlyStopping counts trials there).
 */
export async function tuneModel(
  scope: TuningScope,
): Promise<{ trials: LabTrialResult[]; params: Record<string, number> }> {
  const { model } = scope;
  const tuning = model.tuning!;
  const space = (tuning.space ??
    defaultSearchSpace(model.name, scope.hasItemAttributes, model.config)) as SearchSpace;
  if (Object.keys(space).length === 0) return { trials: [], params: {} };
  const trialCount = tuning.strategy === 'random' ? (tuning.trials ?? 8) : undefined;
  const stopping = tuning.patience ? new EarlyStopping({ patience: tuning.patience }) : undefined;
  const patienceStop = new AbortController();
  const searchSignal = scope.signal
    ? AbortSignal.any([scope.signal, patienceStop.signal])
    : patienceStop.signal;
  const details = new Map<number, TrialDetails>();
  const objective = async (params: Record<string, number>, { trial }: { trial: number }) => {
    const scored = await scoreTrial(scope, params, trial, trialCount);
    if (scored.details) details.set(trial, scored.details);
    if (stopping?.report(trial, scored.score).shouldStop) patienceStop.abort();
    return scored.score;
  };
  const search =
    tuning.strategy === 'grid'
      ? await gridSearch(space, objective, { signal: searchSignal })
      : await randomSearch(space, objective, { signal: searchSignal, trials: trialCount!, seed: scope.seed });
  throwIfAborted(scope.signal); // a user's cancel ends the run; patience only ends the search
  if (!search.best) throw new Error(`${model.name}: tuning finished no trial`);
  const trials = search.trials
    .slice()
    .sort((a, b) => a.index - b.index)
    .map((trial) => ({ params: trial.params, validationNdcg10: trial.score, ...details.get(trial.index) }));
  const bestEpoch = details.get(search.best.index)?.bestEpoch;
  // the best trial's best epoch is part of the configuration kept: the final fit trains that many
  const params = bestEpoch === undefined ? search.best.params : { ...search.best.params, epochs: bestEpoch };
  return { trials, params };
}

/**
 * One trial: the model with `params` trained on every tuning fold and scored on its validation
 * users. A learned model is validated after every epoch and stops early with the trial's patience
 * (fitWithValidation, as in a normal run, without restoring weights: a trial's model is thrown
 * away); its score is its best epoch's, and that epoch is recorded.
 */
export async function scoreTrial(
  scope: TuningScope,
  params: Record<string, number>,
  trial: number,
  trialCount: number | undefined,
): Promise<ScoredTrial> {
  const { model, folds: tuningFolds } = scope;
  const fraction = (within: number) => scope.share(0.5 * (trialCount ? (trial + within) / trialCount : 0));
  const tuningProgress = (message: string, within: number) => ({
    ...scope.progress('tuning', `trial ${trial + 1}/${trialCount ?? '…'}${message}`, fraction(within)),
    trial: trial + 1,
    trials: trialCount,
  });
  scope.report(tuningProgress(` ${JSON.stringify(params)}`, 0));
  const config = configFor(model, scope.seed, params);
  const epochPatience = trialPatience(model);
  const folds: LabTrialFold[] = [];
  for (let f = 0; f < tuningFolds.length; f++) {
    const { train, validation } = tuningFolds[f];
    const where = tuningFolds.length > 1 ? ` fold ${f + 1}/${tuningFolds.length}` : '';
    const recommender = scope.makeModel(model.name, config);
    try {
      const fitted = await fitWithValidation(recommender, train, {
        validation: isIterative(model.name) ? validation : undefined,
        validate: (trained, fold) => scope.validationNdcg(trained, fold),
        patience: epochPatience,
        restoreBest: false,
        signal: scope.signal,
        // per-epoch trial progress stays off the live curves: they show trials, then the final fit
        onEpoch: (p) =>
          scope.report({
            ...tuningProgress(`${where}: epoch ${p.epoch}/${p.epochs}, loss ${p.loss.toFixed(4)}`, 0),
            epoch: p.epoch,
            epochs: p.epochs,
            etaSec: p.etaSec,
          }),
        onValidated: (epoch, epochs, score) =>
          scope.report({
            ...tuningProgress(`${where}: epoch ${epoch} validation NDCG@10 ${score.toFixed(4)}`, 0),
            epoch,
            epochs,
          }),
      });
      const { outcome } = fitted;
      const score = outcome ? outcome.bestScore : await scope.validationNdcg(recommender, validation);
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
  const at = combined.bestEpoch === undefined ? '' : ` (epoch ${combined.bestEpoch})`;
  scope.report({
    ...tuningProgress(`: validation NDCG@10 ${combined.score.toFixed(4)}${at}`, 1),
    validationNdcg10: combined.score,
  });
  return { score: combined.score, details: trialDetails(folds, combined.bestEpoch) };
}

/**
 * What a trial records besides its score: cross-validated, each fold and the combined epoch; on
 * one validation fold, a learned model's epochs (a baseline's score says it all).
 */
function trialDetails(folds: LabTrialFold[], combinedEpoch: number | undefined): TrialDetails | undefined {
  if (folds.length > 1) return combinedEpoch === undefined ? { folds } : { bestEpoch: combinedEpoch, folds };
  const [only] = folds;
  if (only.bestEpoch === undefined) return undefined;
  const { epochsTrained, bestEpoch, stoppedEarly } = only;
  return { bestEpoch, epochsTrained, stoppedEarly };
}
