// A learned component of the hybrid validated after every epoch (its "component.patience"): the
// hybrid's side of ml/epochTrajectory.ts, which trains, stops and keeps the best epoch.
import { evaluateRecommender, evaluatedUsers } from '../eval';
import { fitValidated, trajectoryKey } from '../epochTrajectory';
import type { ResumeOptions } from '../modelCache';
import type { TrainOptions } from '../recommender';
import type { BlendComponent } from './labHybrid';

/** A component's per-epoch validation, as the hybrid's summary reports it. */
export interface ComponentEpochs {
  /** validation NDCG@10 (full ranking) on the epoch-choosing users after epochs 1, 2, … */
  validationNdcg10: number[];
  keptEpoch: number;
  stoppedEarly: boolean;
  /** epochs trained by this run; the others were read from the model cache */
  trainedNow: number;
  /** how many validation users chose the epoch (the others fit and judge the blend); absent in older results */
  epochChoiceUsers?: number;
}

/**
 * Where each of `users` sits among the fold's evaluated users (the order of every per-user
 * figure); a user the fold does not evaluate is refused, so a figure is never read from the wrong row.
 */
export function positionsAmong(evaluated: ArrayLike<number>, users: readonly number[]): Int32Array {
  const at = new Map<number, number>();
  for (let i = 0; i < evaluated.length; i++) at.set(evaluated[i], i);
  return Int32Array.from(users, (user) => {
    const position = at.get(user);
    if (position === undefined) throw new RangeError(`user ${user} has no validation item`);
    return position;
  });
}

/** The mean of the figures at `positions` (float64 sums, so the order of users does not matter in practice). */
export function meanAt(figures: ArrayLike<number>, positions: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < positions.length; i++) sum += figures[positions[i]];
  return positions.length ? sum / positions.length : Number.NaN;
}

/**
 * A component with a patience: validated after every epoch on the validation fold (NDCG@10,
 * full ranking, whatever the run's protocol), its best epoch kept. Every validation user is
 * scored and stored (ml/epochTrajectory.ts keeps per-user figures), but the epoch is chosen on
 * `epochChoiceUsers` only: the hybrid fits and judges its blend on the others, so the component's
 * figure there is not flattered by having been chosen on them. Through the model cache when there
 * is one, so a later run with a larger budget, or another split of the users, carries on.
 */
export async function fitValidatedComponent(
  { name, model, config, patience }: BlendComponent,
  fit: (resume: ResumeOptions & Pick<TrainOptions, 'onEpochEnd'>) => Promise<void>,
  options: TrainOptions,
  epochChoiceUsers: readonly number[],
): Promise<ComponentEpochs> {
  const validation = options.componentValidation;
  const epochs = Number(config?.epochs);
  if (!validation || !config || !(epochs >= 1)) {
    throw new RangeError(`hybrid: ${name}.patience needs a validation fold and the component's epochs`);
  }
  const evaluated = evaluatedUsers(validation);
  const choosing = positionsAmong(evaluated, epochChoiceUsers);
  const cache = options.modelCache;
  const fitted = await fitValidated(model, {
    epochs,
    patience: patience!,
    validationUsers: evaluated.length,
    validate: async (trained) => {
      const result = await evaluateRecommender(
        trained,
        validation,
        { kind: 'full' },
        {
          ks: [10],
          seed: 0,
          signal: options.signal,
          bootstrapResamples: 1, // only the per-user figures are used
          // minutes on Beauty under load: say how far it is
          onProgress: ({ done, total }) =>
            options.onMessage?.(`${name}: validation ranking for ${done}/${total} users`),
        },
      );
      return Float32Array.from(result.perUser['NDCG@10']);
    },
    score: (perUser) => meanAt(perUser, choosing),
    fit,
    cache: cache && {
      store: cache.store,
      key: trajectoryKey({ data: cache.data, model: name, config }),
    },
    onMessage: (message) => options.onMessage?.(`${name}: ${message}`),
  });
  return {
    validationNdcg10: fitted.scores,
    keptEpoch: fitted.keptEpoch,
    stoppedEarly: fitted.stoppedEarly,
    trainedNow: fitted.epochsTrainedNow,
    epochChoiceUsers: epochChoiceUsers.length,
  };
}
