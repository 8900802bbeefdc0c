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
