// Which of three things happens to a model when the store loads: a stored model trained on
// the same data with the same plan is loaded as it is; otherwise a checkpoint of that same
// training resumes after its last finished epoch; otherwise training starts from scratch.
// Pure logic over a repository port (Dexie in the worker, a Map in the tests) and a trainer.
import type { CheckpointRecord, ModelRecord } from '../../data/records';
import type { ModelName, ModelSnapshot, TrainingCheckpoint, TrainProgress } from '../../ml/recommender';
import type { AdamState } from '../../ml/train/adam';
import { checkpointProblem, storedModelProblem } from './storedRecords';

/** The four calls of data/models.ts this needs. */
export interface ModelRepository {
  getModel(name: ModelName): Promise<ModelRecord | undefined>;
  getCheckpoint(name: ModelName): Promise<CheckpointRecord | undefined>;
  putCheckpoint(checkpoint: CheckpointRecord): Promise<void>;
  completeTraining(model: ModelRecord): Promise<void>;
}

/** What a stored model or checkpoint must match to be reused. */
export interface TrainingIdentity {
  /** hash of community.bin */
  dataHash: string;
  /** the training plan (mode, configs, and for the blend the models it blends) */
  fingerprint: string;
}

export type ModelOrigin = 'stored' | 'resumed' | 'trained';

/** What a trainer is given: the TrainOptions of a resumable fit (see TrainingCheckpoint). */
export interface TrainRequest {
  /** the checkpoint to carry on from; undefined: start from scratch */
  resumeFrom: TrainingCheckpoint | undefined;
  /** call after each epoch */
  onProgress: (progress: TrainProgress) => void;
  /** call after each epoch (after onProgress); resolves once the checkpoint is written, or could not be */
  onCheckpoint: (checkpoint: TrainingCheckpoint) => Promise<void>;
}

export interface ModelPlan {
  name: ModelName;
  identity: TrainingIdentity;
  /** epochs of the whole run, for the checkpoint record */
  epochs: number;
  /** the backend training runs on, for the model card */
  backend: string;
  /** shopper events that went into training (0: the store trains on community data only) */
  eventsUsed: number;
  /** the hyperparameters, for the model card */
  config: Record<string, unknown>;
  train(request: TrainRequest): Promise<ModelSnapshot>;
  evaluate(snapshot: ModelSnapshot): Promise<Record<string, number>>;
  onProgress?: (progress: TrainProgress, resumedFromEpoch: number | undefined) => void;
  /** a non-fatal storage failure: training goes on, the message is shown */
  onWarning?: (message: string) => void;
  now?: () => number;
}

export interface ObtainedModel {
  record: ModelRecord;
  origin: ModelOrigin;
  resumedFromEpoch?: number;
}

export function matchesIdentity(
  stored: { dataHash: string; config: Record<string, unknown> },
  identity: TrainingIdentity,
): boolean {
  return stored.dataHash === identity.dataHash && stored.config.fingerprint === identity.fingerprint;
}

function usableCheckpoint(
  checkpoint: CheckpointRecord | undefined,
  identity: TrainingIdentity,
): TrainingCheckpoint | undefined {
  if (!checkpoint) return undefined;
  if (!matchesIdentity({ dataHash: checkpoint.dataHash, config: checkpoint.snapshot.config }, identity))
    return undefined;
  const params: Record<string, Float32Array> = {};
  for (const [name, values] of Object.entries(checkpoint.snapshot.arrays)) {
    if (!(values instanceof Float32Array)) return undefined;
    params[name] = values;
  }
  // Checkpoints from before the optimizer was kept have none: they resume with fresh moments.
  const optimizer = isAdamState(checkpoint.optimizer) ? checkpoint.optimizer : undefined;
  return { epochsDone: checkpoint.epoch, params, optimizer };
}

