// What the store worker does once its first rows are on screen: start a tfjs backend and learn
// the models in the background. Loaded by a dynamic import, so tfjs (most of the worker's code)
// is fetched, parsed and started after the first rows, never before them. A ranking never
// waits for anything here: the training steps run in a trainer worker of their own.
import { getDb } from '../../data/db';
import { getImportedModel, UnusableImportedModel } from '../../data/importedModels';
import { completeTraining, getCheckpoint, getModel, putCheckpoint } from '../../data/models';
import type { BackendName, BackendPreference } from '../../data/records';
import { getMeasuredBackend, setMeasuredBackend } from '../../data/settings';
import type { CatalogIndex } from '../../recs/catalogIndex';
import type { StoreRanker } from '../../recs/storeRanker';
import { startBackend, startRememberedOrRace, webgpuDeviceLost, type RememberedRace } from '../backend/start';
import type { BackendReport } from '../backend/types';
import type { TrainingFault } from '../trainer/faultHook';
import { TrainerDeviceLostError, workerTrainer, type TrainerPort } from '../trainer/trainerClient';
import { holdOutLastItems, type HeldOutSplit } from './heldOut';
import { alignToCatalog, type PreparedImport } from './importedCommunityModel';
import type { ModelRepository } from './orchestrator';
import type { StoreTrainingPlan } from './plan';
import type { ProfileKeeper } from './profileKeeper';
import { EncoderInterestPredictor } from './profilePredictor';
import type { ProfileTargets } from './profileTargets';
import type { StoreStatus } from './protocol';
import { learnStoreModels } from './storeLearning';
import { withTrainingLock, type TrainingLocks } from './trainingLock';

/** What the learning needs from the loaded store. */
export interface LearningStore {
  ranker: StoreRanker;
  index: CatalogIndex;
  /** baselines and learned models train on this (held-out players' last games removed) */
  split: HeldOutSplit;
  /** identifies the community data the stored models were trained on */
  dataHash: () => string;
  /** what the profile encoder's heads predict of each game */
  targets: ProfileTargets;
  /** takes the trained profile encoder's predictions for the shopper */
  profile: Pick<ProfileKeeper, 'usePredictor'>;
  /** each game's Steam app id, in catalog order: what an imported model's ids are matched to */
  catalogIds: readonly string[];
}

type Post = (status: StoreStatus) => void;

let activeBackend: BackendReport | null = null;
/** a test hook from the page's URL (trainer/faultHook.ts), sent with every training job */
let trainingFault: TrainingFault | undefined;
let learningRun: { abort: AbortController; done: Promise<void> } | null = null;
/** starts learning again as it was started (null until it is, or when learning is off) */
let relearn: (() => void) | null = null;

/**
 * The imported model in use, laid out on the catalog; undefined when there is none. Storage that
 * cannot be read means none (the rest of learning says so); a stored model that no longer fits
 * (no game of this catalog, a damaged row) is named in a warning and the store's own MF serves.
 */
async function storedImport(catalogIds: readonly string[], post: Post): Promise<PreparedImport | undefined> {
  let record;
  try {
    record = await getImportedModel(getDb());
  } catch (error) {
    if (error instanceof UnusableImportedModel) {
      post({
        type: 'learning',
        phase: 'training',
        message: `${error.message}; the store's own MF serves`,
        warning: true,
      });
    }
    return undefined;
  }
  if (!record) return undefined;
  try {
    return { record, aligned: alignToCatalog(record.factors, catalogIds, record.source) };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    post({
      type: 'learning',
      phase: 'training',
      message: `${message}; the store's own MF serves`,
      warning: true,
    });
    return undefined;
  }
}

/**
 * After an imported model was stored or deleted: stop the run under way and learn again, which
 * loads the stored models and refits the blend around the new MF column. False when learning has
 * not started (it will read the stored model when it does) or is off.
 */
export async function learnAgain(): Promise<boolean> {
  if (!relearn) return false;
  learningRun?.abort.abort(new Error('the community model changed'));
  await learningRun?.done;
  relearn();
  return true;
}

const spawnTrainer = (): TrainerPort =>
  new Worker(new URL('../trainer/trainerWorker.ts', import.meta.url), {
    type: 'module',
    name: 'aisle-trainer',
  }) as unknown as TrainerPort;

// each job gets a fresh trainer on the backend active now (a new one after a lost GPU device)
const trainer = workerTrainer(
  spawnTrainer,
  () => activeBackend?.active ?? 'cpu',
  () => trainingFault,
);

const databaseRepository = (): ModelRepository => {
  const db = getDb();
  return {
    getModel: (name) => getModel(db, name),
    getCheckpoint: (name) => getCheckpoint(db, name),
    putCheckpoint: (checkpoint) => putCheckpoint(db, checkpoint),
    completeTraining: (model) => completeTraining(db, model),
  };
};

/**
 * 'auto' starts the backend this device's last race picked, and races (and remembers the
 * result) only when there is none or it no longer starts. A storage that cannot be read or
 * written costs a race, nothing else. Any other preference is honoured as asked.
 */
