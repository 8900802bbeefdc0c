// Shared by the tests of the lab's forms and of `npm run eval`'s flags: both must describe the
// same run when nothing is changed, so the expectation is written out once, by hand.
import type { LabRunSpec } from '../../worker/lab/protocol';

/** The run an untouched form (or the runner's required flags alone) describes for `dataset`. */
export function defaultRunSpec(dataset: string): LabRunSpec {
  return {
    dataset,
    models: [{ name: 'popularity', config: undefined, tuning: undefined }],
    split: { kind: 'leave-one-out', maxHistory: 50 },
    protocol: { kind: 'full' },
    ks: [5, 10, 20],
    seed: 0,
    backend: 'auto',
    topK: undefined,
    bootstrapResamples: undefined,
    itemAttributes: undefined,
  };
}

/**
 * The tuning of every model when the form's tuning is on and left as it is (random search, 8
 * trials, patience 3, epoch patience 2, scored on the validation fold), in the run spec.
 */
export const defaultTuning = {
  strategy: 'random',
  trials: 8,
  patience: 3,
  earlyStoppingPatience: 2,
  scoring: 'validation',
  folds: undefined,
};