/** A stored optimizer state of the right shape (its sizes are checked when it is imported). */
function isAdamState(value: unknown): value is AdamState {
  if (typeof value !== 'object' || value === null) return false;
  const { step, moments } = value as Partial<AdamState>;
  return (
    typeof step === 'number' &&
    typeof moments === 'object' &&
    moments !== null &&
    Object.values(moments).every(
      (slot) => slot?.first instanceof Float32Array && slot.second instanceof Float32Array,
    )
  );
}

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

/**
 * A stored model or checkpoint, or undefined when there is none, it cannot be read, or it is
 * damaged: then the plan is told which field, and the model trains as if nothing were stored.
 */
async function readStored<T>(
  plan: ModelPlan,
  what: 'model' | 'checkpoint',
  read: () => Promise<T | undefined>,
  problemOf: (record: unknown, name: ModelName) => string | null,
): Promise<T | undefined> {
  let record: T | undefined;
  try {
    record = await read();
  } catch (error) {
    plan.onWarning?.(
      `The stored ${plan.name} ${what} could not be read (${messageOf(error)}); it is trained again.`,
    );
    return undefined;
  }
  if (record === undefined) return undefined;
  const problem = problemOf(record, plan.name);
  if (problem === null) return record;
  plan.onWarning?.(
    `The stored ${plan.name} ${what} is damaged (${problem}); it was skipped and is trained again.`,
  );
  return undefined;
}

export async function obtainModel(repository: ModelRepository, plan: ModelPlan): Promise<ObtainedModel> {
  const now = plan.now ?? Date.now;
  const stored = await readStored(plan, 'model', () => repository.getModel(plan.name), storedModelProblem);
  if (stored && matchesIdentity(stored, plan.identity)) return { record: stored, origin: 'stored' };

  const checkpoint = await readStored(
    plan,
    'checkpoint',
    () => repository.getCheckpoint(plan.name),
    checkpointProblem,
  );
  const resumeFrom = usableCheckpoint(checkpoint, plan.identity);
  const resumedFromEpoch = resumeFrom?.epochsDone;
  let checkpointFailed = false;
  const snapshot = await plan.train({
    resumeFrom,
    onProgress: (progress) => plan.onProgress?.(progress, resumedFromEpoch),
    onCheckpoint: async (checkpoint) => {
      // the last epoch is followed by completeTraining, which replaces the checkpoint anyway
      if (checkpoint.epochsDone >= plan.epochs || checkpointFailed) return;
      try {
        await repository.putCheckpoint({
          name: plan.name,
          snapshot: {
            name: plan.name,
            config: { fingerprint: plan.identity.fingerprint },
            arrays: checkpoint.params,
          },
          epoch: checkpoint.epochsDone,
          epochs: plan.epochs,
          optimizer: checkpoint.optimizer,
          dataHash: plan.identity.dataHash,
          savedAt: now(),
        });
      } catch (error) {
        checkpointFailed = true;
        plan.onWarning?.(
          `Could not save a training checkpoint for ${plan.name} (${messageOf(error)}); training goes on, ` +
            'but closing the tab now would start it over.',
        );
      }
    },
  });
  const metrics = await plan.evaluate(snapshot);
  const record: ModelRecord = {
    name: plan.name,
    snapshot,
    backend: plan.backend,
    trainedAt: now(),
    dataHash: plan.identity.dataHash,
    eventsUsed: plan.eventsUsed,
    metrics,
    config: {
      ...plan.config,
      fingerprint: plan.identity.fingerprint,
      ...(resumedFromEpoch !== undefined ? { resumedFromEpoch } : {}),
    },
  };
  try {
    await repository.completeTraining(record);
  } catch (error) {
    plan.onWarning?.(
      `The trained ${plan.name} model could not be stored (${messageOf(error)}); it serves this visit ` +
        'and will be trained again next time.',
    );
  }
  return { record, origin: resumeFrom ? 'resumed' : 'trained', resumedFromEpoch };
}