async function chooseBackend(
  preference: BackendPreference,
  excluded: readonly BackendName[] = [],
): Promise<BackendReport> {
  if (preference !== 'auto') return startBackend(preference, excluded);
  const db = getDb();
  const stored = await getMeasuredBackend(db).catch(() => null);
  const remembered: RememberedRace | null = stored
    ? { report: stored.report as BackendReport, measuredAt: stored.measuredAt }
    : null;
  const { report, raced } = await startRememberedOrRace(remembered, excluded);
  // a race without some backends (after a lost GPU device) is not this device's full answer
  if (raced && excluded.length === 0) {
    const measured = { backend: report.active, measuredAt: Date.now(), report };
    await setMeasuredBackend(db, measured).catch(() => undefined);
  }
  return report;
}

/**
 * `interruption`: what stopped the run this one replaces (a lost GPU), for the card of the model
 * it was training.
 */
function startLearning(
  store: LearningStore,
  plan: StoreTrainingPlan,
  post: Post,
  onDeviceLost: (cause: string) => void,
  interruption?: string,
): void {
  const abort = new AbortController();
  // a quick plan trains on a sample of players; the baselines keep the whole community
  const split =
    plan.maxUsers === undefined
      ? store.split
      : {
          ...store.split,
          train: holdOutLastItems(store.split.train, 0, plan.seed, { maxUsers: plan.maxUsers }).train,
        };
  const learn = async () =>
    learnStoreModels({
      imported: await storedImport(store.catalogIds, post),
      index: store.index,
      split,
      ranker: store.ranker,
      dataHash: store.dataHash(),
      plan,
      repository: databaseRepository(),
      backend: () => activeBackend?.active ?? 'unknown',
      signal: abort.signal,
      post,
      train: trainer,
      interruption,
      targets: store.targets,
      onProfileModel: async (snapshot) => {
        try {
          await store.profile.usePredictor(new EncoderInterestPredictor(snapshot, store.targets));
        } catch (error) {
          const message = error instanceof Error ? error.message : String(error);
          post({
            type: 'learning',
            phase: 'training',
            message: `No predicted interests: ${message}`,
            warning: true,
          });
        }
      },
    });
  const locks = (self.navigator as Navigator | undefined)?.locks as TrainingLocks | undefined;
  const done = withTrainingLock(
    locks,
    learn,
    () =>
      post({
        type: 'learning',
        phase: 'training',
        message: 'Another Aisle tab is learning: this tab waits, then uses the models it stores.',
      }),
    abort.signal,
  ).catch((error: unknown) => {
    if (abort.signal.aborted) return; // stopped on purpose (a lost GPU device): a new run follows
    if (error instanceof TrainerDeviceLostError) {
      // not awaited: it waits for this run's end, which is this handler's return
      onDeviceLost(error.message);
      return;
    }
    const message = error instanceof Error ? error.message : String(error);
    post({
      type: 'learning',
      phase: 'failed',
      message: `Learning stopped: ${message}. The store keeps recommending with its baseline models.`,
    });
  });
  learningRun = { abort, done };
}

/**
 * Backends a lost GPU device rules out for the rest of the visit: WebGL runs on the same GPU (a
 * driver reset takes its context too), so learning carries on on the CPU, wasm first.
 */
export const gpuBackends: readonly BackendName[] = ['webgpu', 'webgl'];

/**
 * Leave the GPU after a lost device (ours or the trainer's), once: stop training on the dead
 * device first (its trainer is terminated); the new run resumes from the last checkpoint, in a
 * new trainer on the new backend. `cause` says which device was lost and why.
 */
function deviceLossHandler(
  preference: BackendPreference,
  post: Post,
  restartLearning: (interruption: string) => void,
): (cause: string) => void {
  let handled = false;
  const leaveWebgpu = async (cause: string) => {
    learningRun?.abort.abort(new Error('the GPU device was lost'));
    await learningRun?.done;
    const report = await chooseBackend(preference, gpuBackends);
    report.reason = `${cause}; switched to ${report.active}. ${report.reason}`;
    activeBackend = report;
    post({ type: 'backend', backend: report });
    restartLearning('the GPU was lost');
  };
  return (cause) => {
    if (handled) return;
    handled = true;
    leaveWebgpu(cause).catch((error: unknown) =>
      post({ type: 'error', message: error instanceof Error ? error.message : String(error) }),
    );
  };
}

/**
 * Start the backend (remembered or raced), tell the page, and learn in the background when the
 * plan says so (null: the learned models are switched off and the baselines serve).
 */
export async function startBackendAndLearning(
  store: LearningStore,
  plan: StoreTrainingPlan | null,
  preference: BackendPreference,
  post: Post,
  fault?: TrainingFault,
): Promise<void> {
  trainingFault = fault;
  const backend = await chooseBackend(preference);
  activeBackend = backend;
  post({ type: 'backend', backend });
  if (!plan) {
    post({
      type: 'learning',
      phase: 'off',
      message: 'Learned models are switched off; the baselines serve.',
    });
    return;
  }
  const handler = deviceLossHandler(preference, post, (interruption) =>
    startLearning(store, plan, post, handler, interruption),
  );
  relearn = () => startLearning(store, plan, post, handler);
  void webgpuDeviceLost()?.then((message) => handler(`The GPU device was lost (${message})`));
  startLearning(store, plan, post, handler);
}
