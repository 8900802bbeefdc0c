// A learned model trained with per-epoch validation and patience, whose training can carry on
// across runs through the model cache. What the weights after epoch n are does not depend on how
// many epochs a run was allowed, nor on when it stops (epochs are seeded one by one, so a resumed
// fit equals an uninterrupted one): the trajectory's key leaves the epoch budget out, and the
// stopping rule only reads the validation figures stored along the trajectory. So a run with a
// larger budget continues where a shorter one ended, a run with a smaller one or a stricter
// patience is answered from what is stored, and all of them keep the same epoch as one run would.
//
// What is stored of each epoch's validation is the figure of every validation user, not a mean:
// the epoch is chosen on a part of those users (the hybrid keeps the others to fit and judge its
// blend), and per-user figures let any part, of any size or seed, be scored from the cache without
// the epochs' weights. Means alone could not be re-scored on another part: only the best epochs'
// weights are kept, so every other epoch would have to be trained again.
//
// Entries under the trajectory's key: `-checkpoint`, the latest epoch's parameters and Adam state
// with every epoch's per-user validation figures so far (one file, so the figures never run ahead
// of the weights), and `-e<n>`, the model's snapshot after epoch n for each epoch that was the best
// so far on the choosing users (the epochs this choice can keep; a run that chooses on other users
// and keeps an epoch not stored trains the trajectory again from the start).
import { EarlyStopping } from './eval';
import {
  checkpointExtraPrefix,
  decodeCheckpoint,
  decodeSnapshot,
  encodeCheckpoint,
  encodeSnapshot,
  modelCacheKey,
  type ModelCacheKeyParts,
  type ModelCacheStore,
  type ResumeOptions,
} from './modelCache';
import type { ModelSnapshot, Recommender, TrainingCheckpoint } from './recommender';

/** The key of a validated trajectory: everything the weights and scores depend on but the budget. */
export function trajectoryKey({ data, model, config }: ModelCacheKeyParts): string {
  const { epochs: _budget, ...trajectoryConfig } = config;
  return modelCacheKey({
    data: `${data} | validated per epoch`,
    model,
    config: trajectoryConfig,
  });
}

/** The epoch a stopping rule keeps from a run of validation scores (1-based epochs). */
export interface EpochChoice {
  /** the best epoch within the walked scores; 0 when no score was walked */
  bestEpoch: number;
  bestScore: number;
  /** epochs the rule looked at: budget, stop or the scores' end, whichever comes first */
  epochsWalked: number;
  /** the rule ended training (patience ran out) before the budget */
  stopped: boolean;
}

/**
 * Walks scores[0], scores[1], … as epochs 1, 2, … through EarlyStopping (a score counts as better
 * only when strictly higher) until `patience` epochs in a row brought nothing better, the budget
 * is reached or the scores end.
 */
export function chooseEpoch(scores: readonly number[], patience: number, budget: number): EpochChoice {
  const stopping = new EarlyStopping({ patience });
  let walked = 0;
  let stopped = false;
  while (walked < Math.min(budget, scores.length) && !stopped) {
    walked++;
    stopped = stopping.report(walked, scores[walked - 1]).shouldStop && walked < budget;
  }
  return {
    bestEpoch: Math.max(0, stopping.bestEpoch),
    bestScore: stopping.bestScore,
    epochsWalked: walked,
    stopped,
  };
}

/** What a validated fit did: every epoch's score, and the epoch whose weights the model holds. */
export interface ValidatedFit {
  /** the choosing score (options.score) of epochs 1, 2, … as far as the rule walked (stored or trained now) */
  scores: number[];
  keptEpoch: number;
  /** the rule stopped before the budget */
  stoppedEarly: boolean;
  /** epochs trained by this fit (the rest came from the cache) */
  epochsTrainedNow: number;
}

