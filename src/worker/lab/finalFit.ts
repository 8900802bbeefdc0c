// The final fit on train + validation (`npm run eval -- --final-fit train+validation`): once every
// choice has been made on the validation fold exactly as in a standard run (the settings, each
// learned part's epoch count, the blend's weights and the safety rule's decision), the chosen
// configuration is trained again on each user's interactions minus only the test items, for the
// chosen epochs with nothing to stop against, and scored on the test fold beside the standard fit.
// The pieces here are pure: what to retrain (finalFitConfig), under which cache scope, and how
// the two test results compare; ModelRun runs them.
import { pairedDifferenceInterval, type EvaluationResult } from '../../ml/eval';
import type { BlendSummary } from '../../ml/blend/labHybrid';
import type { ModelCacheScope } from '../../ml/modelCache';
import {
  componentPatienceKey,
  hybridComponents,
  isIterative,
  resolveModelConfig,
  type ModelConfig,
} from '../../ml/registry';
import type { LabInterval } from './protocol';

/** The one kind of final fit there is: the training part with the validation fold added back. */
export const finalFitTraining = 'train+validation';
export type FinalFitTraining = typeof finalFitTraining;

/** What the standard fit chose on the validation fold that decides the final fit's epochs. */
export interface ChosenOnValidation {
  /** a model run alone with early stopping (its earlyStoppingPatience): the epoch it kept */
  keptEpoch?: number;
  /** a hybrid: its summary, whose components with a patience carry the epoch each kept */
  blend?: BlendSummary;
}

/** A learned part's epochs in the final fit: `name` is the model's, or the hybrid component's. */
export interface FinalFitEpochs {
  name: string;
  epochs: number;
}

/**
 * The config the final fit trains: the chosen config with every learned part's epochs fixed at
 * the epoch chosen on validation (where a patience chose one; otherwise its configured epochs
 * stand) and no patience left, since there is nothing to validate against. Also the epochs of
 * every learned part, for the report.
 */
export function finalFitConfig(
  modelName: string,
  chosenConfig: ModelConfig,
  chosen: ChosenOnValidation,
): { config: ModelConfig; epochs: FinalFitEpochs[] } {
  const config: ModelConfig = { ...chosenConfig };
  if (modelName === 'hybrid') {
    for (const component of chosen.blend?.components ?? []) {
      if (!component.epochs) continue;
      config[`${component.name}.epochs`] = component.epochs.keptEpoch;
      delete config[`${component.name}.${componentPatienceKey}`];
    }
    if (hybridComponents(config).some(({ patience }) => patience !== undefined)) {
      throw new RangeError('final fit: a hybrid component with a patience reported no chosen epoch');
    }
    const epochs = hybridComponents(config)
      .filter(({ name }) => isIterative(name))
      .map(({ name, overrides }) => ({ name, epochs: Number(resolveModelConfig(name, overrides).epochs) }));
    return { config, epochs };
  }
  if (!isIterative(modelName)) return { config, epochs: [] };
  if (chosen.keptEpoch !== undefined) config.epochs = chosen.keptEpoch;
  return { config, epochs: [{ name: modelName, epochs: Number(config.epochs) }] };
}

/**
 * The final fit's cache scope: the standard fit's with the training data named, so the two fits
 * of one component (same dataset, split, seed and config) are never read for each other.
 */
export function finalFitCacheScope(scope: ModelCacheScope): ModelCacheScope {
  return { store: scope.store, data: `${scope.data} | trained on ${finalFitTraining}` };
}

/**
 * The final fit minus the standard fit on the same test users, per HR@k and NDCG@k: the mean
 * paired difference with its bootstrap interval.
 */
export function finalFitDifferences(
  finalFit: EvaluationResult,
  standard: EvaluationResult,
  options: { seed: number; resamples?: number },
): Record<string, LabInterval> {
  if (
    finalFit.users.length !== standard.users.length ||
    finalFit.users.some((user, i) => user !== standard.users[i])
  ) {
    throw new RangeError('final fit: the two fits were not scored on the same test users');
  }
  const out: Record<string, LabInterval> = {};
  for (const k of standard.ks) {
    for (const metric of [`HR@${k}`, `NDCG@${k}`]) {
      const { mean, lower, upper } = pairedDifferenceInterval(
        finalFit.perUser[metric],
        standard.perUser[metric],
        { seed: options.seed, resamples: options.resamples },
      );
      out[metric] = { mean, lower, upper };
    }
  }
  return out;
}
