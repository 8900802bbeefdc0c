// A learned component of the hybrid validated after every epoch (its "component.patience"): the
// hybrid's side of ml/epochTrajectory.ts, which trains, stops and keeps the best epoch.
import { evaluateRecommender, mean } from '../eval';
import { fitValidated, trajectoryKey } from '../epochTrajectory';
import type { ResumeOptions } from '../modelCache';
import type { TrainOptions } from '../recommender';
import type { BlendComponent } from './labHybrid';

/** A component's per-epoch validation, as the hybrid's summary reports it. */
export interface ComponentEpochs {
  /** validation NDCG@10 (full ranking) after epochs 1, 2, … */
  validationNdcg10: number[];
  keptEpoch: number;
  stoppedEarly: boolean;
  /** epochs trained by this run; the others were read from the model cache */
  trainedNow: number;
}

/**
 * A component with a patience: validated after every epoch on the validation fold (NDCG@10,
 * full ranking, every validation user, whatever the run's protocol, so a stored trajectory
 * serves every run on the same data), its best epoch kept; through the model cache when there
 * is one, so a later run with a larger budget carries on (ml/epochTrajectory.ts).
 */
export async function fitValidatedComponent(
  { name, model, config, patience }: BlendComponent,
  fit: (resume: ResumeOptions & Pick<TrainOptions, 'onEpochEnd'>) => Promise<void>,
  options: TrainOptions,
): Promise<ComponentEpochs> {
  const validation = options.componentValidation;
  const epochs = Number(config?.epochs);
  if (!validation || !config || !(epochs >= 1)) {
    throw new RangeError(`hybrid: ${name}.patience needs a validation fold and the component's epochs`);
  }
  const cache = options.modelCache;
  const fitted = await fitValidated(model, {
    epochs,
    patience: patience!,
    validate: async (trained) => {
      const result = await evaluateRecommender(
        trained,
        validation,
        { kind: 'full' },
        {
          ks: [10],
          seed: 0,
          signal: options.signal,
          bootstrapResamples: 1, // only the mean is used
          // minutes on Beauty under load: say how far it is
          onProgress: ({ done, total }) =>
            options.onMessage?.(`${name}: validation ranking for ${done}/${total} users`),
        },
      );
      return mean(result.perUser['NDCG@10']);
    },
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
  };
}