export interface ValidatedFitOptions {
  /** epochs allowed, and epochs in a row without a better score before stopping */
  epochs: number;
  patience: number;
  /** validation users scored after each epoch: the length of every `validate` answer */
  validationUsers: number;
  /** the model's validation figure (NDCG@10) for each validation user, always in the same order */
  validate: (model: Recommender) => Promise<Float32Array>;
  /** the score the stopping rule reads from an epoch's per-user figures (e.g. the mean over a part of the users) */
  score: (perUser: Float32Array) => number;
  /** the model's own fit, from a checkpoint or not, with the epoch hook to pass on */
  fit: (options: ResumeOptions & { onEpochEnd: EpochHook }) => Promise<void>;
  /** keep the trajectory here under `key` (see trajectoryKey); without, train and choose in memory */
  cache?: { store: ModelCacheStore; key: string };
  onMessage?: (message: string) => void;
}

type EpochHook = (epoch: number, model: Recommender) => Promise<'continue' | 'stop'>;

const checkpointEntry = (key: string) => `${key}-checkpoint`;
const epochEntry = (key: string, epoch: number) => `${key}-e${epoch}`;

/** The stored trajectory: its latest checkpoint and each epoch's per-user figures; none when absent or unusable. */
interface StoredTrajectory {
  checkpoint: TrainingCheckpoint;
  /** per epoch 1, 2, …: every validation user's figure */
  perUser: Float32Array[];
}

const perUserArray = 'validationPerUser';

async function readTrajectory(
  store: ModelCacheStore,
  key: string,
  validationUsers: number,
  onMessage: (message: string) => void,
): Promise<StoredTrajectory | undefined> {
  try {
    const bytes = await store.get(checkpointEntry(key));
    if (!bytes) return undefined;
    const { config, arrays } = decodeSnapshot(bytes);
    const checkpoint = decodeCheckpoint(bytes);
    const figures = arrays[`${checkpointExtraPrefix}${perUserArray}`];
    if (!figures && 'validationScores' in config) {
      // an older trajectory kept means on every user: they cannot be re-scored on a part of them
      onMessage(
        `model cache: ${checkpointEntry(key)} holds only mean validation scores (stored before per-user figures were kept); training from the start`,
      );
      return undefined;
    }
    const epochs = checkpoint.epochsDone;
    if (
      !(figures instanceof Float32Array) ||
      config.validationUsers !== validationUsers ||
      figures.length !== epochs * validationUsers
    ) {
      throw new RangeError(
        `its per-user validation figures do not match its ${epochs} epochs and ${validationUsers} validation users`,
      );
    }
    const perUser = Array.from({ length: epochs }, (_, at) =>
      figures.subarray(at * validationUsers, (at + 1) * validationUsers),
    );
    return { checkpoint, perUser };
  } catch (error) {
    onMessage(`model cache: ${checkpointEntry(key)} is unusable (${String(error)}); training from the start`);
    return undefined;
  }
}

/** Every epoch's per-user figures, one after another, as the checkpoint stores them. */
function concatenated(perUser: readonly Float32Array[], validationUsers: number): Float32Array {
  const all = new Float32Array(perUser.length * validationUsers);
  perUser.forEach((figures, at) => all.set(figures, at * validationUsers));
  return all;
}

/**
 * Trains `model` for up to `epochs` epochs, scoring it after each with `validate`, stopping once
 * `patience` epochs in a row brought no better score, and leaves it holding the best epoch's
 * weights. With a cache, stored epochs are not trained again: the rule first walks their scores,
 * and training (if still needed) resumes from the latest stored epoch. A cache that fails to
 * answer costs training time, never the result: the model then trains from the start.
 */
