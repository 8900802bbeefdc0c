// A lab run's spec, checked before any work (so a typo fails in milliseconds rather than after
// training), and the settings it implies: each model's config, its early-stopping patience, and
// how tuning scores its trials.
import {
  assertModelName,
  isComposite,
  isIterative,
  modelEntry,
  modelNames,
  resolveModelConfig,
  type ModelConfig,
} from '../../ml/registry';
import type { LabModelSpec, LabRunSpec, LabTuningSpec } from './protocol';

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
  if (!isIterative(model.name)) {
    throw new RangeError(
      `${model.name} does not train in epochs: ${earlyStoppingKey} applies to ${modelNames.filter(isIterative).join(', ')}`,
    );
  }
  if (!(typeof patience === 'number' && Number.isInteger(patience) && patience >= 1)) {
    throw new RangeError(
      `${earlyStoppingKey} must be a whole number of epochs ≥ 1, got ${JSON.stringify(patience)}`,
    );
  }
  return { overrides, patience };
}

const checkPatience = (value: unknown, what: string) => {
  if (!(typeof value === 'number' && Number.isInteger(value) && value >= 1)) {
    throw new RangeError(`${what} must be a whole number ≥ 1, got ${JSON.stringify(value)}`);
  }
};

/** Tuning scores trials on the split's validation fold unless it asks for cross-validation. */
export const crossValidates = (tuning: LabTuningSpec | undefined) => tuning?.scoring === 'cross-validation';

/**
 * The epoch patience of a tuning trial: the tuning spec's, else the model config's own early
 * stopping, else none (every trial trains all its epochs; its score is still its best epoch's).
 */
export function trialPatience(model: LabModelSpec): number | undefined {
  if (!isIterative(model.name)) return undefined;
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
    if (isComposite(model.name)) {
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
  if (spec.finalFit !== undefined && spec.finalFit !== 'train+validation') {
    throw new RangeError(`unknown final fit ${JSON.stringify(spec.finalFit)} (train+validation)`);
  }
  if (spec.finalFit && spec.split.kind === 'k-fold') {
    throw new RangeError('a final fit on train + validation needs a validation fold; k-fold has none');
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

/** The model's config for this run: the run's seed unless the user set the model's own. */
export function configFor(
  model: LabModelSpec,
  seed: number,
  params: Record<string, number> = {},
): ModelConfig {
  const overrides: Record<string, unknown> = { ...splitLabSettings(model).overrides, ...params };
  if ('seed' in modelEntry(model.name).defaults && !('seed' in overrides)) overrides.seed = seed;
  return resolveModelConfig(model.name, overrides);
}
