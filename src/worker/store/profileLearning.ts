// The store's last learning stage: the profile encoder (the GRU with genre-mix and price-band
// heads), loaded, resumed from a checkpoint or trained in the trainer worker exactly like MF and
// the GRU, once "For you" already serves, so it never delays the store. Its card is measured on
// the held-out players (profileEncoderMeasure.ts). It never ranks "For you": it gives the profile
// page its predicted interests. A failure here is a warning; the store's models keep serving.
import type { ModelSnapshot, TrainProgress } from '../../ml/recommender';
import { profileQualityMetrics } from '../../recs/profileModelQuality';
import type { HeldOutPlayer } from './heldOut';
import type { HostGruScorer } from './hostGru';
import type { InterruptionNoter } from './interruption';
import { obtainModel, type ObtainedModel } from './orchestrator';
import { planFingerprint } from './plan';
import { measureProfileEncoder } from './profileEncoderMeasure';
import type { ProfileTargets } from './profileTargets';
import type { LearningContext } from './storeLearning';
import { TrainerDeviceLostError } from '../trainer/trainerClient';

export interface ProfileStageInput {
  targets: ProfileTargets;
  /** the store's GRU: the blend without the encoder ranks with it */
  gru: HostGruScorer;
  fitPlayers: readonly HeldOutPlayer[];
  metricPlayers: readonly HeldOutPlayer[];
  /** says what happens, as the other stages do */
  note: (message: string) => void;
  warn: (message: string) => void;
  onProgress: (progress: TrainProgress, resumedFromEpoch: number | undefined) => void;
  /** notes on the card what stopped an earlier run, when this model is the one it stopped */
  noteInterruption?: InterruptionNoter;
}

/** The obtained encoder, or null when it could not be trained (the reason went to warn). */
export async function learnProfileModel(
  context: LearningContext,
  input: ProfileStageInput,
): Promise<ObtainedModel | null> {
  const { plan, split, signal } = context;
  const backend = context.backend();
  const cardConfig: Record<string, unknown> = {
    ...plan.profileEncoder,
    genres: input.targets.attributes.genreCount,
    priceBands: input.targets.attributes.priceBandCount,
    users: split.train.userCount,
  };
  try {
    return await obtainModel(context.repository, {
      name: 'profileEncoder',
      identity: { dataHash: context.dataHash, fingerprint: planFingerprint(plan, 'profileEncoder') },
      epochs: plan.profileEncoder.epochs ?? 1,
      backend,
      eventsUsed: 0,
      config: cardConfig,
      train: (request) => {
        const { resumeFrom } = request;
        input.noteInterruption?.(cardConfig, backend, resumeFrom?.epochsDone);
        input.note(
          resumeFrom
            ? `Resuming the profile model after epoch ${resumeFrom.epochsDone}`
            : 'Training the profile model',
        );
        return context.train(
          {
            model: 'profileEncoder',
            plan: plan.profileEncoder,
            targets: input.targets.attributes,
            data: split.train,
          },
          { ...request, signal },
        );
      },
      evaluate: async (snapshot: ModelSnapshot) =>
        profileQualityMetrics(
          await measureProfileEncoder({
            encoder: snapshot,
            gru: input.gru,
            targets: input.targets,
            trainItems: split.train.items,
            fitPlayers: input.fitPlayers,
            metricPlayers: input.metricPlayers,
            seed: plan.seed,
            signal,
          }),
        ),
      onProgress: input.onProgress,
      onWarning: input.warn,
    });
  } catch (error) {
    // stopped on purpose, or a lost GPU: the caller restarts learning, which resumes it
    if (signal.aborted || error instanceof TrainerDeviceLostError) throw error;
    const message = error instanceof Error ? error.message : String(error);
    input.warn(`The profile model could not be trained (${message}); your profile shows no predictions.`);
    return null;
  }
}