export async function fitValidated(model: Recommender, options: ValidatedFitOptions): Promise<ValidatedFit> {
  const { epochs, patience, cache } = options;
  const onMessage = options.onMessage ?? (() => {});
  const stored = cache
    ? await readTrajectory(cache.store, cache.key, options.validationUsers, onMessage)
    : undefined;
  if (cache && stored) {
    const scores = stored.perUser.map(options.score);
    const choice = chooseEpoch(scores, patience, epochs);
    const done = choice.stopped || choice.epochsWalked === epochs;
    if (done && (await loadEpoch(model, cache, choice.bestEpoch, onMessage))) {
      onMessage(`model cache: ${scores.length} epochs stored, kept epoch ${choice.bestEpoch}`);
      return {
        scores: scores.slice(0, choice.epochsWalked),
        keptEpoch: choice.bestEpoch,
        stoppedEarly: choice.stopped,
        epochsTrainedNow: 0,
      };
    }
    if (!done) return trainOn(model, options, stored);
  }
  return trainOn(model, options, undefined);
}

async function loadEpoch(
  model: Recommender,
  cache: NonNullable<ValidatedFitOptions['cache']>,
  epoch: number,
  onMessage: (message: string) => void,
): Promise<boolean> {
  const entry = epochEntry(cache.key, epoch);
  try {
    const bytes = await cache.store.get(entry);
    if (!bytes) throw new RangeError('missing');
    model.load(decodeSnapshot(bytes));
    return true;
  } catch (error) {
    onMessage(`model cache: ${entry} is unusable (${String(error)}); training from the start`);
    return false;
  }
}

/** Trains on from `stored` (or from the start), walking its scores first. */
async function trainOn(
  model: Recommender,
  options: ValidatedFitOptions,
  stored: StoredTrajectory | undefined,
): Promise<ValidatedFit> {
  const { epochs, patience, cache, validationUsers } = options;
  const onMessage = options.onMessage ?? (() => {});
  const write = (entry: string, bytes: ReturnType<typeof encodeSnapshot>) =>
    cache?.store.put(entry, bytes).catch((error: unknown) => {
      onMessage(`model cache: could not store ${entry}: ${String(error)}`);
    });
  const perUser = stored ? stored.perUser.slice() : [];
  const scores = perUser.map(options.score);
  const stopping = new EarlyStopping<ModelSnapshot>({ patience });
  scores.forEach((score, at) => stopping.report(at + 1, score));
  if (stored) onMessage(`model cache: carrying on after epoch ${stored.checkpoint.epochsDone}`);
  let latest: TrainingCheckpoint | undefined;
  let stoppedEarly = false;
  await options.fit({
    resumeFrom: stored?.checkpoint,
    onCheckpoint: (checkpoint) => {
      latest = checkpoint;
    },
    onEpochEnd: async (epoch, trained) => {
      const figures = await options.validate(trained);
      if (figures.length !== validationUsers) {
        throw new RangeError(`validation gave ${figures.length} figures for ${validationUsers} users`);
      }
      const score = options.score(figures);
      perUser.push(figures);
      scores.push(score);
      const { improved, shouldStop } = stopping.report(epoch, score, () => trained.save());
      onMessage(`epoch ${epoch}: validation NDCG@10 ${score.toFixed(4)} (best: epoch ${stopping.bestEpoch})`);
      // the best epoch's snapshot before the checkpoint that names its score: never a score without weights
      if (cache && improved)
        await write(epochEntry(cache.key, epoch), encodeSnapshot(stopping.bestSnapshot!));
      if (cache && latest)
        await write(
          checkpointEntry(cache.key),
          encodeCheckpoint(
            model.name,
            latest,
            { validationUsers },
            { [perUserArray]: concatenated(perUser, validationUsers) },
          ),
        );
      stoppedEarly = shouldStop && epoch < epochs;
      return shouldStop ? 'stop' : 'continue';
    },
  });
  const best = stopping.bestEpoch;
  if (best !== scores.length) {
    // a snapshot is held when the best epoch was trained now; a stored best is read back
    if (stopping.bestSnapshot) model.load(stopping.bestSnapshot);
    else if (!cache || !(await loadEpoch(model, cache, best, onMessage))) {
      return trainOn(model, options, undefined);
    }
  }
  return {
    scores,
    keptEpoch: best,
    stoppedEarly,
    epochsTrainedNow: scores.length - (stored?.perUser.length ?? 0),
  };
}
